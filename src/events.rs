//! What the JIT decides about each loop, as it happens, for `python -m
//! hotloop explain` (`hotloop._explain`): a trace compiled, a recording
//! aborted and why, a loop blacklisted, a trace thrown away, an exit hot enough
//! for a bridge.
//!
//! Events are queued while the JIT state is borrowed and handed to the Python
//! hook only after the callback is done with it (`deliver`): the hook runs
//! Python code, which may create code objects or raise events of its own.
//! With no hook, nothing is queued.

use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::PyDict;

pub struct Event {
    /// "compiled", "bridge compiled", "aborted", "bridge aborted", "left loop",
    /// "not inlined", "blacklisted", "invalidated", "evicted", "exit hot".
    pub what: &'static str,
    pub code: Py<PyAny>,
    /// The loop's header (the offset of its first instruction).
    pub loop_offset: u32,
    /// Where it happened: the instruction that aborted, the exit's resume point.
    pub offset: u32,
    /// The reason's kind (`hotloop_tracer::abort::REASONS`), if any.
    pub kind: Option<&'static str>,
    pub reason: String,
    /// How long it took (compilations), in milliseconds.
    pub ms: Option<f64>,
}

#[derive(Default)]
pub struct Events {
    hook: Option<Py<PyAny>>,
    pending: Vec<Event>,
}

impl Events {
    pub fn set_hook(&mut self, hook: Option<Py<PyAny>>) {
        self.hook = hook;
        self.pending.clear();
    }

    /// Queue an event about the loop at `loop_offset` of `code`.
    #[allow(clippy::too_many_arguments)]
    pub fn emit(
        &mut self,
        what: &'static str,
        code: usize,
        loop_offset: u32,
        offset: u32,
        kind: Option<&'static str>,
        reason: String,
        ms: Option<f64>,
    ) {
        if self.hook.is_none() {
            return;
        }
        // SAFETY: `code` is a live code object (its loop is running), and the
        // GIL is held.
        let code = Python::attach(|py| unsafe { Bound::from_borrowed_ptr(py, code as *mut ffi::PyObject).unbind() });
        self.pending.push(Event { what, code, loop_offset, offset, kind, reason, ms });
    }

    /// The hook and the events queued for it.
    pub fn take(&mut self) -> Option<(Py<PyAny>, Vec<Event>)> {
        if self.pending.is_empty() {
            return None;
        }
        let hook = Python::attach(|py| self.hook.as_ref().map(|h| h.clone_ref(py)))?;
        Some((hook, std::mem::take(&mut self.pending)))
    }
}

/// Call `hook` with each event as a dict. Its exceptions are reported as
/// unraisable: the program never sees them.
pub fn deliver(py: Python<'_>, hook: Py<PyAny>, events: Vec<Event>) {
    let in_flight = unsafe { ffi::PyErr_GetRaisedException() };
    for event in events {
        let call = || -> PyResult<()> {
            let d = PyDict::new(py);
            d.set_item("event", event.what)?;
            d.set_item("code", &event.code)?;
            d.set_item("loop_offset", event.loop_offset)?;
            d.set_item("offset", event.offset)?;
            d.set_item("kind", event.kind)?;
            d.set_item("reason", &event.reason)?;
            d.set_item("ms", event.ms)?;
            hook.call1(py, (d,))?;
            Ok(())
        };
        if let Err(err) = call() {
            err.write_unraisable(py, Some(hook.bind(py)));
        }
    }
    unsafe { ffi::PyErr_SetRaisedException(in_flight) };
}
