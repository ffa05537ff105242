//! Generators whose code a trace runs inlined in a `FOR_ITER` over them (see
//! the tracer's `record_generators`): what a suspended generator's frame holds,
//! and running one on from the middle of its code when a trace leaves there.

use super::{expect, field, set_field, Frame, Runtime};
use pyo3::ffi;
use pyo3::prelude::*;
use std::os::raw::c_int;

const FRAME_CREATED: i8 = -2;
const FRAME_SUSPENDED: i8 = -1;
const FRAME_EXECUTING: i8 = 0;

/// A generator suspended at a `yield`.
pub struct SuspendedGenerator {
    pub code: *mut ffi::PyObject,
    /// What its frame's instruction pointer holds while suspended there.
    pub prev_instr: u64,
    /// The offset it resumes at (after the `YIELD_VALUE`) and its value-stack depth.
    pub resume_pc: u32,
    pub depth: u32,
}

/// How running a generator on ended.
pub enum GeneratorRun {
    /// It yielded this value (a new reference).
    Yielded(*mut ffi::PyObject),
    /// It returned: it is exhausted.
    Returned,
    /// It raised; the exception is set.
    Raised,
}

type EvalFrame = unsafe extern "C" fn(*mut u8, Frame, c_int) -> *mut ffi::PyObject;

extern "C" {
    fn _PyEval_EvalFrameDefault(tstate: *mut u8, frame: Frame, throwflag: c_int) -> *mut ffi::PyObject;
}

impl Runtime {
    /// The generator in `obj`, if it is an exact generator suspended at a `yield`.
    pub unsafe fn suspended_generator(&self, obj: *mut ffi::PyObject) -> Option<SuspendedGenerator> {
        let l = &self.layout;
        if obj.is_null() || ffi::Py_TYPE(obj) != std::ptr::addr_of_mut!(ffi::PyGen_Type) {
            return None;
        }
        if field::<i8>(obj as *const u8, l.gen_frame_state) != FRAME_SUSPENDED {
            return None;
        }
        let frame = self.generator_frame(obj);
        let code: *mut ffi::PyObject = field(frame, l.frame_code);
        let start = code as u64 + l.code_adaptive as u64;
        let prev_instr: u64 = field(frame, l.frame_ip);
        let resume_pc = u32::try_from((prev_instr + 2).checked_sub(start)?).ok()?;
        let depth = u32::try_from(self.stacktop(frame) - self.nlocalsplus(code) as i32).ok()?;
        Some(SuspendedGenerator { code, prev_instr, resume_pc, depth })
    }

    /// The frame a generator object embeds.
    pub unsafe fn generator_frame(&self, generator: *mut ffi::PyObject) -> Frame {
        (generator as *mut u8).add(self.layout.gen_iframe)
    }

    /// Make the generator's frame go on at byte offset `pc` when it runs next
    /// (its instruction pointer names the instruction before, as a suspended
    /// generator's names its `YIELD_VALUE`).
    pub unsafe fn set_generator_pc(&self, generator: *mut ffi::PyObject, pc: u32) {
        let frame = self.generator_frame(generator);
        let code: *mut u8 = field(frame, self.layout.frame_code);
        set_field(frame, self.layout.frame_ip, code.add(self.layout.code_adaptive + pc as usize - 2));
    }

    /// Run a suspended generator on from where its frame points, as `next()`
    /// does (CPython's `gen_send_ex2`), except that no sent value is pushed:
    /// the frame's stack already holds what the instruction there expects.
    /// Python code runs with `tstate->tracing` lowered, as in the interpreter.
    pub unsafe fn run_generator(&self, generator: *mut ffi::PyObject) -> GeneratorRun {
        let l = &self.layout;
        let tstate = ffi::PyThreadState_Get() as *mut u8;
        let gen = generator as *mut u8;
        let exc_state = gen.add(l.gen_exc_state);
        let exc_info = tstate.add(l.tstate_exc_info) as *mut *mut u8;
        // gi_exc_state.previous_item, then the thread's exception stack names it.
        set_field(exc_state, 8, *exc_info);
        *exc_info = exc_state;
        set_field::<i8>(gen, l.gen_frame_state, FRAME_EXECUTING);
        let frame = self.generator_frame(generator);
        let interp: *const u8 = field(tstate, l.tstate_interp);
        let evaluator: Option<EvalFrame> = field(interp, l.interp_eval_frame);
        let result = self.untraced(|| match evaluator {
            Some(evaluate) => evaluate(tstate, frame, 0),
            None => _PyEval_EvalFrameDefault(tstate, frame, 0),
        });
        if result.is_null() {
            GeneratorRun::Raised
        } else if field::<i8>(gen, l.gen_frame_state) == FRAME_SUSPENDED {
            GeneratorRun::Yielded(result)
        } else {
            ffi::Py_DECREF(result);
            GeneratorRun::Returned
        }
    }

    /// The self-check of the generator layout: a new generator's state and
    /// code, and the state and resume point once it has yielded.
    pub(super) unsafe fn check_generators(&self, py: Python<'_>) -> Result<(), String> {
        let gen = py.eval(c"(lambda: (yield 7))()", None, None).map_err(|e| e.to_string())?;
        let code = gen.getattr("gi_code").map_err(|e| e.to_string())?;
        let state = |gen: &Bound<'_, PyAny>| field::<i8>(gen.as_ptr() as *const u8, self.layout.gen_frame_state);
        expect(state(&gen) == FRAME_CREATED, "generator gi_frame_state")?;
        let frame = self.generator_frame(gen.as_ptr());
        expect(field::<*mut ffi::PyObject>(frame, self.layout.frame_code) == code.as_ptr(), "generator gi_iframe")?;
        let first = gen.call_method0("__next__").map_err(|e| e.to_string())?;
        expect(first.extract::<i64>().ok() == Some(7), "generator yields")?;
        let suspended =
            self.suspended_generator(gen.as_ptr()).ok_or("layout self-check failed: suspended generator")?;
        let lasti: u32 =
            gen.getattr("gi_frame").and_then(|f| f.getattr("f_lasti")?.extract()).map_err(|e| e.to_string())?;
        expect(suspended.resume_pc == lasti + 2 && suspended.depth == 0, "suspended generator position")?;
        let tstate = ffi::PyThreadState_Get() as *const u8;
        expect(!field::<*const u8>(tstate, self.layout.tstate_exc_info).is_null(), "tstate.exc_info")
    }
}
