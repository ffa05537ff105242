//! `hotloop._hotloop`: the only code that touches CPython at run time. The public
//! API lives in `python/hotloop/__init__.py`, which validates arguments and calls
//! the functions here (their contract is `python/hotloop/_hotloop.pyi`).

mod compile_worker;
mod cpython;
mod events;
mod exit;
mod generic;
mod logger;
mod monitor;
mod observe;
mod select;
mod stats;
mod watch;

use monitor::{with_jit, Jump, Reply};
use pyo3::exceptions::PyRuntimeError;
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use std::os::raw::c_int;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::OnceLock;

/// Why the JIT is off for this interpreter (set once at import).
static LAYOUT_ERROR: OnceLock<Option<String>> = OnceLock::new();

fn no_jit() -> PyErr {
    let why = LAYOUT_ERROR.get().cloned().flatten().unwrap_or_else(|| "not initialized".into());
    PyRuntimeError::new_err(format!("hotloop is unavailable: {why}"))
}

#[pyfunction]
fn layout_error() -> Option<String> {
    LAYOUT_ERROR.get().cloned().flatten()
}

#[pyfunction]
#[pyo3(signature = (threshold, max_code_size, modules=None))]
fn enable(py: Python<'_>, threshold: u32, max_code_size: usize, modules: Option<Vec<String>>) -> PyResult<()> {
    if threshold == 0 {
        return Err(pyo3::exceptions::PyValueError::new_err("threshold must be at least 1"));
    }
    with_jit(|jit| jit.enable(py, threshold, max_code_size, modules)).unwrap_or_else(|| Err(no_jit()))
}

/// Call `hook(event_dict)` for every event (`events`), or stop (None).
#[pyfunction]
#[pyo3(signature = (hook))]
fn set_event_hook(hook: Option<Py<PyAny>>) -> PyResult<()> {
    with_jit(|jit| jit.events.set_hook(hook)).ok_or_else(no_jit)
}

/// Hand the events queued during a callback to the hook, now that the JIT
/// state is free.
fn deliver_events() {
    if let Some(Some((hook, events))) = with_jit(|jit| jit.events.take()) {
        Python::attach(|py| events::deliver(py, hook, events));
    }
}

/// Measure the time each loop spends in compiled code (`compiled_seconds` in
/// `stats()["loops"]`): two clock reads per entry, so only on request.
#[pyfunction]
fn set_timing(on: bool) {
    stats::set_timing(on);
}

/// Write each trace compiled from now on into perf's map (/tmp/perf-PID.map).
#[pyfunction]
fn set_perf_map(on: bool) -> PyResult<()> {
    with_jit(|jit| jit.perf_map = on).ok_or_else(no_jit)
}

#[pyfunction]
fn refresh_log_level(py: Python<'_>) {
    logger::refresh_level(py);
}

#[pyfunction]
fn add_modules(py: Python<'_>, modules: Vec<String>) -> PyResult<()> {
    with_jit(|jit| jit.add_modules(py, modules)).unwrap_or_else(|| Err(no_jit()))
}

#[pyfunction]
fn disable(py: Python<'_>) -> PyResult<()> {
    with_jit(|jit| jit.disable(py)).unwrap_or(Ok(()))
}

#[pyfunction]
fn is_enabled() -> bool {
    with_jit(|jit| jit.enabled).unwrap_or(false)
}

#[pyfunction(name = "stats")]
fn get_stats(py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
    with_jit(|jit| jit.stats.to_dict(py)).unwrap_or_else(|| stats::Stats::default().to_dict(py))
}

/// Wait for the compiler's threads to finish their work (`os.register_at_fork`
/// calls it before a fork).
#[pyfunction]
fn finish_background_work(py: Python<'_>) {
    py.detach(monitor::finish_background_work);
}

#[pyfunction]
fn reset_stats() {
    with_jit(|jit| jit.stats.reset());
}

/// Switch off the optimization passes named (every other one on again).
#[pyfunction]
fn set_disabled_passes(names: Vec<String>) -> PyResult<()> {
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    hotloop_tracer::opt::set_disabled(&names).map_err(pyo3::exceptions::PyValueError::new_err)
}

/// Every kind of reason a loop runs interpreted: (kind, explanation, hint).
#[pyfunction]
fn abort_reasons() -> Vec<(&'static str, &'static str, &'static str)> {
    hotloop_tracer::abort::REASONS.iter().map(|r| (r.kind, r.explanation, r.hint)).collect()
}

