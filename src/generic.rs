//! `generic` instructions at run time, and running compiled code.
//!
//! What: for an instruction the trace has no fast path for, compiled code hands
//! over the values of the instruction's snapshot. This module writes them into
//! the frame (so Python code run from here sees the frame CPython would show:
//! locals current, the operands on the value stack), then runs the instruction
//! on the frame's own stack through the C API: it pops and releases the operands
//! and pushes the result as the interpreter's instruction does, so reference
//! counts and the order of `__del__` calls are the interpreter's. The result is
//! borrowed from the frame.
//!
//! The instruction runs with `tstate->tracing` lowered (`Runtime::untraced`):
//! inside a monitoring callback CPython would otherwise hide every event of the
//! Python code it runs from every tool (debuggers, profilers, coverage, hotloop
//! itself). So compiled code runs outside the JIT state (`monitor::with_jit`),
//! which that Python code may enter again: a hot loop in a called function is
//! compiled and run like any other.
//!
//! Leaving: when the instruction raises, the exception is kept and the trace
//! leaves to the instruction's offset, where `monitor` raises it again from an
//! INSTRUCTION event, so CPython reports it at that instruction with the right
//! traceback and handler. When the code it ran changed something the trace
//! relies on (a global it took as a constant, a tool switched on), the trace
//! leaves after the instruction.
//!
//! Rejected: calling the C API on operands held in registers. The trace would
//! own references and would have to release them exactly where CPython does;
//! the frame's own stack already does that.

use crate::cpython::{lookup_special, Frame, Runtime};
use crate::exit;
use crate::monitor::{self, CompiledLoop, TOOL_ID};
use crate::watch;
use hotloop_tracer::bytecode::{Instr, Opcode};
use pyo3::ffi;
use std::cell::RefCell;
use std::ffi::CStr;
use std::os::raw::c_int;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::rc::Rc;
use std::sync::atomic::{AtomicPtr, Ordering};

/// Why a trace left from a `generic` instruction.
pub enum Outcome {
    /// The instruction ran; the interpreter continues at `pc` (the frame and its
    /// stack are already as the instruction left them).
    Ran { pc: u32 },
    /// The instruction raised `exception` (owned): raise it again at `pc`.
    Raised { pc: u32, exception: *mut ffi::PyObject },
}

/// A compiled loop about to run in a frame; `record` is its entry in the stats.
#[derive(Clone)]
pub struct Entry {
    pub compiled: Rc<CompiledLoop>,
    pub code: *mut ffi::PyObject,
    pub frame: Frame,
    pub record: Option<usize>,
    /// Entered straight after another trace left through `Inst::Reenter`.
    pub reentered: bool,
}

struct Running {
    entry: Entry,
    /// `watch::generation()` when the trace was entered.
    generation: u64,
    outcome: Option<Outcome>,
}

thread_local! {
    /// Compiled loops running on this thread, innermost last.
    static RUNNING: RefCell<Vec<Running>> = const { RefCell::new(Vec::new()) };
    /// Exit buffers of entries that have left, for the next ones: an entry
    /// then allocates nothing (a loop entered once per outer iteration).
    static SPARE_BUFFERS: RefCell<Vec<Vec<u64>>> = const { RefCell::new(Vec::new()) };
}

/// The exit buffer of one entry; it goes back to the spares when dropped.
pub struct ExitBuffer(Vec<u64>);

impl std::ops::Deref for ExitBuffer {
    type Target = [u64];
    fn deref(&self) -> &[u64] {
        &self.0
    }
}

impl Drop for ExitBuffer {
    fn drop(&mut self) {
        let buf = std::mem::take(&mut self.0);
        // During thread teardown the spares may be gone already.
        let _ = SPARE_BUFFERS.try_with(|s| s.borrow_mut().push(buf));
    }
}

