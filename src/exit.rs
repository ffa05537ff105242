//! Leaving a compiled trace: the exit's live values are boxed and written into
//! the interpreter frame, the value stack is set to the snapshot's depth, and the
//! interpreter resumes at the snapshot's bytecode offset. A `generic`
//! instruction writes its snapshot the same way without leaving.
//!
//! The frame's stack top says which stack slots hold references: the loop's
//! own stack when the trace was entered, more once a generic instruction left
//! its result there. Slots above it hold nothing the frame owns.
//!
//! New references are made first; the frame slots they replace are collected and
//! released by the caller only after the frame is consistent again, because
//! releasing may run `__del__`, which may look at the frame.

use crate::cpython::{Frame, GeneratorRun, Runtime};
use crate::monitor::CompiledLoop;
use hotloop_tracer::codegen::ExitInfo;
use hotloop_tracer::ir::{Trace, Ty};
use hotloop_tracer::opt::identity;
use pyo3::ffi;

thread_local! {
    /// Emptied vectors of object pointers (the references an exit releases),
    /// for the next exit: a loop left and entered again on every turn of an
    /// outer loop (a bridge linking two loops) would otherwise allocate and
    /// free one per exit.
    static SPARE_VECS: std::cell::RefCell<Vec<Vec<*mut ffi::PyObject>>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// An empty vector of object pointers, from the spares if there is one.
pub fn object_vec() -> Vec<*mut ffi::PyObject> {
    SPARE_VECS.try_with(|s| s.borrow_mut().pop()).ok().flatten().unwrap_or_default()
}

/// Give back a vector from `object_vec` once it is no longer needed.
pub fn recycle(mut objects: Vec<*mut ffi::PyObject>) {
    objects.clear();
    // During thread teardown the spares may be gone already.
    let _ = SPARE_VECS.try_with(|s| s.borrow_mut().push(objects));
}

/// Box one exit value into a new reference (NULL stays NULL).
unsafe fn boxed(ty: Ty, bits: u64) -> Result<*mut ffi::PyObject, ()> {
    let obj = match ty {
        Ty::I64 => ffi::PyLong_FromLongLong(bits as i64),
        Ty::F64 => ffi::PyFloat_FromDouble(f64::from_bits(bits)),
        Ty::Bool => {
            let b = if bits != 0 { ffi::Py_True() } else { ffi::Py_False() };
            ffi::Py_IncRef(b);
            b
        }
        Ty::Obj => {
            let obj = bits as *mut ffi::PyObject;
            ffi::Py_XINCREF(obj);
            return Ok(obj);
        }
        Ty::Void => unreachable!("snapshots hold values"),
    };
    if obj.is_null() {
        Err(())
    } else {
        Ok(obj)
    }
}

/// Values an exit's snapshot holds, at most, for `write_frame` to keep the
/// objects it makes on the stack.
const FRESH_ON_STACK: usize = 48;

/// The objects `write_frame` made so far, one per value of the exit.
struct FreshObjects<'a> {
    objects: &'a mut [*mut ffi::PyObject],
    len: usize,
}

impl FreshObjects<'_> {
    fn push(&mut self, obj: *mut ffi::PyObject) {
        self.objects[self.len] = obj;
        self.len += 1;
    }
}

/// How `write_frame` makes the object for one value of an exit, worked out
/// once per exit rather than on every exit taken (an outer loop that goes
/// from one inner loop's trace to another's exits twice a turn).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum EntryPlan {
    /// An identity slot: it is written nowhere.
    Shadowed,
    /// The IR value of an earlier entry (`z = y`): the object made for that.
    SameAs(usize),
    /// An object of its own; `identity`: the entry of its identity slot, whose
    /// value (when not NULL) is the existing object it stands for.
    Own { identity: Option<usize> },
}