#[pyfunction]
#[pyo3(signature = (passes=false, asm=false))]
fn traces(py: Python<'_>, passes: bool, asm: bool) -> PyResult<Bound<'_, PyList>> {
    let list = PyList::empty(py);
    let all = with_jit(|jit| jit.all_traces.clone()).unwrap_or_default();
    for t in all {
        let d = PyDict::new(py);
        d.set_item("name", &t.name)?;
        d.set_item("filename", &t.filename)?;
        d.set_item("line", t.line)?;
        d.set_item("function", &t.function)?;
        d.set_item("header_offset", t.header_pc)?;
        // SAFETY: the trace goes when its code object dies (`Jit::forget`).
        d.set_item("code", unsafe { Bound::from_borrowed_ptr(py, t.code as *mut ffi::PyObject) })?;
        d.set_item("recorded_ir", t.root.iteration.to_string())?;
        d.set_item("optimized_ir", t.trace.to_string())?;
        d.set_item("entries", t.entries.get())?;
        let exits = PyDict::new(py);
        for (exit, &n) in t.compiled.exits.iter().zip(t.exit_counts.borrow().iter()) {
            if n > 0 {
                let at = exit.guard.map_or_else(|| "loop".to_string(), |g| g.to_string());
                exits.set_item(at, n)?;
            }
        }
        d.set_item("exits", exits)?;
        d.set_item("code_size", t.compiled.code_size)?;
        if asm {
            // Compiling the same trace again gives the same code, this time
            // with Cranelift's listing of it (kept for no trace otherwise).
            let rt = monitor::runtime().ok_or_else(no_jit)?;
            let again = hotloop_tracer::codegen::compile(&t.trace, &rt.abi, true).map_err(|e| {
                pyo3::exceptions::PyRuntimeError::new_err(format!("compiling {} again failed: {e}", t.name))
            })?;
            d.set_item("asm", again.disasm.as_deref())?;
        }
        if passes {
            // The optimizer is deterministic: running it again on the same
            // recordings gives the stages of the trace that was compiled.
            let stages = hotloop_tracer::opt::stages(&t.root, t.bridges()).map_err(|e| {
                pyo3::exceptions::PyRuntimeError::new_err(format!("optimizing {} again failed: {e}", t.name))
            })?;
            let stages: Vec<(String, String)> =
                stages.into_iter().map(|(name, trace)| (name, trace.to_string())).collect();
            d.set_item("passes", stages)?;
        }
        list.append(d)?;
    }
    Ok(list)
}

// --- sys.monitoring callbacks (raw METH_FASTCALL: no argument parsing, no
//     allocation on the common path) ---------------------------------------------

/// Drop references the JIT state no longer holds (`__del__` may run).
unsafe fn release(mut objects: Vec<*mut ffi::PyObject>) {
    // Releasing may run `__del__`, which may leave a trace and release in turn:
    // nothing is borrowed meanwhile.
    for obj in objects.drain(..) {
        ffi::Py_XDECREF(obj);
    }
    exit::recycle(objects);
}

unsafe fn reply(r: Reply) -> *mut ffi::PyObject {
    match r {
        Reply::Continue => {
            let none = ffi::Py_None();
            ffi::Py_IncRef(none);
            none
        }
        Reply::Disable => {
            let d = with_jit(|jit| jit.disable_sentinel()).unwrap_or(std::ptr::null_mut());
            if d.is_null() {
                return reply(Reply::Continue);
            }
            ffi::Py_IncRef(d);
            d
        }
        Reply::Error => std::ptr::null_mut(),
    }
}

thread_local! {
    static IN_CALLBACK: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Panics inside hotloop's callbacks are caught (see `guarded`) and must not
/// print to the program's stderr: they go to the `hotloop` logger instead.
/// Panics anywhere else keep the hook that was installed before.
fn quiet_panics_in_callbacks() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if IN_CALLBACK.with(|c| c.get()) {
            log::error!("internal error in hotloop: {info}");
        } else {
            previous(info);
        }
    }));
}