/// Run the entry's compiled code until it leaves. Returns the exit number, the
/// exit's values and, for a `generic` instruction's exit, why it left.
pub unsafe fn run(rt: &Runtime, entry: &Entry) -> (u32, ExitBuffer, Option<Outcome>) {
    let compiled = &entry.compiled.compiled;
    let mut buf = SPARE_BUFFERS.with(|s| s.borrow_mut().pop()).unwrap_or_default();
    buf.clear();
    buf.resize(compiled.exit_buf_len.max(1), 0);
    let localsplus = rt.localsplus(entry.frame) as *mut *mut u8;
    let trace_fn = compiled.entry();
    let running = Running { entry: entry.clone(), generation: watch::generation(), outcome: None };
    RUNNING.with(|r| r.borrow_mut().push(running));
    let exit = trace_fn(localsplus, buf.as_mut_ptr(), rt.eval_breaker());
    compiled.gather(exit as usize, &mut buf);
    let running = RUNNING.with(|r| r.borrow_mut().pop()).expect("the entry pushed above");
    (exit, ExitBuffer(buf), running.outcome)
}

/// The runtime's `generic` helper (see `abi::Generic`).
pub unsafe extern "C" fn hl_generic(exit_buf: *mut u64, exit: u32) -> u32 {
    let result = catch_unwind(AssertUnwindSafe(|| generic(exit_buf, exit)));
    result.unwrap_or_else(|_| {
        log::error!("internal error in a generic instruction");
        raised(snapshot_pc(exit), c"hotloop: internal error in a generic instruction")
    })
}

/// Where the running trace's exit `exit` resumes (0 if it cannot be told).
fn snapshot_pc(exit: u32) -> u32 {
    let pc = |r: &RefCell<Vec<Running>>| {
        let r = r.try_borrow().ok()?;
        let compiled = &r.last()?.entry.compiled;
        Some(compiled.trace.snap(compiled.compiled.exits.get(exit as usize)?.snap).pc)
    };
    RUNNING.with(|r| pc(r)).unwrap_or(0)
}

const CONTINUE: u32 = 0;
const LEAVE: u32 = 1;

unsafe fn generic(exit_buf: *mut u64, exit: u32) -> u32 {
    let (entry, generation) = RUNNING.with(|r| {
        let r = r.borrow();
        let top = r.last().expect("a trace is running");
        (top.entry.clone(), top.generation)
    });
    let Some(rt) = monitor::runtime() else {
        return raised(snapshot_pc(exit), c"hotloop: no runtime");
    };
    let compiled = &entry.compiled;
    let info = &compiled.compiled.exits[exit as usize];
    let snap = compiled.trace.snap(info.snap);
    let Some(instr) = compiled.code_data.loop_code.decoded.at(snap.pc).copied() else {
        return raised(snap.pc, c"hotloop: generic instruction out of the code");
    };
    let buf = std::slice::from_raw_parts(exit_buf, info.values.len());
    // Leaving here, the trace's own references go with it (the instruction's
    // result may overwrite the buffer, so they are taken now).
    let owned: Vec<*mut ffi::PyObject> =
        compiled.owned_at_exit[exit as usize].iter().map(|&k| buf[k] as *mut ffi::PyObject).collect();
    let leave = |outcome| {
        let status = leave(outcome);
        owned.iter().for_each(|&o| unsafe { ffi::Py_XDECREF(o) });
        status
    };
    let released = match exit::write_frame(rt, entry.frame, entry.code, compiled, exit as usize, buf) {
        Ok(released) => released,
        Err(()) => return leave(Outcome::Raised { pc: instr.start, exception: ffi::PyErr_GetRaisedException() }),
    };
    // Python code run from here (warnings, logging, a debugger) sees the frame
    // at this instruction; every way out of the trace sets its own offset.
    rt.set_resume_offset(entry.frame, entry.code, instr.offset);
    let stack = Stack {
        rt,
        frame: entry.frame,
        base: rt.localsplus(entry.frame),
        depth: compiled.trace.nlocalsplus + snap.depth,
    };
    let done = rt.untraced(|| {
        for obj in released {
            ffi::Py_XDECREF(obj);
        }
        run_instruction(stack, &entry, &instr, exit_buf)
    });
    let changed = watch::generation() != generation || rt.other_tools_active(entry.code, TOOL_ID);
    match done {
        Ok(Done { keep_going: true, .. }) if !changed => CONTINUE,
        Ok(Done { next_pc, .. }) => leave(Outcome::Ran { pc: next_pc }),
        Err(()) => leave(Outcome::Raised { pc: instr.start, exception: ffi::PyErr_GetRaisedException() }),
    }
}