/// The plan of each value of `exit` (see `EntryPlan`).
pub fn plan(trace: &Trace, exit: &ExitInfo) -> Vec<EntryPlan> {
    let entries = &trace.snap(exit.snap).entries;
    let mut plan = Vec::with_capacity(exit.values.len());
    for (k, (&(slot, _), &(_, value))) in exit.values.iter().zip(entries).enumerate() {
        plan.push(if slot.shadowed().is_some() {
            EntryPlan::Shadowed
        } else if let Some(first) = entries[..k].iter().position(|e| e.1 == value) {
            EntryPlan::SameAs(first)
        } else {
            EntryPlan::Own { identity: exit.values.iter().position(|v| v.0 == slot.identity()) }
        });
    }
    plan
}

/// Apply exit `exit_id` of `compiled` to `frame`, with the exit's values in
/// `buf`. Returns the references the frame held before (to release), or `Err`
/// with a Python exception set.
pub unsafe fn apply(
    rt: &Runtime,
    frame: Frame,
    code: *mut ffi::PyObject,
    compiled: &CompiledLoop,
    exit_id: usize,
    buf: &[u64],
) -> Result<Vec<*mut ffi::PyObject>, ()> {
    let written = write_frame(rt, frame, code, compiled, exit_id, buf);
    // The trace's own references go too (the frame took references of its own).
    let owned = compiled.owned_at_exit[exit_id].iter().map(|&k| buf[k] as *mut ffi::PyObject);
    let mut released = match written {
        Ok(released) => released,
        Err(()) => {
            owned.for_each(|o| ffi::Py_XDECREF(o));
            return Err(());
        }
    };
    released.extend(owned);
    let snap = compiled.trace.snap(compiled.compiled.exits[exit_id].snap);
    rt.set_resume_offset(frame, code, snap.pc);
    Ok(released)
}

