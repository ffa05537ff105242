//! Counters reported by `hotloop.stats()`.

use hashbrown::HashMap;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use std::time::Duration;

#[derive(Default)]
pub struct Stats {
    pub loops_hot: u64,
    pub traces_compiled: u64,
    pub bridges_compiled: u64,
    pub trace_entries: u64,
    pub exits: u64,
    /// Trace name -> exits taken, for traces that exited at least once.
    pub exits_by_trace: HashMap<String, u64>,
    pub aborts: HashMap<String, u64>,
    pub loops_blacklisted: u64,
    pub traces_invalidated: u64,
    /// Panics caught inside hotloop (each turns the JIT off): always a bug.
    pub internal_errors: u64,
    pub recording: Duration,
    pub compiling: Duration,
}

impl Stats {
    pub fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("loops_hot", self.loops_hot)?;
        d.set_item("traces_compiled", self.traces_compiled)?;
        d.set_item("bridges_compiled", self.bridges_compiled)?;
        d.set_item("trace_entries", self.trace_entries)?;
        d.set_item("exits", self.exits)?;
        let by_trace = PyDict::new(py);
        for (name, n) in &self.exits_by_trace {
            by_trace.set_item(name, n)?;
        }
        d.set_item("exits_by_trace", by_trace)?;
        let aborts = PyDict::new(py);
        for (reason, n) in &self.aborts {
            aborts.set_item(reason, n)?;
        }
        d.set_item("aborts", aborts)?;
        d.set_item("loops_blacklisted", self.loops_blacklisted)?;
        d.set_item("traces_invalidated", self.traces_invalidated)?;
        d.set_item("internal_errors", self.internal_errors)?;
        d.set_item("recording_seconds", self.recording.as_secs_f64())?;
        d.set_item("compile_seconds", self.compiling.as_secs_f64())?;
        Ok(d)
    }
}
