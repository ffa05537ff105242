//! Counters reported by `hotloop.stats()`.

use hashbrown::HashMap;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

static TIMING: AtomicBool = AtomicBool::new(false);

/// Whether the time spent in compiled code is measured (`set_timing`).
pub fn timing() -> bool {
    TIMING.load(Ordering::Relaxed)
}

pub fn set_timing(on: bool) {
    TIMING.store(on, Ordering::Relaxed);
}

/// One hot loop: where it is, what became of it, and where its iterations ran.
pub struct LoopRecord {
    pub name: String,
    pub filename: String,
    pub line: u32,
    pub function: String,
    pub state: &'static str,
    /// The last reason it ran interpreted (its kind, and the reason), if any.
    pub why: Option<(&'static str, String)>,
    /// Recordings and compilations that failed, by reason.
    pub aborts: HashMap<String, u64>,
    /// Time spent compiling its trace and bridges, and recording them.
    pub compiling: Duration,
    pub recording: Duration,
    /// Time spent in its compiled code, when `timing()` is on.
    pub compiled_time: Duration,
    /// Back edges taken in compiled code.
    pub iterations_compiled: u64,
    /// Back edges the interpreter took (counted by the JUMP callback; once a
    /// loop is blacklisted its callbacks are switched off and it is not counted).
    pub iterations_interpreted: u64,
}

#[derive(Default)]
pub struct Stats {
    /// Hot loops, in the order they became hot.
    pub loops: Vec<LoopRecord>,
    pub loops_hot: u64,
    pub traces_compiled: u64,
    pub bridges_compiled: u64,
    pub trace_entries: u64,
    /// Entries straight after an exit through `Inst::Reenter`, without the
    /// interpreter in between.
    pub reentries: u64,
    pub exits: u64,
    /// Exits taken per trace name (`trace_slot`); reported for the traces
    /// that exited at least once.
    exits_by_trace: Vec<(String, u64)>,
    /// Trace name -> its place in `exits_by_trace`: counted by place, an
    /// exit hashes no name.
    trace_slots: HashMap<String, usize>,
    pub aborts: HashMap<String, u64>,
    pub loops_blacklisted: u64,
    pub traces_invalidated: u64,
    /// Traces thrown away to keep compiled code within its limit.
    pub traces_evicted: u64,
    /// Bytes of machine code the compiled traces hold now.
    pub code_size: usize,
    /// Panics caught inside hotloop (each turns the JIT off): always a bug.
    pub internal_errors: u64,
    pub recording: Duration,
    /// Time spent optimizing and compiling, failed attempts included.
    pub compiling: Duration,
    /// How long each compilation that made code (of a trace, or of a tree
    /// grown by a bridge) took, from the recording to machine code.
    pub compile_times: Vec<Duration>,
}

impl Stats {
    /// Where exits of the trace named `name` are counted (`count_exit`).
    pub fn trace_slot(&mut self, name: &str) -> usize {
        if let Some(&slot) = self.trace_slots.get(name) {
            return slot;
        }
        self.exits_by_trace.push((name.to_string(), 0));
        self.trace_slots.insert(name.to_string(), self.exits_by_trace.len() - 1);
        self.exits_by_trace.len() - 1
    }

    pub fn count_exit(&mut self, trace_slot: usize) {
        self.exits += 1;
        if let Some(entry) = self.exits_by_trace.get_mut(trace_slot) {
            entry.1 += 1;
        }
    }

    /// Counters back to zero; the traces' places and the loops' records stay
    /// theirs (loop states refer to them by place).
    pub fn reset(&mut self) {
        let mut exits_by_trace = std::mem::take(&mut self.exits_by_trace);
        exits_by_trace.iter_mut().for_each(|e| e.1 = 0);
        let trace_slots = std::mem::take(&mut self.trace_slots);
        let mut loops = std::mem::take(&mut self.loops);
        for record in &mut loops {
            record.aborts.clear();
            (record.compiling, record.recording, record.compiled_time) =
                (Duration::ZERO, Duration::ZERO, Duration::ZERO);
            (record.iterations_compiled, record.iterations_interpreted) = (0, 0);
        }
        *self = Stats { exits_by_trace, trace_slots, loops, ..Stats::default() };
    }

    pub fn note_compile(&mut self, took: Duration, made_code: bool) {
        self.compiling += took;
        if made_code {
            self.compile_times.push(took);
        }
    }

    /// The median compilation time, in milliseconds.
    fn median_compile_ms(&self) -> Option<f64> {
        let mut times = self.compile_times.clone();
        times.sort_unstable();
        let n = times.len();
        let middle = match n {
            0 => return None,
            _ if n % 2 == 1 => times[n / 2],
            _ => (times[n / 2 - 1] + times[n / 2]) / 2,
        };
        Some(middle.as_secs_f64() * 1e3)
    }

    pub fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("loops_hot", self.loops_hot)?;
        d.set_item("traces_compiled", self.traces_compiled)?;
        d.set_item("bridges_compiled", self.bridges_compiled)?;
        d.set_item("trace_entries", self.trace_entries)?;
        d.set_item("reentries", self.reentries)?;
        d.set_item("exits", self.exits)?;
        let by_trace = PyDict::new(py);
        for (name, n) in self.exits_by_trace.iter().filter(|e| e.1 > 0) {
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
        d.set_item("traces_evicted", self.traces_evicted)?;
        d.set_item("code_size", self.code_size)?;
        d.set_item("internal_errors", self.internal_errors)?;
        let loops = pyo3::types::PyList::empty(py);
        let (mut compiled, mut interpreted) = (0u64, 0u64);
        for record in &self.loops {
            let entry = PyDict::new(py);
            entry.set_item("loop", &record.name)?;
            entry.set_item("filename", &record.filename)?;
            entry.set_item("line", record.line)?;
            entry.set_item("function", &record.function)?;
            entry.set_item("state", record.state)?;
            entry.set_item("why_kind", record.why.as_ref().map(|w| w.0))?;
            entry.set_item("why", record.why.as_ref().map(|w| w.1.as_str()))?;
            let aborts = PyDict::new(py);
            for (reason, n) in &record.aborts {
                aborts.set_item(reason, n)?;
            }
            entry.set_item("aborts", aborts)?;
            entry.set_item("compile_ms", record.compiling.as_secs_f64() * 1e3)?;
            entry.set_item("recording_ms", record.recording.as_secs_f64() * 1e3)?;
            entry.set_item("compiled_seconds", timing().then(|| record.compiled_time.as_secs_f64()))?;
            entry.set_item("iterations_compiled", record.iterations_compiled)?;
            entry.set_item("iterations_interpreted", record.iterations_interpreted)?;
            loops.append(entry)?;
            compiled += record.iterations_compiled;
            interpreted += record.iterations_interpreted;
        }
        d.set_item("loops", loops)?;
        d.set_item("iterations_compiled", compiled)?;
        d.set_item("iterations_interpreted", interpreted)?;
        let total = compiled + interpreted;
        d.set_item("compiled_share", (total > 0).then(|| compiled as f64 / total as f64))?;
        d.set_item("recording_seconds", self.recording.as_secs_f64())?;
        d.set_item("compile_seconds", self.compiling.as_secs_f64())?;
        d.set_item("compiles", self.compile_times.len())?;
        d.set_item("compile_ms_median", self.median_compile_ms())?;
        d.set_item("compile_ms_max", self.compile_times.iter().max().map(|t| t.as_secs_f64() * 1e3))?;
        Ok(d)
    }
}