/// Write the snapshot of exit `exit_id` into `frame` (values from `buf`) and set
/// the stack top to its depth; the interpreter's position stays. Returns the
/// references the frame held before (to release once the frame is consistent).
pub unsafe fn write_frame(
    rt: &Runtime,
    frame: Frame,
    code: *mut ffi::PyObject,
    compiled: &CompiledLoop,
    exit_id: usize,
    buf: &[u64],
) -> Result<Vec<*mut ffi::PyObject>, ()> {
    let info = &compiled.compiled.exits[exit_id];
    let trace = &compiled.trace;
    let snap = trace.snap(info.snap);
    // One object per IR value: slots that held the same object in CPython
    // (`z = y`) hold the same object after the exit too; and one per tag
    // (`opt::identity::tag`): a new value a bridge gave several variables.
    // An unboxed value that is an existing object (its identity slot holds
    // it) exits as that object. The objects made are kept on the stack for
    // the usual exit, whose snapshot holds a few dozen values at most (a
    // vector from the spares costs thread-local lookups).
    let mut on_stack = [std::ptr::null_mut(); FRESH_ON_STACK];
    let mut on_heap = Vec::new();
    let mut fresh = if info.values.len() <= FRESH_ON_STACK {
        FreshObjects { objects: &mut on_stack[..], len: 0 }
    } else {
        on_heap.resize(info.values.len(), std::ptr::null_mut());
        FreshObjects { objects: &mut on_heap[..], len: 0 }
    };
    let mut tagged: Vec<(u64, *mut ffi::PyObject)> = Vec::new();
    for (k, (&(_, ty), &step)) in info.values.iter().zip(&compiled.exit_plans[exit_id]).enumerate() {
        let identity_entry = match step {
            EntryPlan::Shadowed => {
                fresh.push(std::ptr::null_mut());
                continue;
            }
            EntryPlan::SameAs(first) => {
                ffi::Py_XINCREF(fresh.objects[first]);
                fresh.push(fresh.objects[first]);
                continue;
            }
            EntryPlan::Own { identity } => identity,
        };
        let held = identity_entry.map(|i| buf[i]).filter(|&bits| bits != 0);
        let tag = held.filter(|&bits| identity::is_tag(bits));
        if let Some(&(_, obj)) = tag.and_then(|tag| tagged.iter().find(|t| t.0 == tag)) {
            ffi::Py_INCREF(obj);
            fresh.push(obj);
            continue;
        }
        let object = held.filter(|_| tag.is_none()).map(|bits| (Ty::Obj, bits));
        let (ty, bits) = object.unwrap_or((ty, buf[k]));
        match boxed(ty, bits) {
            Ok(obj) => {
                if let Some(tag) = tag {
                    tagged.push((tag, obj));
                }
                fresh.push(obj)
            }
            Err(()) => {
                fresh.objects[..fresh.len].iter().for_each(|&o| ffi::Py_XDECREF(o));
                return Err(());
            }
        }
    }
    let localsplus = rt.localsplus(frame);
    // Slots below the stack top (an index into `localsplus`) hold references now.
    let live_before = rt.stacktop(frame).max(trace.nlocalsplus as i32) as u32;
    let mut released = object_vec();
    let new_top = trace.nlocalsplus + snap.depth;
    for slot in new_top..live_before {
        released.push(*localsplus.add(slot as usize));
    }
    // The generator the trace runs inlined: its own frame gets its slots, in
    // the same way (it is suspended, so its stack top is valid).
    let generator = trace.generator.zip(snap.generator).map(|(g, point)| {
        let object = *localsplus.add(g.iterator.0 as usize);
        let gen_frame = rt.generator_frame(object);
        let live = rt.stacktop(gen_frame).max(g.nlocalsplus as i32) as u32;
        (object, gen_frame, live, g.nlocalsplus + point.depth, point.pc)
    });
    if let Some((_, gen_frame, live, top, _)) = generator {
        for slot in top..live {
            released.push(*rt.localsplus(gen_frame).add(slot as usize));
        }
    }
    let mut names = Vec::new();
    for (&(slot, _), &obj) in info.values.iter().zip(&fresh.objects[..fresh.len]) {
        if slot.shadowed().is_some() {
            continue;
        }
        if let Some(index) = slot.name_index() {
            names.push((index, obj));
            continue;
        }
        if let Some(k) = slot.generator_index() {
            let (_, gen_frame, live, _, _) = generator.expect("generator slots come with the generator's state");
            let place = rt.localsplus(gen_frame).add(k as usize);
            if k < live {
                released.push(*place);
            }
            *place = obj;
            continue;
        }
        let place = localsplus.add(slot.0 as usize);
        if slot.0 < live_before {
            released.push(*place);
        }
        *place = obj;
    }
    rt.set_stacktop(frame, new_top as i32);
    if let Some((object, gen_frame, _, top, pc)) = generator {
        rt.set_stacktop(gen_frame, top as i32);
        rt.set_generator_pc(object, pc);
    }
    store_names(rt, frame, code, names, &mut released)?;
    Ok(released)
}

/// An exit in the middle of an inlined generator's code: the loop's `FOR_ITER`
/// has not got its item yet, so the generator runs on to its next `yield`.
pub struct RunOn {
    pub generator: *mut ffi::PyObject,
    /// The loop's `FOR_ITER`, and the instruction after it.
    pub for_iter: u32,
    pub after: u32,
}

/// What must run on after exit `exit_id` was applied to `frame`, if anything.
pub unsafe fn run_on(rt: &Runtime, frame: Frame, compiled: &CompiledLoop, exit_id: usize) -> Option<RunOn> {
    let trace = &compiled.trace;
    let snap = trace.snap(compiled.compiled.exits[exit_id].snap);
    let g = trace.generator.filter(|_| snap.generator.is_some_and(|p| p.running))?;
    let generator = *rt.localsplus(frame).add(g.iterator.0 as usize);
    let after = compiled.code_data.loop_code.decoded.at(snap.pc)?.next;
    Some(RunOn { generator, for_iter: snap.pc, after })
}