/// A panic must not unwind into CPython: turn the JIT off and carry on with
/// `fallback`.
fn guarded<R>(fallback: R, f: impl FnOnce() -> R) -> R {
    let outer = IN_CALLBACK.with(|c| c.replace(true));
    let result = catch_unwind(AssertUnwindSafe(f));
    IN_CALLBACK.with(|c| c.set(outer));
    result.unwrap_or_else(|_| {
        log::error!("the JIT is now off after an internal error");
        with_jit(|jit| {
            jit.enabled = false;
            jit.stats.internal_errors += 1;
        });
        fallback
    })
}

unsafe extern "C" fn on_jump(
    _: *mut ffi::PyObject,
    args: *mut *mut ffi::PyObject,
    nargs: ffi::Py_ssize_t,
) -> *mut ffi::PyObject {
    if nargs == 3 {
        let (code, src, dest) = jump_args(args);
        if with_jit(|jit| jit.count_back_edge(code, src, dest)) == Some(true) {
            return reply(Reply::Continue);
        }
    }
    let result = run_jump(args, nargs);
    deliver_events();
    result
}

/// A JUMP event's arguments: the code object, and the offsets the jump goes
/// from and to.
unsafe fn jump_args(args: *mut *mut ffi::PyObject) -> (*mut ffi::PyObject, u32, u32) {
    (*args, ffi::PyLong_AsLong(*args.add(1)) as u32, ffi::PyLong_AsLong(*args.add(2)) as u32)
}

unsafe fn run_jump(args: *mut *mut ffi::PyObject, nargs: ffi::Py_ssize_t) -> *mut ffi::PyObject {
    if nargs != 3 {
        return reply(Reply::Continue);
    }
    let (code, src, dest) = jump_args(args);
    let continue_ = || Jump::Reply(Reply::Continue, Vec::new());
    let mut jump = guarded(continue_(), || with_jit(|jit| jit.on_jump(code, src, dest)).unwrap_or_else(continue_));
    loop {
        let entry = match jump {
            Jump::Reply(r, released) => {
                release(released);
                return reply(r);
            }
            Jump::Enter(entry) => entry,
        };
        // Compiled code runs outside the JIT state: Python code it calls may
        // raise events that need it.
        let Some(rt) = monitor::runtime() else {
            return reply(Reply::Continue);
        };
        let timing = stats::timing();
        let started = timing.then(std::time::Instant::now);
        let (exit, buf, outcome) = generic::run(rt, &entry);
        if let (Some(started), Some(record)) = (started, entry.record) {
            with_jit(|jit| jit.stats.loops.get_mut(record).map(|r| r.compiled_time += started.elapsed()));
        }
        let reenter_at = outcome.as_ref().map_or_else(|| entry.compiled.reenter_pc(exit), |_| None);
        let after = || {
            with_jit(|jit| jit.after_trace(&entry, exit, &buf, outcome)).unwrap_or((Reply::Continue, Vec::new(), None))
        };
        let (r, released, run_on) = guarded((Reply::Continue, Vec::new(), None), after);
        release(released);
        if let Some(run) = run_on {
            // Python code runs here, outside the JIT state, as released values' `__del__` may.
            if let Err(exception) = exit::finish_for_iter(rt, entry.frame, entry.code, &run) {
                let raised = with_jit(|jit| jit.raise_again_at(entry.code, entry.frame, run.for_iter, exception));
                if raised.is_none() {
                    ffi::PyErr_SetRaisedException(exception);
                    return reply(Reply::Error);
                }
            }
        }
        let Some(header) = reenter_at.filter(|_| matches!(r, Reply::Continue)) else {
            return reply(r);
        };
        // The frame is at a loop header, as after a back edge: enter its
        // trace without the interpreter.
        jump = guarded(continue_(), || with_jit(|jit| jit.reenter(entry.code, header)).unwrap_or_else(continue_));
    }
}

unsafe extern "C" fn on_instruction(
    _: *mut ffi::PyObject,
    args: *mut *mut ffi::PyObject,
    nargs: ffi::Py_ssize_t,
) -> *mut ffi::PyObject {
    if nargs != 2 {
        return reply(Reply::Continue);
    }
    let code = *args;
    let offset = ffi::PyLong_AsLong(*args.add(1)) as u32;
    let result =
        reply(guarded(Reply::Continue, || with_jit(|jit| jit.on_instruction(code, offset)).unwrap_or(Reply::Disable)));
    deliver_events();
    result
}

