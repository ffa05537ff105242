//! The recorder's window on the live frame during INSTRUCTION events.
//!
//! While a loop is recorded, INSTRUCTION events are on for its code object and
//! each one hands the recorder the offset about to run. The frame's `stacktop` is
//! not synced during these events, so the recorder tracks the stack depth itself
//! and reads operands at `localsplus[nlocalsplus + depth]`.

use crate::cpython::{Frame, Runtime};
use hotloop_tracer::ir::Slot;
use hotloop_tracer::opt::bridge::ExitPos;
use hotloop_tracer::record::{
    AttrAccess, AttrPlace, BoundMethod, Builtin, FrameView, GeneratorView, InstanceAttr, Lookup, LoopCode, Observed,
    PyFunction, Recorder,
};
use pyo3::ffi;
use std::time::Instant;

/// The one recording in progress.
pub struct ActiveRecording {
    /// The code object (its address) and the frame being recorded.
    pub code: usize,
    pub frame: Frame,
    pub recorder: Recorder,
    pub started: Instant,
    /// For a bridge: the exit of the root trace it starts from.
    pub bridge: Option<ExitPos>,
    /// The calls the recorder is following into (see the tracer's
    /// `record_inline`), outermost first: the callee's code, and its frame
    /// once its first instruction ran (NULL before).
    pub inlined: Vec<(usize, Frame)>,
    /// For a bridge: the back edges it ran of loops that do not enclose its
    /// own (a short loop in the outer body, recorded unrolled).
    pub unrolled_back_edges: u32,
}

impl ActiveRecording {
    /// Whether an instruction of `code` running in `frame` is the recording's
    /// next one: in the loop's frame, or in the innermost call followed into
    /// (whose frame is learnt from its first instruction).
    pub fn expects(&mut self, code: usize, frame: Frame) -> bool {
        match self.inlined.last_mut() {
            None => self.code == code && self.frame == frame,
            Some((callee, callee_frame)) if callee_frame.is_null() && *callee == code && frame != self.frame => {
                *callee_frame = frame;
                true
            }
            Some((callee, callee_frame)) => *callee == code && *callee_frame == frame,
        }
    }
}

/// A running frame, read through the version's layout.
pub struct LiveFrame<'a> {
    pub rt: &'a Runtime,
    pub frame: Frame,
    /// The runtime's answer to `FrameView::python_function`.
    pub functions: &'a dyn Fn(u64) -> Option<PyFunction>,
    /// The decoded bytecode of a code object.
    pub code_of: &'a dyn Fn(*mut ffi::PyObject) -> Option<LoopCode>,
}

impl LiveFrame<'_> {
    /// `co_names[index]` of the frame's code (borrowed: the code keeps it alive).
    fn co_name(&self, index: u32) -> Option<*mut ffi::PyObject> {
        // SAFETY: the frame is live and its code object valid.
        unsafe {
            let names = ffi::PyObject_GetAttrString(self.rt.frame_code(self.frame), c"co_names".as_ptr());
            if names.is_null() {
                ffi::PyErr_Clear();
                return None;
            }
            let name =
                ((index as isize) < ffi::PyTuple_Size(names)).then(|| ffi::PyTuple_GetItem(names, index as isize));
            ffi::Py_DECREF(names);
            name
        }
    }
}

impl LiveFrame<'_> {
    /// The object in `slot` (borrowed; NULL if unbound). The recorder only asks
    /// for locals, stack slots below the depth it tracks, and names.
    fn object(&self, slot: Slot) -> *mut ffi::PyObject {
        // SAFETY: the frame is live; see above for the slots asked for.
        unsafe {
            match slot.name_index() {
                Some(i) => self.co_name(i).map_or(std::ptr::null_mut(), |key| self.rt.name_value(self.frame, key)),
                None => *self.rt.localsplus(self.frame).add(slot.0 as usize),
            }
        }
    }
}