/// Run the generator on as its `FOR_ITER` would, and leave the loop's frame
/// where the interpreter goes on: after the `FOR_ITER` with the item pushed,
/// or at the `FOR_ITER` (which finds the generator exhausted). `Err` with the
/// exception (owned) the generator raised, for the `FOR_ITER` to raise.
pub unsafe fn finish_for_iter(
    rt: &Runtime,
    frame: Frame,
    code: *mut ffi::PyObject,
    run: &RunOn,
) -> Result<(), *mut ffi::PyObject> {
    match rt.run_generator(run.generator) {
        GeneratorRun::Yielded(item) => {
            let top = rt.stacktop(frame);
            *rt.localsplus(frame).add(top as usize) = item;
            rt.set_stacktop(frame, top + 1);
            rt.set_resume_offset(frame, code, run.after);
            Ok(())
        }
        GeneratorRun::Returned => Ok(()),
        GeneratorRun::Raised => Err(ffi::PyErr_GetRaisedException()),
    }
}

/// Write module-level variables back into the frame's namespace dict. The values
/// they replace are kept alive until the caller releases them with the rest.
unsafe fn store_names(
    rt: &Runtime,
    frame: Frame,
    code: *mut ffi::PyObject,
    names: Vec<(u32, *mut ffi::PyObject)>,
    released: &mut Vec<*mut ffi::PyObject>,
) -> Result<(), ()> {
    if names.is_empty() {
        return Ok(());
    }
    let dict = rt.locals_dict(frame);
    let co_names = ffi::PyObject_GetAttrString(code, c"co_names".as_ptr());
    let mut result = Ok(());
    for (index, obj) in names {
        let key =
            if co_names.is_null() { std::ptr::null_mut() } else { ffi::PyTuple_GetItem(co_names, index as isize) };
        if key.is_null() || ffi::PyDict_CheckExact(dict) == 0 {
            ffi::Py_XDECREF(obj);
            result = Err(());
            continue;
        }
        let old = rt.name_value(frame, key);
        ffi::Py_XINCREF(old);
        released.push(old);
        let stored = if obj.is_null() { ffi::PyDict_DelItem(dict, key) } else { ffi::PyDict_SetItem(dict, key, obj) };
        ffi::Py_XDECREF(obj);
        if stored < 0 {
            result = Err(());
        }
    }
    ffi::Py_XDECREF(co_names);
    if result.is_err() && ffi::PyErr_Occurred().is_null() {
        ffi::PyErr_SetString(ffi::PyExc_SystemError, c"hotloop could not write a module variable back".as_ptr());
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use pyo3::prelude::*;

    #[test]
    fn exit_values_box_to_the_objects_cpython_would_hold() {
        Python::initialize();
        Python::attach(|py| unsafe {
            let boxed_repr = |ty, bits| {
                let obj = Bound::from_owned_ptr(py, boxed(ty, bits).expect("boxing succeeds"));
                obj.repr().unwrap().to_string()
            };
            assert_eq!(boxed_repr(Ty::I64, (-7i64) as u64), "-7");
            assert_eq!(boxed_repr(Ty::I64, i64::MIN as u64), "-9223372036854775808");
            assert_eq!(boxed_repr(Ty::F64, (-0.0f64).to_bits()), "-0.0");
            assert_eq!(boxed_repr(Ty::F64, f64::NAN.to_bits()), "nan");
            assert_eq!(boxed_repr(Ty::Bool, 1), "True");
            assert_eq!(boxed_repr(Ty::Bool, 0), "False");
            let s = pyo3::types::PyString::new(py, "kept");
            let before = ffi::Py_REFCNT(s.as_ptr());
            let again = boxed(Ty::Obj, s.as_ptr() as u64).unwrap();
            assert_eq!(ffi::Py_REFCNT(s.as_ptr()), before + 1, "an object is a new reference");
            ffi::Py_DECREF(again);
            assert!(boxed(Ty::Obj, 0).unwrap().is_null(), "an unbound local stays NULL");
        });
    }
}