/// Leave with a `SystemError`: hotloop itself failed at `pc`.
unsafe fn raised(pc: u32, message: &std::ffi::CStr) -> u32 {
    ffi::PyErr_SetString(ffi::PyExc_SystemError, message.as_ptr());
    leave(Outcome::Raised { pc, exception: ffi::PyErr_GetRaisedException() })
}

/// Record why the trace leaves and return the status that makes it leave.
unsafe fn leave(outcome: Outcome) -> u32 {
    RUNNING.with(|r| {
        if let Some(top) = r.borrow_mut().last_mut() {
            top.outcome = Some(outcome);
        }
    });
    LEAVE
}

/// Where the interpreter goes after the instruction, and whether the trace may
/// go on with it.
struct Done {
    next_pc: u32,
    keep_going: bool,
}

/// The frame's value stack, `depth` slots of `localsplus` deep (counting locals).
struct Stack<'a> {
    rt: &'a Runtime,
    frame: Frame,
    base: *mut *mut ffi::PyObject,
    depth: u32,
}

impl Stack<'_> {
    /// The `k`th value from the top (1 = the top).
    unsafe fn peek(&self, k: u32) -> *mut ffi::PyObject {
        *self.base.add((self.depth - k) as usize)
    }

    /// Take the top `n` values off the stack, then release them bottom first
    /// (the interpreter's `DECREF_INPUTS` order); the frame no longer holds
    /// them when their `__del__` runs.
    unsafe fn pop_release(&mut self, n: u32) {
        for obj in self.take(n) {
            ffi::Py_XDECREF(obj);
        }
    }

    /// Take the top `n` values off the stack, bottom first, with the
    /// references the frame held.
    unsafe fn take(&mut self, n: u32) -> Vec<*mut ffi::PyObject> {
        let taken = (0..n).map(|k| self.peek(n - k)).collect();
        self.depth -= n;
        self.rt.set_stacktop(self.frame, self.depth as i32);
        taken
    }

    /// Push a new reference (the frame owns it).
    unsafe fn push(&mut self, obj: *mut ffi::PyObject) {
        *self.base.add(self.depth as usize) = obj;
        self.depth += 1;
        self.rt.set_stacktop(self.frame, self.depth as i32);
    }

    /// Pop `n` operands and push `result` (a new reference), or fail when it
    /// is NULL (an exception is set).
    unsafe fn replace(&mut self, n: u32, result: *mut ffi::PyObject) -> Result<(), ()> {
        self.pop_release(n);
        if result.is_null() {
            return Err(());
        }
        self.push(result);
        Ok(())
    }
}

unsafe fn new_bool(b: bool) -> *mut ffi::PyObject {
    let obj = if b { ffi::Py_True() } else { ffi::Py_False() };
    ffi::Py_IncRef(obj);
    obj
}

/// `BINARY_OP`'s operators by oparg: `NB_*`, then their in-place forms.
unsafe fn binary(op: u32, a: *mut ffi::PyObject, b: *mut ffi::PyObject) -> *mut ffi::PyObject {
    type F = unsafe extern "C" fn(*mut ffi::PyObject, *mut ffi::PyObject) -> *mut ffi::PyObject;
    let table: [F; 13] = [
        ffi::PyNumber_Add,
        ffi::PyNumber_And,
        ffi::PyNumber_FloorDivide,
        ffi::PyNumber_Lshift,
        ffi::PyNumber_MatrixMultiply,
        ffi::PyNumber_Multiply,
        ffi::PyNumber_Remainder,
        ffi::PyNumber_Or,
        ffi::PyNumber_Add, // power: below
        ffi::PyNumber_Rshift,
        ffi::PyNumber_Subtract,
        ffi::PyNumber_TrueDivide,
        ffi::PyNumber_Xor,
    ];
    let in_place: [F; 13] = [
        ffi::PyNumber_InPlaceAdd,
        ffi::PyNumber_InPlaceAnd,
        ffi::PyNumber_InPlaceFloorDivide,
        ffi::PyNumber_InPlaceLshift,
        ffi::PyNumber_InPlaceMatrixMultiply,
        ffi::PyNumber_InPlaceMultiply,
        ffi::PyNumber_InPlaceRemainder,
        ffi::PyNumber_InPlaceOr,
        ffi::PyNumber_InPlaceAdd, // power: below
        ffi::PyNumber_InPlaceRshift,
        ffi::PyNumber_InPlaceSubtract,
        ffi::PyNumber_InPlaceTrueDivide,
        ffi::PyNumber_InPlaceXor,
    ];
    match op {
        8 => ffi::PyNumber_Power(a, b, ffi::Py_None()),
        21 => ffi::PyNumber_InPlacePower(a, b, ffi::Py_None()),
        0..=12 => table[op as usize](a, b),
        13..=25 => in_place[op as usize - 13](a, b),
        _ => {
            ffi::PyErr_SetString(ffi::PyExc_SystemError, c"hotloop: unknown binary operator".as_ptr());
            std::ptr::null_mut()
        }
    }
}