fn fastcall(name: &'static std::ffi::CStr, f: ffi::PyCFunctionFast) -> *mut ffi::PyMethodDef {
    Box::leak(Box::new(ffi::PyMethodDef {
        ml_name: name.as_ptr(),
        ml_meth: ffi::PyMethodDefPointer { PyCFunctionFast: f },
        ml_flags: ffi::METH_FASTCALL,
        ml_doc: std::ptr::null(),
    }))
}

/// The two native callbacks, made once.
pub fn callbacks(py: Python<'_>) -> PyResult<(Py<PyAny>, Py<PyAny>)> {
    static DEFS: OnceLock<(usize, usize)> = OnceLock::new();
    let (jump, instr) = *DEFS.get_or_init(|| {
        (fastcall(c"hotloop_jump", on_jump) as usize, fastcall(c"hotloop_instruction", on_instruction) as usize)
    });
    unsafe {
        let make = |def: usize| -> PyResult<Py<PyAny>> {
            let f = ffi::PyCFunction_NewEx(def as *mut ffi::PyMethodDef, std::ptr::null_mut(), std::ptr::null_mut());
            Bound::from_owned_ptr_or_err(py, f).map(Bound::unbind)
        };
        Ok((make(jump)?, make(instr)?))
    }
}

// --- Code watcher ----------------------------------------------------------------

extern "C" {
    fn PyCode_AddWatcher(callback: unsafe extern "C" fn(c_int, *mut ffi::PyObject) -> c_int) -> c_int;
}

const CODE_EVENT_CREATE: c_int = 0;
const CODE_EVENT_DESTROY: c_int = 1;

unsafe extern "C" fn on_code_event(event: c_int, code: *mut ffi::PyObject) -> c_int {
    // Whatever exception is in flight must survive our work.
    let in_flight = ffi::PyErr_GetRaisedException();
    let _ = catch_unwind(AssertUnwindSafe(|| {
        with_jit(|jit| match event {
            CODE_EVENT_CREATE => Python::attach(|py| jit.instrument(py, code)),
            CODE_EVENT_DESTROY => jit.forget(code),
            _ => {}
        })
    }));
    ffi::PyErr_SetRaisedException(in_flight);
    0
}

/// Start watching code objects being created and destroyed, for good: also
/// while disabled, when a destroyed one must still be forgotten (see
/// `Jit::disable`).
pub fn watch_code() {
    static WATCHING: std::sync::Mutex<bool> = std::sync::Mutex::new(false);
    let mut watching = WATCHING.lock().unwrap_or_else(|e| e.into_inner());
    if *watching {
        return;
    }
    // SAFETY: called with the GIL held (from `enable`).
    if unsafe { PyCode_AddWatcher(on_code_event) } >= 0 {
        *watching = true;
    } else {
        unsafe { ffi::PyErr_Clear() };
        log::warn!("no free code watcher: loops in code created from now on are not accelerated");
    }
}

#[pymodule]
fn _hotloop(m: &Bound<'_, PyModule>) -> PyResult<()> {
    logger::install(m.py());
    quiet_panics_in_callbacks();
    let error = match cpython::Runtime::detect(m.py()) {
        Ok(rt) => {
            monitor::install(rt);
            None
        }
        Err(why) => Some(why),
    };
    let _ = LAYOUT_ERROR.set(error);
    m.add_function(wrap_pyfunction!(layout_error, m)?)?;
    m.add_function(wrap_pyfunction!(enable, m)?)?;
    m.add_function(wrap_pyfunction!(add_modules, m)?)?;
    m.add_function(wrap_pyfunction!(refresh_log_level, m)?)?;
    m.add_function(wrap_pyfunction!(set_event_hook, m)?)?;
    m.add_function(wrap_pyfunction!(set_timing, m)?)?;
    m.add_function(wrap_pyfunction!(set_perf_map, m)?)?;
    m.add_function(wrap_pyfunction!(abort_reasons, m)?)?;
    m.add_function(wrap_pyfunction!(disable, m)?)?;
    m.add_function(wrap_pyfunction!(is_enabled, m)?)?;
    m.add_function(wrap_pyfunction!(get_stats, m)?)?;
    m.add_function(wrap_pyfunction!(reset_stats, m)?)?;
    m.add_function(wrap_pyfunction!(finish_background_work, m)?)?;
    m.add_function(wrap_pyfunction!(traces, m)?)?;
    m.add_function(wrap_pyfunction!(set_disabled_passes, m)?)?;
    Ok(())
}
