//! Rust `log` records, forwarded to Python's `logging` under the `hotloop`
//! logger. The level check happens in Rust first, so disabled logging costs a
//! comparison and no Python call.

use pyo3::prelude::*;
use std::sync::OnceLock;

struct PythonLogger {
    logger: Py<PyAny>,
}

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
            if let Err(err) = self.logger.call_method1(py, "log", (level, message)) {
                err.print(py);
            }
        });
    }

    fn flush(&self) {}
}

/// Forward `log` records to `logging.getLogger("hotloop")`, at the level that
/// logger is effectively set to when hotloop is imported (warnings by default).
pub fn install(py: Python<'_>) {
    static LOGGER: OnceLock<PythonLogger> = OnceLock::new();
    let Ok(logger) = py.import("logging").and_then(|l| l.call_method1("getLogger", ("hotloop",))) else {
        return;
    };
    let effective: u32 = logger.call_method0("getEffectiveLevel").and_then(|l| l.extract()).unwrap_or(30);
    let level = match effective {
        0..=5 => log::LevelFilter::Trace,
        6..=10 => log::LevelFilter::Debug,
        11..=20 => log::LevelFilter::Info,
        21..=30 => log::LevelFilter::Warn,
        _ => log::LevelFilter::Error,
    };
    let installed = LOGGER.get_or_init(|| PythonLogger { logger: logger.unbind() });
    if log::set_logger(installed).is_ok() {
        log::set_max_level(level);
    }
}