extern "C" {
    fn PyObject_Vectorcall(
        callable: *mut ffi::PyObject,
        args: *const *mut ffi::PyObject,
        nargsf: usize,
        kwnames: *mut ffi::PyObject,
    ) -> *mut ffi::PyObject;
}

const VECTORCALL_ARGUMENTS_OFFSET: usize = 1 << (usize::BITS - 1);

/// An interned str, made once.
unsafe fn interned(cache: &AtomicPtr<ffi::PyObject>, name: &CStr) -> *mut ffi::PyObject {
    let mut s = cache.load(Ordering::Relaxed);
    if s.is_null() {
        // Interned strs are immortal in 3.12: the reference needs no owner.
        s = ffi::PyUnicode_InternFromString(name.as_ptr());
        cache.store(s, Ordering::Relaxed);
    }
    s
}

/// `BEFORE_WITH`'s lookups of the bound `__enter__` and `__exit__`, in the
/// interpreter's order and with its messages.
unsafe fn context_methods(manager: *mut ffi::PyObject) -> Result<(*mut ffi::PyObject, *mut ffi::PyObject), ()> {
    static ENTER: AtomicPtr<ffi::PyObject> = AtomicPtr::new(std::ptr::null_mut());
    static EXIT: AtomicPtr<ffi::PyObject> = AtomicPtr::new(std::ptr::null_mut());
    let missing = |what: &CStr| {
        if ffi::PyErr_Occurred().is_null() {
            ffi::PyErr_Format(ffi::PyExc_TypeError, what.as_ptr(), (*ffi::Py_TYPE(manager)).tp_name);
        }
        Err(())
    };
    let enter = lookup_special(manager, interned(&ENTER, c"__enter__"));
    if enter.is_null() {
        return missing(c"'%.200s' object does not support the context manager protocol");
    }
    let exit = lookup_special(manager, interned(&EXIT, c"__exit__"));
    if exit.is_null() {
        ffi::Py_DECREF(enter);
        return missing(c"'%.200s' object does not support the context manager protocol (missed __exit__ method)");
    }
    Ok((enter, exit))
}

