//! Rust `log` records, forwarded to Python's `logging` under the `hotloop`
//! logger. The level check happens in Rust first, so disabled logging costs a
//! comparison and no Python call.
//!
//! `logging` is not imported for hotloop's sake: a program that never imports
//! it has configured no logger, so only warnings and errors can be shown, and
//! the first of those imports it (through `hotloop._log`). Importing it up
//! front would put a dozen modules into every program's `sys.modules`.

use pyo3::prelude::*;
use pyo3::types::PyDict;
use std::sync::OnceLock;

struct PythonLogger;

impl log::Log for PythonLogger {
    /// hotloop's own records only: Cranelift logs every function it compiles.
    fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
        metadata.level() <= log::max_level() && metadata.target().trim_start_matches('_').starts_with("hotloop")
    }

    fn log(&self, record: &log::Record<'_>) {
        if !self.enabled(record.metadata()) {
            return;
        }
        let level = match record.level() {
            log::Level::Error => 40,
            log::Level::Warn => 30,
            log::Level::Info => 20,
            log::Level::Debug => 10,
            log::Level::Trace => 5,
        };
        let message = record.args().to_string();
        Python::attach(|py| {
            let logged = py.import("hotloop").and_then(|h| h.call_method1("_log", (level, message)));
            if let Err(err) = logged {
                err.print(py);
            }
        });
    }

    fn flush(&self) {}
}

/// The level the `hotloop` logger is effectively set to, if `logging` is
/// already imported (warnings otherwise, `logging`'s default).
fn effective_level(py: Python<'_>) -> u32 {
    let configured = || -> PyResult<Option<u32>> {
        let modules = py.import("sys")?.getattr("modules")?.cast_into::<PyDict>()?;
        let Some(logging) = modules.get_item("logging")? else {
            return Ok(None);
        };
        let logger = logging.call_method1("getLogger", ("hotloop",))?;
        Ok(Some(logger.call_method0("getEffectiveLevel")?.extract()?))
    };
    configured().ok().flatten().unwrap_or(30)
}

/// Forward `log` records to the `hotloop` logger, at the level it is
/// effectively set to when hotloop is imported.
pub fn install(py: Python<'_>) {
    static LOGGER: OnceLock<PythonLogger> = OnceLock::new();
    let installed = LOGGER.get_or_init(|| PythonLogger);
    if log::set_logger(installed).is_ok() {
        refresh_level(py);
    }
}

/// Take the `hotloop` logger's level again (`hotloop.enable` does: logging is
/// often configured after the imports).
pub fn refresh_level(py: Python<'_>) {
    log::set_max_level(match effective_level(py) {
        0..=5 => log::LevelFilter::Trace,
        6..=10 => log::LevelFilter::Debug,
        11..=20 => log::LevelFilter::Info,
        21..=30 => log::LevelFilter::Warn,
        _ => log::LevelFilter::Error,
    });
}