impl FrameView for LiveFrame<'_> {
    fn observe(&self, slot: Slot) -> Observed {
        // SAFETY: `object` reads only live slots and names.
        unsafe { self.rt.observe(self.object(slot)) }
    }

    fn iterator_at_end(&self, slot: Slot) -> Option<bool> {
        // SAFETY: a live slot; the fields read are the iterators' own.
        unsafe { self.rt.iterator_at_end(self.object(slot)) }
    }

    fn items_left(&self, slot: Slot) -> Option<u64> {
        // SAFETY: a live slot; sizes of builtin iterators run no code.
        unsafe { self.rt.items_left(self.object(slot)) }
    }

    fn container_truth(&self, slot: Slot) -> Option<bool> {
        let obj = self.object(slot);
        // SAFETY: a live slot; sizes of exact builtin containers run no code.
        unsafe {
            let sized = [
                std::ptr::addr_of_mut!(ffi::PyList_Type),
                std::ptr::addr_of_mut!(ffi::PyTuple_Type),
                std::ptr::addr_of_mut!(ffi::PyDict_Type),
                std::ptr::addr_of_mut!(ffi::PySet_Type),
                std::ptr::addr_of_mut!(ffi::PyUnicode_Type),
            ];
            (!obj.is_null() && sized.contains(&ffi::Py_TYPE(obj))).then(|| ffi::PyObject_Size(obj) > 0)
        }
    }

    fn name(&self, name: u32) -> Option<Lookup> {
        // SAFETY: a live frame and a name from its own code object.
        unsafe { self.rt.lookup_name(self.frame, self.co_name(name)?) }
    }

    fn global(&self, name: u32) -> Option<Lookup> {
        // SAFETY: a live frame and a name from its own code object.
        unsafe { self.rt.lookup_global(self.frame, self.co_name(name)?) }
    }

    fn module_attribute(&self, owner: u64, name: u32) -> Option<Lookup> {
        // SAFETY: `owner` is a constant of the trace: an object alive in a dict
        // the recording depends on.
        unsafe { self.rt.lookup_module_attribute(owner as *mut ffi::PyObject, self.co_name(name)?) }
    }

    fn address(&self, slot: Slot) -> u64 {
        self.object(slot) as u64
    }

    fn method(&self, owner: &Observed, name: u32) -> Option<u64> {
        // SAFETY: a name of the frame's own code object.
        unsafe { self.rt.method(owner, self.co_name(name)?) }
    }

    fn iterator_parts(&self, slot: Slot) -> Vec<Observed> {
        // SAFETY: the parts are owned by the live iterator object in `slot`.
        let parts = unsafe { self.rt.iterator_parts(self.object(slot)) };
        // `zip(it, it)` advances one iterator twice a step: not compiled.
        if parts.iter().enumerate().any(|(k, p)| parts[..k].contains(p)) {
            return Vec::new();
        }
        parts.into_iter().map(|part| unsafe { self.rt.observe(part) }).collect()
    }

    fn builtin(&self, addr: u64) -> Option<Builtin> {
        self.rt.builtin(addr)
    }

    fn python_function(&self, addr: u64) -> Option<PyFunction> {
        (self.functions)(addr)
    }

    fn bound_method(&self, slot: Slot) -> Option<BoundMethod> {
        // SAFETY: `object` reads a live slot.
        unsafe { self.rt.bound_method(self.object(slot)) }
    }

    fn generator(&self, slot: Slot) -> Option<GeneratorView> {
        // SAFETY: `object` reads a live slot; a suspended generator's frame is valid.
        let suspended = unsafe { self.rt.suspended_generator(self.object(slot))? };
        Some(GeneratorView {
            code_addr: suspended.code as u64,
            code: (self.code_of)(suspended.code)?,
            prev_instr: suspended.prev_instr,
            resume_pc: suspended.resume_pc,
            depth: suspended.depth,
        })
    }

    fn attribute(&self, slot: Slot, name: u32, access: AttrAccess) -> Option<InstanceAttr> {
        // SAFETY: `object` reads a live slot; the name is the code's own.
        unsafe { self.rt.instance_attribute(self.object(slot), self.co_name(name)?, access) }
    }

    fn attribute_value(&self, slot: Slot, place: AttrPlace) -> Observed {
        // SAFETY: the slot is live, and `place` is where its object's type
        // keeps the attribute (`attribute` just said so).
        unsafe { self.rt.observe(self.rt.attribute_value(self.object(slot), place)) }
    }
}