/// Run one instruction on the frame's stack as CPython 3.12's interpreter does.
unsafe fn run_instruction(mut st: Stack<'_>, entry: &Entry, instr: &Instr, out: *mut u64) -> Result<Done, ()> {
    let code = &entry.compiled.code_data.loop_code;
    let name = |index: u32| code.names[index as usize] as *mut ffi::PyObject;
    let next = Done { next_pc: instr.next, keep_going: true };
    let arg = instr.arg;
    match instr.opcode {
        Opcode::BinaryOp => {
            let result = binary(arg, st.peek(2), st.peek(1));
            st.replace(2, result)?;
        }
        Opcode::CompareOp => {
            let op = (arg >> code.format.compare_shift) as c_int;
            let result = ffi::PyObject_RichCompare(st.peek(2), st.peek(1), op);
            st.replace(2, result)?;
        }
        Opcode::ContainsOp => {
            let found = ffi::PySequence_Contains(st.peek(1), st.peek(2));
            st.pop_release(2);
            if found < 0 {
                return Err(());
            }
            st.push(new_bool((found == 1) != (arg == 1)));
        }
        Opcode::BinarySubscr => {
            let result = ffi::PyObject_GetItem(st.peek(2), st.peek(1));
            st.replace(2, result)?;
        }
        Opcode::StoreSubscr => {
            let status = ffi::PyObject_SetItem(st.peek(2), st.peek(1), st.peek(3));
            st.pop_release(3);
            if status < 0 {
                return Err(());
            }
        }
        Opcode::BinarySlice => {
            let slice = ffi::PySlice_New(st.peek(2), st.peek(1), std::ptr::null_mut());
            let result = if slice.is_null() { slice } else { ffi::PyObject_GetItem(st.peek(3), slice) };
            ffi::Py_XDECREF(slice);
            st.replace(3, result)?;
        }
        Opcode::BuildSlice => {
            let step = if arg == 3 { st.peek(1) } else { std::ptr::null_mut() };
            let slice = ffi::PySlice_New(st.peek(arg), st.peek(arg - 1), step);
            st.replace(arg, slice)?;
        }
        Opcode::StoreSlice => {
            // `container[start:stop] = value`: the slice takes over the
            // stack's references to its bounds, which go with it, before
            // the value and the container.
            let [start, stop] = st.take(2)[..] else { unreachable!("took two") };
            let slice = ffi::PySlice_New(start, stop, std::ptr::null_mut());
            ffi::Py_DECREF(start);
            ffi::Py_DECREF(stop);
            let status = if slice.is_null() { -1 } else { ffi::PyObject_SetItem(st.peek(1), slice, st.peek(2)) };
            ffi::Py_XDECREF(slice);
            st.pop_release(2);
            if status < 0 {
                return Err(());
            }
        }
        Opcode::LoadAttr => {
            let attr = ffi::PyObject_GetAttr(st.peek(1), name(arg >> 1));
            if arg & 1 == 1 {
                // The method form: NULL, then the bound attribute (CALL's shape
                // for a callable that is no unbound method).
                st.pop_release(1);
                if attr.is_null() {
                    return Err(());
                }
                st.push(std::ptr::null_mut());
                st.push(attr);
            } else {
                st.replace(1, attr)?;
            }
        }
        Opcode::StoreAttr => {
            let status = ffi::PyObject_SetAttr(st.peek(1), name(arg), st.peek(2));
            st.pop_release(2);
            if status < 0 {
                return Err(());
            }
        }
        Opcode::Call => {
            let kwnames = code
                .decoded
                .at(instr.start.wrapping_sub(2))
                .filter(|prev| prev.opcode == Opcode::KwNames)
                .map_or(std::ptr::null_mut(), |prev| code.consts[prev.arg as usize].addr as *mut ffi::PyObject);
            let nkw = if kwnames.is_null() { 0 } else { ffi::PyTuple_Size(kwnames) as u32 };
            let is_method = !st.peek(arg + 2).is_null();
            let (callable, first, total) =
                if is_method { (st.peek(arg + 2), arg + 1, arg + 1) } else { (st.peek(arg + 1), arg, arg) };
            let args = st.base.add((st.depth - first) as usize);
            let nargs = (total - nkw) as usize | VECTORCALL_ARGUMENTS_OFFSET;
            let result = PyObject_Vectorcall(callable, args, nargs, kwnames);
            st.replace(arg + 2, result)?;
        }
        Opcode::ListAppend | Opcode::SetAdd => {
            let collection = st.peek(arg + 1);
            let status = if instr.opcode == Opcode::ListAppend {
                ffi::PyList_Append(collection, st.peek(1))
            } else {
                ffi::PySet_Add(collection, st.peek(1))
            };
            st.pop_release(1);
            if status < 0 {
                return Err(());
            }
        }
        Opcode::MapAdd => {
            let status = ffi::PyDict_SetItem(st.peek(arg + 2), st.peek(2), st.peek(1));
            st.pop_release(2);
            if status < 0 {
                return Err(());
            }
        }
        Opcode::BuildTuple | Opcode::BuildList => {
            let items: Vec<*mut ffi::PyObject> = (0..arg).map(|k| st.peek(arg - k)).collect();
            let result = if instr.opcode == Opcode::BuildTuple {
                ffi::PyTuple_New(arg as isize)
            } else {
                ffi::PyList_New(arg as isize)
            };
            if !result.is_null() {
                for (k, &item) in items.iter().enumerate() {
                    ffi::Py_IncRef(item);
                    if instr.opcode == Opcode::BuildTuple {
                        ffi::PyTuple_SetItem(result, k as isize, item);
                    } else {
                        ffi::PyList_SetItem(result, k as isize, item);
                    }
                }
            }
            st.replace(arg, result)?;
        }
        Opcode::BuildString => {
            let pieces = ffi::PyTuple_New(arg as isize);
            let mut result = std::ptr::null_mut();
            if !pieces.is_null() {
                for k in 0..arg {
                    let piece = st.peek(arg - k);
                    ffi::Py_IncRef(piece);
                    ffi::PyTuple_SetItem(pieces, k as isize, piece);
                }
                let empty = ffi::PyUnicode_FromStringAndSize(std::ptr::null(), 0);
                if !empty.is_null() {
                    result = ffi::PyUnicode_Join(empty, pieces);
                    ffi::Py_DECREF(empty);
                }
                ffi::Py_DECREF(pieces);
            }
            st.replace(arg, result)?;
        }
        Opcode::FormatValue => {
            let has_spec = arg & 4 == 4;
            let (value, spec) = if has_spec { (st.peek(2), st.peek(1)) } else { (st.peek(1), std::ptr::null_mut()) };
            let converted = match arg & 3 {
                1 => ffi::PyObject_Str(value),
                2 => ffi::PyObject_Repr(value),
                3 => ffi::PyObject_ASCII(value),
                _ => {
                    ffi::Py_IncRef(value);
                    value
                }
            };
            let result = if converted.is_null() { converted } else { ffi::PyObject_Format(converted, spec) };
            ffi::Py_XDECREF(converted);
            st.replace(if has_spec { 2 } else { 1 }, result)?;
        }
        Opcode::UnaryNegative => {
            let result = ffi::PyNumber_Negative(st.peek(1));
            st.replace(1, result)?;
        }
        Opcode::UnaryInvert => {
            let result = ffi::PyNumber_Invert(st.peek(1));
            st.replace(1, result)?;
        }
        Opcode::UnaryNot => {
            let truth = ffi::PyObject_IsTrue(st.peek(1));
            st.pop_release(1);
            if truth < 0 {
                return Err(());
            }
            st.push(new_bool(truth == 0));
        }
        Opcode::PopJumpIfTrue | Opcode::PopJumpIfFalse => {
            let truth = ffi::PyObject_IsTrue(st.peek(1));
            st.pop_release(1);
            if truth < 0 {
                return Err(());
            }
            *out = truth as u64;
            let jumps = (truth == 1) == (instr.opcode == Opcode::PopJumpIfTrue);
            let target = instr.jump_target().expect("conditional jumps have targets");
            return Ok(Done { next_pc: if jumps { target } else { instr.next }, keep_going: true });
        }
        Opcode::BeforeWith => {
            let (enter, exit) = context_methods(st.peek(1))?;
            st.pop_release(1);
            let entered = ffi::PyObject_CallNoArgs(enter);
            ffi::Py_DECREF(enter);
            if entered.is_null() {
                ffi::Py_DECREF(exit);
                return Err(());
            }
            st.push(exit);
            st.push(entered);
            *out.add(1) = exit as u64;
        }
        Opcode::ForIter => {
            let iterator = st.peek(1);
            let item = match (*ffi::Py_TYPE(iterator)).tp_iternext {
                Some(next) => next(iterator),
                None => {
                    ffi::PyErr_SetString(ffi::PyExc_TypeError, c"hotloop: FOR_ITER on a non-iterator".as_ptr());
                    return Err(());
                }
            };
            if !item.is_null() {
                st.push(item);
            } else {
                if !ffi::PyErr_Occurred().is_null() {
                    if ffi::PyErr_ExceptionMatches(ffi::PyExc_StopIteration) == 0 {
                        return Err(());
                    }
                    ffi::PyErr_Clear();
                }
                // Exhausted: the iterator goes and the loop ends after END_FOR.
                st.pop_release(1);
                let end_for = instr.jump_target().expect("FOR_ITER has a target");
                return Ok(Done { next_pc: end_for + 2, keep_going: false });
            }
        }
        _ => {
            ffi::PyErr_SetString(ffi::PyExc_SystemError, c"hotloop: no generic form for this instruction".as_ptr());
            return Err(());
        }
    }
    // Every instruction here but the jumps leaves its result on top.
    if !matches!(instr.opcode, Opcode::StoreSubscr | Opcode::StoreSlice | Opcode::StoreAttr) {
        *out = st.peek(1) as u64;
    }
    Ok(next)
}
