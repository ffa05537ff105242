//! Everything that depends on a CPython version's private layout: one module per
//! version with its offsets, the accessors that use them, and the self-check run
//! at import (`check`), which turns the JIT off instead of letting a mismatched
//! layout crash the process.

mod attributes;
mod dicts;
mod functions;
mod generators;
mod iterators;
mod methods;
mod sets;
pub use attributes::lookup_special;
pub use generators::GeneratorRun;
mod strings;
mod v3_12;

use hotloop_tracer::abi::Abi;
use hotloop_tracer::bytecode::{BytecodeFormat, Opcode};
use hotloop_tracer::ir::PyType;
use hotloop_tracer::methods::MethodId;
use hotloop_tracer::record::{Builtin, ConstValue, DictDep, Lookup, Observed};
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use std::os::raw::c_int;

/// Byte offsets into CPython's private structures.
#[derive(Clone, Copy, Debug)]
pub struct Layout {
    pub version: (u8, u8),
    pub frame_code: usize,
    pub frame_globals: usize,
    pub frame_builtins: usize,
    pub frame_locals: usize,
    pub frame_ip: usize,
    pub frame_stacktop: usize,
    pub frame_localsplus: usize,
    pub ip_is_destination: bool,
    pub frameobject_frame: usize,
    pub code_nlocalsplus: usize,
    pub code_monitoring: usize,
    pub code_adaptive: usize,
    pub monitoring_active: usize,
    pub local_events: usize,
    pub tstate_interp: usize,
    pub tstate_cframe: Option<usize>,
    pub tstate_current_frame: Option<usize>,
    pub tstate_profilefunc: usize,
    pub tstate_tracefunc: usize,
    /// `tstate->py_recursion_limit` (for the self-check) and `tstate->tracing`,
    /// which CPython raises around monitoring callbacks.
    pub tstate_recursion_limit: usize,
    /// `tstate->py_recursion_remaining`: Python calls left before
    /// `RecursionError`.
    pub tstate_recursion_remaining: usize,
    pub tstate_tracing: usize,
    pub interp_eval_breaker: Option<usize>,
    /// Where the recursion limit sits after the eval breaker (for the self-check).
    pub recursion_limit_after_breaker: usize,
    pub tstate_eval_breaker: Option<usize>,
    pub long_tag: usize,
    pub long_digit: usize,
    pub float_value: usize,
    pub range_iter_start: usize,
    pub range_iter_step: usize,
    pub range_iter_len: usize,
    pub var_size: usize,
    pub list_items: usize,
    pub tuple_items: usize,
    pub seq_iter_index: usize,
    pub seq_iter_seq: usize,
    pub enum_index: usize,
    pub enum_iter: usize,
    pub enum_long_index: usize,
    pub enum_result: usize,
    pub zip_size: usize,
    pub zip_iters: usize,
    pub zip_strict: usize,
    pub zip_result: usize,
    /// `PyCFunctionObject.m_ml` and `m_self`.
    pub cfunction_def: usize,
    pub cfunction_self: usize,
    /// `PyDictKeysObject.dk_nentries`, and the dict-or-values word of an
    /// instance with a managed dict, relative to the object.
    pub keys_count: usize,
    pub instance_values: isize,
    /// `sizeof(PyLongObject)`: the distance between two cached ints.
    pub small_int_stride: usize,
    /// `PyGC_Head._gc_next` relative to a collected object.
    pub gc_next: isize,
    pub compare_shift: u32,
    /// `PyGenObject`: `gi_exc_state`, `gi_frame_state` (an int8) and the
    /// embedded frame `gi_iframe`; `tstate->exc_info`, and the interpreter's
    /// PEP 523 `eval_frame` (NULL unless a frame evaluator is installed).
    pub gen_exc_state: usize,
    pub gen_frame_state: usize,
    pub gen_iframe: usize,
    pub tstate_exc_info: usize,
    pub interp_eval_frame: usize,
}

/// An `_PyInterpreterFrame*`.
pub type Frame = *mut u8;

unsafe fn field<T: Copy>(base: *const u8, offset: usize) -> T {
    (base.add(offset) as *const T).read_unaligned()
}

unsafe fn set_field<T>(base: *mut u8, offset: usize, value: T) {
    (base.add(offset) as *mut T).write_unaligned(value)
}

/// The running CPython's layout, chosen at import.
pub struct Runtime {
    pub layout: Layout,
    pub format: std::rc::Rc<BytecodeFormat>,
    pub abi: Abi,
    iterators: IteratorTypes,
    /// Builtins and `math` functions the recorder compiles inline, by address
    /// (kept alive by their modules for the life of the interpreter).
    builtins: hashbrown::HashMap<u64, Builtin>,
}

impl Runtime {
    /// Pick the layout of the running interpreter and check it. `Err` says why the
    /// JIT must stay off.
    pub fn detect(py: Python<'_>) -> Result<Runtime, String> {
        let (major, minor) = (py.version_info().major, py.version_info().minor);
        let layout = match (major, minor) {
            (3, 12) => v3_12::LAYOUT,
            _ => return Err(format!("CPython {major}.{minor} is not supported (hotloop supports 3.12)")),
        };
        let format = bytecode_format(py, &layout).map_err(|e| format!("reading dis tables failed: {e}"))?;
        let iterators = IteratorTypes::find(py).map_err(|e| e.to_string())?;
        let mut abi = unsafe { make_abi(&layout, &iterators) };
        abi.pow_max_ulps = libm_pow_max_ulps(py);
        abi.methods = methods::descriptors(py).map_err(|e| format!("reading methods failed: {e}"))?;
        let mut builtins = known_builtins(py).map_err(|e| format!("reading builtins failed: {e}"))?;
        // `int` and `float` stay what they are to the recorder, which calls
        // the listed functions of those names for a str argument.
        for (k, &descriptor) in abi.methods.iter().enumerate() {
            builtins.entry(descriptor).or_insert(Builtin::Method(MethodId(k as u16)));
        }
        let runtime = Runtime { layout, format: std::rc::Rc::new(format), abi, iterators, builtins };
        runtime.check(py)?;
        Ok(runtime)
    }

    // --- Frames and thread state -------------------------------------------------

    pub unsafe fn current_frame(&self) -> Frame {
        let tstate = ffi::PyThreadState_Get() as *const u8;
        match (self.layout.tstate_cframe, self.layout.tstate_current_frame) {
            (Some(cframe), _) => field::<*mut u8>(field::<*const u8>(tstate, cframe), 0),
            (None, Some(current)) => field::<*mut u8>(tstate, current),
            (None, None) => std::ptr::null_mut(),
        }
    }

    pub unsafe fn frame_code(&self, frame: Frame) -> *mut ffi::PyObject {
        field(frame, self.layout.frame_code)
    }

    /// The frame's globals and builtins dicts.
    pub unsafe fn namespaces(&self, frame: Frame) -> (*mut ffi::PyObject, *mut ffi::PyObject) {
        (field(frame, self.layout.frame_globals), field(frame, self.layout.frame_builtins))
    }

    pub fn builtin(&self, addr: u64) -> Option<Builtin> {
        self.builtins.get(&addr).copied()
    }

    /// `LOAD_GLOBAL`'s lookup of `name` in `frame`: globals, then builtins, both
    /// plain dicts. Borrowed value; no Python code runs (keys are `str`).
    pub unsafe fn lookup_global(&self, frame: Frame, name: *mut ffi::PyObject) -> Option<Lookup> {
        let (globals, builtins) = self.namespaces(frame);
        self.lookup_in(&[globals, builtins], name)
    }

    /// `LOAD_NAME`'s lookup: the frame's namespace, globals, then builtins.
    pub unsafe fn lookup_name(&self, frame: Frame, name: *mut ffi::PyObject) -> Option<Lookup> {
        let (globals, builtins) = self.namespaces(frame);
        self.lookup_in(&[self.locals_dict(frame), globals, builtins], name)
    }

    /// The first of `dicts` (plain dicts) holding `name`, with a dependency on
    /// every dict looked in: a later entry in an earlier dict would shadow it.
    unsafe fn lookup_in(&self, dicts: &[*mut ffi::PyObject], name: *mut ffi::PyObject) -> Option<Lookup> {
        let mut deps = Vec::new();
        for &dict in dicts {
            if dict.is_null() || ffi::PyDict_CheckExact(dict) == 0 {
                return None;
            }
            deps.push(DictDep { dict: dict as u64, key: name as u64 });
            if let Some(value) = self.dict_entry(dict, name) {
                return Some(Lookup { value, deps });
            }
        }
        None
    }

    /// The frame's own namespace dict (`f_locals`: the module's dict in
    /// module-level code; NULL in functions).
    pub unsafe fn locals_dict(&self, frame: Frame) -> *mut ffi::PyObject {
        field(frame, self.layout.frame_locals)
    }

    /// What a name slot holds: `dict[key]` of the frame's namespace (borrowed).
    pub unsafe fn name_value(&self, frame: Frame, key: *mut ffi::PyObject) -> *mut ffi::PyObject {
        load_name(self.locals_dict(frame) as *const u8, key as *const u8) as *mut ffi::PyObject
    }

    /// `module.name` when it is a plain entry of a module's dict (and not a
    /// special name the module type itself may answer).
    pub unsafe fn lookup_module_attribute(
        &self,
        module: *mut ffi::PyObject,
        name: *mut ffi::PyObject,
    ) -> Option<Lookup> {
        if ffi::PyModule_CheckExact(module) == 0 || ffi::PyUnicode_CheckExact(name) == 0 {
            return None;
        }
        let text = std::ffi::CStr::from_ptr(ffi::PyUnicode_AsUTF8(name)).to_bytes();
        if text.starts_with(b"__") {
            return None;
        }
        let dict = ffi::PyModule_GetDict(module);
        let value = self.dict_entry(dict, name)?;
        Some(Lookup { value, deps: vec![DictDep { dict: dict as u64, key: name as u64 }] })
    }

    unsafe fn dict_entry(&self, dict: *mut ffi::PyObject, key: *mut ffi::PyObject) -> Option<ConstValue> {
        let value = load_name(dict as *const u8, key as *const u8) as *mut ffi::PyObject;
        (!value.is_null()).then(|| ConstValue { addr: value as u64, kind: self.observe(value) })
    }

    pub unsafe fn localsplus(&self, frame: Frame) -> *mut *mut ffi::PyObject {
        frame.add(self.layout.frame_localsplus) as *mut *mut ffi::PyObject
    }

    /// Run `f` with `tstate->tracing` lowered as if no monitoring callback were
    /// running, so that the Python code it runs raises events for every tool
    /// (hotloop included) as it would in the interpreter.
    pub unsafe fn untraced<R>(&self, f: impl FnOnce() -> R) -> R {
        let tracing = (ffi::PyThreadState_Get() as *mut u8).add(self.layout.tstate_tracing) as *mut c_int;
        let saved = *tracing;
        *tracing = 0;
        let result = f();
        *tracing = saved;
        result
    }

    pub unsafe fn stacktop(&self, frame: Frame) -> i32 {
        field(frame, self.layout.frame_stacktop)
    }

    pub unsafe fn set_stacktop(&self, frame: Frame, top: i32) {
        set_field(frame, self.layout.frame_stacktop, top)
    }

    /// Make the interpreter continue at byte offset `pc` when the JUMP callback returns.
    pub unsafe fn set_resume_offset(&self, frame: Frame, code: *mut ffi::PyObject, pc: u32) {
        debug_assert!(self.layout.ip_is_destination);
        let start = (code as *mut u8).add(self.layout.code_adaptive);
        set_field(frame, self.layout.frame_ip, start.add(pc as usize))
    }

    /// Whether the code object can loop at all: a backward jump anywhere in its
    /// bytecode. Cache entries may look like one too; that only costs a callback.
    pub unsafe fn has_backward_jump(&self, code: *mut ffi::PyObject) -> bool {
        let units = ffi::Py_SIZE(code) as usize;
        let start = (code as *const u8).add(self.layout.code_adaptive);
        (0..units).any(|u| self.format.loops_back(*start.add(2 * u)))
    }

    /// How many more Python calls the current thread may make before CPython
    /// raises `RecursionError`.
    pub unsafe fn python_calls_left(&self) -> i32 {
        field::<c_int>(ffi::PyThreadState_Get() as *const u8, self.layout.tstate_recursion_remaining)
    }

    pub unsafe fn nlocalsplus(&self, code: *mut ffi::PyObject) -> u32 {
        field::<c_int>(code as *const u8, self.layout.code_nlocalsplus) as u32
    }

    /// Where the interpreter's eval breaker lives for the current thread.
    pub unsafe fn eval_breaker(&self) -> *const i32 {
        let tstate = ffi::PyThreadState_Get() as *const u8;
        match (self.layout.interp_eval_breaker, self.layout.tstate_eval_breaker) {
            (Some(off), _) => field::<*const u8>(tstate, self.layout.tstate_interp).add(off) as *const i32,
            (None, Some(off)) => tstate.add(off) as *const i32,
            (None, None) => std::ptr::null(),
        }
    }

    /// True when another tool watches this code or thread (a tracer, profiler,
    /// coverage, a debugger): then compiled code must not run, or it would hide
    /// events from that tool.
    pub unsafe fn other_tools_active(&self, code: *mut ffi::PyObject, own_tool: u8) -> bool {
        let tstate = ffi::PyThreadState_Get() as *const u8;
        if !field::<*const u8>(tstate, self.layout.tstate_tracefunc).is_null()
            || !field::<*const u8>(tstate, self.layout.tstate_profilefunc).is_null()
        {
            return true;
        }
        let monitoring: *const u8 = field(code as *const u8, self.layout.code_monitoring);
        if monitoring.is_null() {
            return false;
        }
        let active = monitoring.add(self.layout.monitoring_active);
        (0..self.layout.local_events).any(|e| *active.add(e) & !(1u8 << own_tool) != 0)
    }

    // --- Objects -------------------------------------------------------------------

    /// The methods of exact builtin types the recorder compiles: `list.append`,
    /// `dict.get` and those in `hotloop_tracer::methods`.
    pub unsafe fn method(&self, owner: &Observed, name: *mut ffi::PyObject) -> Option<u64> {
        let text = std::ffi::CStr::from_ptr(ffi::PyUnicode_AsUTF8(name)).to_bytes();
        let wanted = match (owner, text) {
            (Observed::List, b"append") => Builtin::ListAppend,
            (Observed::Dict, b"get") => Builtin::DictGet,
            (Observed::Set, b"add") => Builtin::SetAdd,
            (Observed::Str | Observed::List, name) => {
                let owner = if *owner == Observed::Str { PyType::Str } else { PyType::List };
                Builtin::Method(MethodId::find(owner, std::str::from_utf8(name).ok()?)?)
            }
            _ => return None,
        };
        self.builtins.iter().find(|(_, b)| **b == wanted).map(|(a, _)| *a)
    }

    /// The iterators an `enumerate` or `zip` object draws from (borrowed; empty
    /// for any other object).
    pub unsafe fn iterator_parts(&self, obj: *mut ffi::PyObject) -> Vec<*mut ffi::PyObject> {
        if obj.is_null() {
            return Vec::new();
        }
        let (ty, base, l) = (ffi::Py_TYPE(obj), obj as *const u8, &self.layout);
        if ty == self.iterators.enumerate {
            vec![field(base, l.enum_iter)]
        } else if ty == self.iterators.zip {
            let iterators: *mut ffi::PyObject = field(base, l.zip_iters);
            (0..ffi::PyTuple_Size(iterators)).map(|k| ffi::PyTuple_GetItem(iterators, k)).collect()
        } else {
            Vec::new()
        }
    }

    /// Whether `obj` is a range, list, tuple or str iterator with no item
    /// left (`None` for any other object).
    pub unsafe fn iterator_at_end(&self, obj: *mut ffi::PyObject) -> Option<bool> {
        self.sequence_items_left(obj).map(|left| left <= 0)
    }

    /// How many items a range, list, tuple or str iterator has left (`None`
    /// for any other object).
    unsafe fn sequence_items_left(&self, obj: *mut ffi::PyObject) -> Option<isize> {
        if obj.is_null() {
            return None;
        }
        let (ty, i) = (ffi::Py_TYPE(obj), &self.iterators);
        if ty == i.range {
            Some(iterators::items_left(obj, true))
        } else if [i.list, i.tuple, i.str_ascii, i.str].contains(&ty) {
            Some(iterators::items_left(obj, false))
        } else {
            None
        }
    }

    /// How many items the iterator `obj` has left, where that is known
    /// without running Python code: a range, list, tuple or str iterator,
    /// or an `enumerate` or `zip` of those.
    pub unsafe fn items_left(&self, obj: *mut ffi::PyObject) -> Option<u64> {
        if let Some(left) = self.sequence_items_left(obj) {
            return Some(left.max(0) as u64);
        }
        let ty = if obj.is_null() { std::ptr::null_mut() } else { ffi::Py_TYPE(obj) };
        if ty != self.iterators.enumerate && ty != self.iterators.zip {
            return None;
        }
        let lefts: Option<Vec<u64>> = self.iterator_parts(obj).iter().map(|&p| self.items_left(p)).collect();
        lefts?.into_iter().min()
    }

    /// What a frame slot holds, for the recorder.
    pub unsafe fn observe(&self, obj: *mut ffi::PyObject) -> Observed {
        if obj.is_null() {
            return Observed::Null;
        }
        let ty = ffi::Py_TYPE(obj);
        if ty == std::ptr::addr_of_mut!(ffi::PyLong_Type) {
            let mut overflow = 0;
            let v = ffi::PyLong_AsLongLongAndOverflow(obj, &mut overflow);
            if overflow != 0 {
                return Observed::BigInt;
            }
            return Observed::Int(v);
        }
        if ty == std::ptr::addr_of_mut!(ffi::PyFloat_Type) {
            return Observed::Float(ffi::PyFloat_AS_DOUBLE(obj));
        }
        if ty == std::ptr::addr_of_mut!(ffi::PyBool_Type) {
            return Observed::Bool(obj == ffi::Py_True());
        }
        if obj == ffi::Py_None() {
            return Observed::None;
        }
        let kinds = [
            (self.iterators.range, Observed::RangeIter),
            (self.iterators.list, Observed::ListIter),
            (self.iterators.list_rev, Observed::ListRevIter),
            (self.iterators.str_ascii, Observed::StrIter),
            (self.iterators.str, Observed::StrIter),
            (self.iterators.tuple, Observed::TupleIter),
            (self.iterators.enumerate, Observed::Enumerate),
            (self.iterators.zip, Observed::Zip),
            (self.iterators.dict_keys, Observed::DictKeyIter),
            (self.iterators.dict_values, Observed::DictValueIter),
            (self.iterators.dict_items, Observed::DictItemIter),
            (std::ptr::addr_of_mut!(ffi::PyList_Type), Observed::List),
            (std::ptr::addr_of_mut!(ffi::PyTuple_Type), Observed::Tuple),
            (std::ptr::addr_of_mut!(ffi::PyDict_Type), Observed::Dict),
            (std::ptr::addr_of_mut!(ffi::PySet_Type), Observed::Set),
            (std::ptr::addr_of_mut!(ffi::PyUnicode_Type), Observed::Str),
        ];
        if let Some((_, kind)) = kinds.into_iter().find(|(t, _)| *t == ty) {
            return kind;
        }
        let name = std::ffi::CStr::from_ptr((*ty).tp_name).to_string_lossy().into_owned();
        Observed::Other(name)
    }

    // --- Self-check ---------------------------------------------------------------

    fn check(&self, py: Python<'_>) -> Result<(), String> {
        let probe = py.eval(c"__import__('sys')._getframe()", None, None).map_err(|e| e.to_string())?;
        let l = &self.layout;
        unsafe {
            let frame_obj = probe.as_ptr() as *const u8;
            let frame: *const u8 = field(frame_obj, l.frameobject_frame);
            let code = probe.getattr("f_code").map_err(|e| e.to_string())?;
            expect(field::<*mut ffi::PyObject>(frame, l.frame_code) == code.as_ptr(), "frame.f_code")?;
            let nlocalsplus: usize = code
                .getattr("co_varnames")
                .and_then(|v| v.len())
                .and_then(|n| Ok(n + code.getattr("co_cellvars")?.len()? + code.getattr("co_freevars")?.len()?))
                .map_err(|e| e.to_string())?;
            let code_ptr = code.as_ptr();
            expect(self.nlocalsplus(code_ptr) as usize == nlocalsplus, "code.co_nlocalsplus")?;
            let tstate = ffi::PyThreadState_Get() as *const u8;
            expect(
                field::<*mut ffi::PyInterpreterState>(tstate, l.tstate_interp) == ffi::PyInterpreterState_Get(),
                "tstate.interp",
            )?;
            // At import a Python frame is running (the importer's); it must be the
            // one the thread state names.
            let caller = ffi::PyEval_GetFrame() as *const u8;
            expect(
                caller.is_null() || field::<Frame>(caller, l.frameobject_frame) == self.current_frame(),
                "tstate current frame",
            )?;
            self.check_generators(py)?;
            iterators::check_small_ranges(py)?;
            let float = 2.5f64.into_pyobject(py).map_err(|e| e.to_string())?;
            expect(field::<f64>(float.as_ptr() as *const u8, l.float_value) == 2.5, "float.ob_fval")?;
            for v in [0i64, 7, -5, (1 << 30) - 1] {
                let obj = v.into_pyobject(py).map_err(|e| e.to_string())?;
                let tag: u64 = field(obj.as_ptr() as *const u8, l.long_tag);
                let digit: u32 = field(obj.as_ptr() as *const u8, l.long_digit);
                expect(tag < 16 && (1 - (tag & 3) as i64) * digit as i64 == v, "compact int layout")?;
            }
            // Compiled code reads up to three 30-bit digits in place.
            for v in [1i64 << 30, -(1 << 40), (1 << 60) + 5, i64::MAX, i64::MIN] {
                let obj = v.into_pyobject(py).map_err(|e| e.to_string())?;
                let base = obj.as_ptr() as *const u8;
                let tag: u64 = field(base, l.long_tag);
                let digits = (0..(tag >> 3) as usize).map(|k| field::<u32>(base, l.long_digit + 4 * k) as u64);
                let magnitude = digits.rev().fold(0u128, |m, d| m << 30 | d as u128);
                let value = if tag & 3 == 2 { (magnitude as i128).wrapping_neg() } else { magnitude as i128 };
                expect(value == v as i128 && (tag >> 3) <= 3, "multi-digit int layout")?;
            }
            let it = py.eval(c"iter(range(5, 100, 3))", None, None).map_err(|e| e.to_string())?;
            let it_ptr = it.as_ptr() as *const u8;
            expect(
                field::<i64>(it_ptr, l.range_iter_start) == 5
                    && field::<i64>(it_ptr, l.range_iter_step) == 3
                    && field::<i64>(it_ptr, l.range_iter_len) == 32,
                "range iterator layout",
            )?;
            let list = py.eval(c"[1, 2, 3]", None, None).map_err(|e| e.to_string())?;
            let list_ptr = list.as_ptr() as *const u8;
            let items: *const *mut ffi::PyObject = field(list_ptr, l.list_items);
            expect(
                field::<isize>(list_ptr, l.var_size) == 3 && *items.add(2) == ffi::PyList_GetItem(list.as_ptr(), 2),
                "list layout",
            )?;
            let tuple = py.eval(c"(4, 5)", None, None).map_err(|e| e.to_string())?;
            let tuple_ptr = tuple.as_ptr() as *const u8;
            expect(
                field::<isize>(tuple_ptr, l.var_size) == 2
                    && field::<*mut ffi::PyObject>(tuple_ptr, l.tuple_items + 8)
                        == ffi::PyTuple_GetItem(tuple.as_ptr(), 1),
                "tuple layout",
            )?;
            // A list's reverse iterator and both of a str's have the forward one's layout.
            for (src, index, what) in [
                (c"(lambda it: (next(it), it)[1])(iter([7, 8, 9]))", 1, "list iterator layout"),
                (c"(lambda it: (next(it), it)[1])(reversed([7, 8, 9]))", 1, "list reverse iterator layout"),
                (c"(lambda it: (next(it), it)[1])(iter('xyz'))", 1, "str iterator layout"),
                (c"(lambda it: (next(it), it)[1])(iter('x\\u20acz'))", 1, "str iterator layout"),
            ] {
                let it = py.eval(src, None, None).map_err(|e| e.to_string())?;
                let it_ptr = it.as_ptr() as *const u8;
                let seq: *const u8 = field(it_ptr, l.seq_iter_seq);
                expect(
                    field::<isize>(it_ptr, l.seq_iter_index) == index && field::<isize>(seq, l.var_size) == 3,
                    what,
                )?;
            }
            let en =
                py.eval(c"(lambda e: (next(e), e)[1])(enumerate([7, 8, 9]))", None, None).map_err(|e| e.to_string())?;
            let en_ptr = en.as_ptr() as *const u8;
            let inner: *mut ffi::PyObject = field(en_ptr, l.enum_iter);
            expect(
                field::<isize>(en_ptr, l.enum_index) == 1
                    && field::<*mut ffi::PyObject>(en_ptr, l.enum_long_index).is_null()
                    && ffi::Py_TYPE(inner) == self.iterators.list,
                "enumerate layout",
            )?;
            // The result tuple each caches holds the last items, at one offset
            // in both; and the collector's mark of the objects it tracks.
            let result: *mut ffi::PyObject = field(en_ptr, l.enum_result);
            expect(
                l.enum_result == l.zip_result
                    && ffi::PyTuple_CheckExact(result) != 0
                    && ffi::PyLong_AsLong(ffi::PyTuple_GetItem(result, 1)) == 7,
                "enumerate result layout",
            )?;
            let z = py.eval(c"(lambda z: (next(z), z)[1])(zip([5], [6]))", None, None).map_err(|e| e.to_string())?;
            let result: *mut ffi::PyObject = field(z.as_ptr() as *const u8, l.zip_result);
            expect(
                ffi::PyTuple_CheckExact(result) != 0 && ffi::PyLong_AsLong(ffi::PyTuple_GetItem(result, 1)) == 6,
                "zip result layout",
            )?;
            // The ints CPython caches lie in one array.
            let zero = ffi::PyLong_FromLong(0) as isize;
            for v in [-5, -1, 1, 2, 100, 256] {
                let at = ffi::PyLong_FromLong(v) as isize;
                expect(at == zero + v as isize * l.small_int_stride as isize, "cached ints layout")?;
            }
            // A list is tracked from the start; the empty tuple and an empty dict are not.
            for (src, tracked) in [(c"[1, 2]", true), (c"()", false), (c"{}", false)] {
                let o = py.eval(src, None, None).map_err(|e| e.to_string())?;
                let marked = (o.as_ptr() as *const u8).offset(l.gc_next).cast::<usize>().read_unaligned() != 0;
                expect(
                    marked == tracked && (ffi::PyObject_GC_IsTracked(o.as_ptr()) != 0) == tracked,
                    "collector layout",
                )?;
            }
            for (src, strict) in [(c"zip([1], (2,), range(3))", 0i64), (c"zip([1], [2], strict=True)", 1)] {
                let z = py.eval(src, None, None).map_err(|e| e.to_string())?;
                let z_ptr = z.as_ptr() as *const u8;
                let iterators: *mut ffi::PyObject = field(z_ptr, l.zip_iters);
                let size = field::<isize>(z_ptr, l.zip_size);
                expect(
                    size == ffi::PyTuple_Size(iterators) && field::<i64>(z_ptr, l.zip_strict) == strict,
                    "zip layout",
                )?;
            }
            self.check_attributes(py)?;
            self.check_bound_methods(py)?;
            dicts::check(py)?;
            sets::check(py)?;
            expect(
                std::mem::offset_of!(ffi::PyCellObject, ob_ref) as i64
                    == 8 * hotloop_tracer::record::CELL_CONTENTS_WORD,
                "cell layout",
            )?;
            let breaker = self.eval_breaker();
            expect(!breaker.is_null(), "eval breaker")?;
            // The breaker heads a struct whose recursion limit is sys's.
            let limit: c_int = py
                .eval(c"__import__('sys').getrecursionlimit()", None, None)
                .and_then(|v| v.extract())
                .map_err(|e| e.to_string())?;
            let beside_breaker = (breaker as *const u8).add(l.recursion_limit_after_breaker);
            expect(field::<c_int>(beside_breaker, 0) == limit, "eval breaker (recursion limit beside it)")?;
            // No monitoring callback is running at import: `tracing` is 0, next
            // to the thread's copy of the recursion limit.
            expect(
                field::<c_int>(tstate, l.tstate_recursion_limit) == limit
                    && (1..=limit).contains(&field::<c_int>(tstate, l.tstate_recursion_remaining))
                    && field::<c_int>(tstate, l.tstate_tracing) == 0,
                "tstate.tracing (recursion limit before it)",
            )?;
        }
        Ok(())
    }
}

fn expect(ok: bool, what: &str) -> Result<(), String> {
    if ok {
        Ok(())
    } else {
        Err(format!("layout self-check failed: {what}"))
    }
}

/// The opcode table from `opcode`, checked against the opcodes and cache sizes the
/// recorder depends on for this version.
fn bytecode_format(py: Python<'_>, layout: &Layout) -> PyResult<BytecodeFormat> {
    // `dis` takes these from `opcode`, which imports nothing else.
    let opcode = py.import("opcode")?;
    let names: Vec<String> = opcode.getattr("opname")?.extract()?;
    let caches: Vec<u8> = opcode.getattr("_inline_cache_entries")?.extract()?;
    let opmap = opcode.getattr("opmap")?.cast_into::<PyDict>()?;
    let format = BytecodeFormat::new(names, caches, layout.compare_shift);
    let expected_3_12: &[(&str, u8, u8)] = &[
        ("BINARY_OP", 122, 1),
        ("COMPARE_OP", 107, 1),
        ("FOR_ITER", 93, 1),
        ("JUMP_BACKWARD", 140, 0),
        ("LOAD_FAST", 124, 0),
    ];
    if layout.version == (3, 12) {
        for &(name, number, cache) in expected_3_12 {
            let actual: u8 = opmap.get_item(name)?.map(|v| v.extract()).transpose()?.unwrap_or(0);
            if actual != number
                || format.caches[number as usize] != cache
                || format.opcodes[number as usize] == Opcode::Other
            {
                return Err(pyo3::exceptions::PyRuntimeError::new_err(format!("unexpected opcode table entry {name}")));
            }
        }
    }
    Ok(format)
}

/// The builtins and `math` functions the recorder compiles inline.
fn known_builtins(py: Python<'_>) -> PyResult<hashbrown::HashMap<u64, Builtin>> {
    use hotloop_tracer::ir::MathFn;
    let builtins = py.import("builtins")?;
    let math = py.import("math")?;
    let mut table = hashbrown::HashMap::new();
    let from_builtins = [
        ("abs", Builtin::Abs),
        ("len", Builtin::Len),
        ("min", Builtin::Min),
        ("max", Builtin::Max),
        ("float", Builtin::Float),
        ("int", Builtin::Int),
        ("bool", Builtin::Bool),
        ("isinstance", Builtin::IsInstance),
        ("divmod", Builtin::Divmod),
        ("str", Builtin::Str),
        ("range", Builtin::Range),
    ];
    for (name, builtin) in from_builtins {
        table.insert(builtins.getattr(name)?.as_ptr() as u64, builtin);
    }
    let from_math = [
        ("sqrt", Builtin::Math(MathFn::Sqrt)),
        ("exp", Builtin::Math(MathFn::Exp)),
        ("log", Builtin::Math(MathFn::Log)),
        ("log10", Builtin::Math(MathFn::Log10)),
        ("sin", Builtin::Math(MathFn::Sin)),
        ("cos", Builtin::Math(MathFn::Cos)),
        ("tan", Builtin::Math(MathFn::Tan)),
        ("atan", Builtin::Math(MathFn::Atan)),
        ("floor", Builtin::MathFloor),
        ("ceil", Builtin::MathCeil),
        ("trunc", Builtin::MathTrunc),
        ("fabs", Builtin::MathFabs),
    ];
    for (name, builtin) in from_math {
        table.insert(math.getattr(name)?.as_ptr() as u64, builtin);
    }
    let list_append = py.eval(c"list.__dict__['append']", None, None)?;
    table.insert(list_append.as_ptr() as u64, Builtin::ListAppend);
    let dict_get = py.eval(c"dict.__dict__['get']", None, None)?;
    table.insert(dict_get.as_ptr() as u64, Builtin::DictGet);
    let set_add = py.eval(c"set.__dict__['add']", None, None)?;
    table.insert(set_add.as_ptr() as u64, Builtin::SetAdd);
    Ok(table)
}

/// `dict[key]` for an exact dict and a `str` key: borrowed, NULL if absent.
/// No Python code runs. Compiled code calls it for `load_name` too.
unsafe extern "C" fn load_name(dict: *const u8, key: *const u8) -> *const u8 {
    let dict = dict as *mut ffi::PyObject;
    if dict.is_null() || ffi::PyDict_CheckExact(dict) == 0 {
        return std::ptr::null();
    }
    let value = ffi::PyDict_GetItemWithError(dict, key as *mut ffi::PyObject);
    if value.is_null() {
        ffi::PyErr_Clear();
    }
    value as *const u8
}

/// Whether releasing `obj` can run no Python code: exact ints and floats (no
/// `__del__`, no weak references) and the immortal bool and None singletons.
unsafe fn released_quietly(obj: *mut ffi::PyObject) -> bool {
    let ty = ffi::Py_TYPE(obj);
    ty == std::ptr::addr_of_mut!(ffi::PyLong_Type)
        || ty == std::ptr::addr_of_mut!(ffi::PyFloat_Type)
        || ty == std::ptr::addr_of_mut!(ffi::PyBool_Type)
        || obj == ffi::Py_None()
}

/// Whether the last release of `obj` can run no Python code and free nothing
/// a program could tell: what `released_quietly` allows, exact strs, and exact
/// lists and tuples of those (neither takes weak references). `depth` bounds
/// the nesting looked into.
pub(super) unsafe fn freed_quietly(obj: *mut ffi::PyObject, depth: u32) -> bool {
    if released_quietly(obj) || ffi::PyUnicode_CheckExact(obj) != 0 {
        return true;
    }
    let items: &[*mut ffi::PyObject] = if ffi::PyList_CheckExact(obj) != 0 {
        let list = obj as *mut ffi::PyListObject;
        std::slice::from_raw_parts((*list).ob_item, ffi::PyList_GET_SIZE(obj) as usize)
    } else if ffi::PyTuple_CheckExact(obj) != 0 {
        let tuple = obj as *mut ffi::PyTupleObject;
        std::slice::from_raw_parts((*tuple).ob_item.as_ptr(), ffi::PyTuple_GET_SIZE(obj) as usize)
    } else {
        return false;
    };
    depth > 0 && items.iter().all(|&item| !item.is_null() && freed_quietly(item, depth - 1))
}

/// See `abi::ReleaseSlot`. An object whose release is quiet stays in the slot
/// until the exit writes the frame and releases it then: nothing can tell.
/// One held elsewhere too is released at once (that frees nothing), before
/// looking into what it holds.
unsafe extern "C" fn release_slot(slot: *mut u64) -> u8 {
    let place = slot as *mut *mut ffi::PyObject;
    let old = *place;
    if old.is_null() || released_quietly(old) {
        return 1;
    }
    if ffi::Py_REFCNT(old) > 1 {
        *place = std::ptr::null_mut();
        ffi::Py_DECREF(old);
        return 1;
    }
    u8::from(freed_quietly(old, 2))
}

/// The store of `store_elem_*`: `value` is a new reference the array takes.
/// The trace checked the index (a list's size, an attribute's place).
unsafe fn store_elem(base: *const u8, index: i64, value: impl FnOnce() -> *mut ffi::PyObject) -> u8 {
    let slot = (base as *mut *mut ffi::PyObject).add(index as usize);
    let old = *slot;
    if old.is_null() || !released_quietly(old) {
        return 0;
    }
    let value = value();
    if value.is_null() {
        ffi::PyErr_Clear(); // the interpreter redoes the store and raises
        return 0;
    }
    *slot = value;
    ffi::Py_DECREF(old);
    1
}

/// `list.append` of a new reference, which the list takes.
unsafe fn list_append(list: *const u8, value: *mut ffi::PyObject) -> u8 {
    if value.is_null() {
        ffi::PyErr_Clear(); // the interpreter redoes the append and raises
        return 0;
    }
    let appended = ffi::PyList_Append(list as *mut ffi::PyObject, value);
    ffi::Py_DECREF(value);
    if appended < 0 {
        ffi::PyErr_Clear();
        return 0;
    }
    1
}

unsafe extern "C" fn list_append_obj(list: *const u8, value: *const u8) -> u8 {
    let value = value as *mut ffi::PyObject;
    ffi::Py_INCREF(value);
    list_append(list, value)
}

unsafe extern "C" fn list_append_int(list: *const u8, value: i64) -> u8 {
    list_append(list, ffi::PyLong_FromLongLong(value))
}

unsafe extern "C" fn list_append_float(list: *const u8, value: f64) -> u8 {
    list_append(list, ffi::PyFloat_FromDouble(value))
}

unsafe extern "C" fn store_elem_obj(base: *const u8, index: i64, value: *const u8) -> u8 {
    store_elem(base, index, || {
        let value = value as *mut ffi::PyObject;
        ffi::Py_INCREF(value);
        value
    })
}

unsafe extern "C" fn store_elem_int(base: *const u8, index: i64, value: i64) -> u8 {
    let old = *(base as *mut *mut ffi::PyObject).add(index as usize);
    if !old.is_null() && ffi::Py_REFCNT(old) == 1 && int_fits_in_place(old, value) {
        write_int_in_place(old, value);
        return 1;
    }
    store_elem(base, index, || ffi::PyLong_FromLongLong(value))
}

/// Whether `int`, an exact int only its holder refers to (the caller checks
/// that), can become the int `value` in place (`write_int_in_place`): as
/// many 30-bit digits, so that the same memory holds what
/// `PyLong_FromLongLong(value)` would make, and no small int (CPython stores
/// its one cached object for those). Nothing can tell the difference: no
/// other reference holds the old int, ints take no weak references, and
/// CPython's allocator hands the memory of the int it frees to the next one
/// of that size. That saves an allocation and a release, most of the cost
/// of `self.total += v` or `counts[i] += 1` once the values outgrow the
/// cache (call_heavy).
pub(super) unsafe fn int_fits_in_place(int: *mut ffi::PyObject, value: i64) -> bool {
    let cached = (-SMALL_INTS_NEGATIVE..SMALL_INTS_POSITIVE).contains(&value);
    let digits = || field::<u64>(int as *const u8, v3_12::LAYOUT.long_tag) >> 3;
    !cached && ffi::PyLong_CheckExact(int) != 0 && digits() == int_digits(value) as u64
}

/// Make `int` the int `value` (see `int_fits_in_place`).
pub(super) unsafe fn write_int_in_place(int: *mut ffi::PyObject, value: i64) {
    const SIGN_NEGATIVE: u64 = 2;
    let (base, magnitude, digits) = (int as *mut u8, value.unsigned_abs(), int_digits(value));
    let sign = if value < 0 { SIGN_NEGATIVE } else { 0 };
    set_field::<u64>(base, v3_12::LAYOUT.long_tag, (digits as u64) << 3 | sign);
    for k in 0..digits {
        let digit = (magnitude >> (INT_DIGIT_BITS * k as u32)) & ((1 << INT_DIGIT_BITS) - 1);
        set_field::<u32>(base, v3_12::LAYOUT.long_digit + 4 * k, digit as u32);
    }
}

/// The 30-bit digits CPython gives `value` (none for 0).
fn int_digits(value: i64) -> usize {
    (u64::BITS - value.unsigned_abs().leading_zeros()).div_ceil(INT_DIGIT_BITS) as usize
}

const INT_DIGIT_BITS: u32 = 30;

/// CPython's cached small ints: -5 to 256 (`_PY_NSMALLNEGINTS`, `_PY_NSMALLPOSINTS`).
const SMALL_INTS_NEGATIVE: i64 = 5;
const SMALL_INTS_POSITIVE: i64 = 257;

unsafe extern "C" fn store_elem_float(base: *const u8, index: i64, value: f64) -> u8 {
    // A float only this element refers to can take the new value in place:
    // nothing can tell it from the new float CPython would make (no other
    // reference, and floats have no weak references).
    let old = *(base as *mut *mut ffi::PyObject).add(index as usize);
    if !old.is_null() && ffi::PyFloat_CheckExact(old) != 0 && ffi::Py_REFCNT(old) == 1 {
        (*(old as *mut ffi::PyFloatObject)).ob_fval = value;
        return 1;
    }
    store_elem(base, index, || ffi::PyFloat_FromDouble(value))
}

/// Iterator types (found through Python: not all have a public symbol).
struct IteratorTypes {
    range: *mut ffi::PyTypeObject,
    list: *mut ffi::PyTypeObject,
    list_rev: *mut ffi::PyTypeObject,
    str_ascii: *mut ffi::PyTypeObject,
    str: *mut ffi::PyTypeObject,
    tuple: *mut ffi::PyTypeObject,
    enumerate: *mut ffi::PyTypeObject,
    zip: *mut ffi::PyTypeObject,
    dict_keys: *mut ffi::PyTypeObject,
    dict_values: *mut ffi::PyTypeObject,
    dict_items: *mut ffi::PyTypeObject,
}

impl IteratorTypes {
    fn find(py: Python<'_>) -> PyResult<IteratorTypes> {
        // Types live as long as the interpreter (they are static).
        let of = |src: &std::ffi::CStr| py.eval(src, None, None).map(|t| t.as_ptr() as *mut ffi::PyTypeObject);
        Ok(IteratorTypes {
            range: of(c"type(iter(range(1)))")?,
            list: of(c"type(iter([]))")?,
            list_rev: of(c"type(reversed([]))")?,
            str_ascii: of(c"type(iter(''))")?,
            str: of(c"type(iter('\\u20ac'))")?,
            tuple: of(c"type(iter(()))")?,
            enumerate: of(c"enumerate")?,
            zip: of(c"zip")?,
            dict_keys: of(c"type(iter({}))")?,
            dict_values: of(c"type(iter({}.values()))")?,
            dict_items: of(c"type(iter({}.items()))")?,
        })
    }
}

/// How far the C library's `pow` may be from the true result, in units in
/// the last place: glibc computes it, since 2.28, with Arm's optimized
/// routines, whose source states 0.54 as the worst case. Unknown for other
/// C libraries (`os.confstr` fails there).
fn libm_pow_max_ulps(py: Python<'_>) -> Option<f64> {
    let version = py.import("os").ok()?.call_method1("confstr", ("CS_GNU_LIBC_VERSION",)).ok()?;
    let version: String = version.extract().ok()?;
    let (major, minor) = version.strip_prefix("glibc ")?.split_once('.')?;
    let minor = minor.split(|c: char| !c.is_ascii_digit()).next()?;
    let (major, minor): (u32, u32) = (major.parse().ok()?, minor.parse().ok()?);
    ((major, minor) >= (2, 28)).then_some(0.54)
}

unsafe fn make_abi(l: &Layout, iterators: &IteratorTypes) -> Abi {
    Abi {
        deopt_everything: std::env::var_os("HOTLOOP_DEOPT").is_some_and(|v| v == "1"),
        pow_max_ulps: None,
        ob_type: 8,
        long_tag: l.long_tag as i32,
        long_digit: l.long_digit as i32,
        float_value: l.float_value as i32,
        range_iter_start: l.range_iter_start as i32,
        range_iter_step: l.range_iter_step as i32,
        range_iter_len: l.range_iter_len as i32,
        var_size: l.var_size as i32,
        list_items: l.list_items as i32,
        tuple_items: l.tuple_items as i32,
        result_tuple: l.enum_result as i32,
        gc_next: l.gc_next as i32,
        seq_iter_index: l.seq_iter_index as i32,
        seq_iter_seq: l.seq_iter_seq as i32,
        enum_index: l.enum_index as i32,
        enum_iter: l.enum_iter as i32,
        enum_long_index: l.enum_long_index as i32,
        zip_size: l.zip_size as i32,
        zip_iters: l.zip_iters as i32,
        zip_strict: l.zip_strict as i32,
        type_version: std::mem::offset_of!(ffi::PyTypeObject, tp_version_tag) as i32,
        cached_keys: std::mem::offset_of!(ffi::PyHeapTypeObject, ht_cached_keys) as i32,
        keys_count: l.keys_count as i32,
        instance_values: l.instance_values as i32,
        func_version: std::mem::offset_of!(ffi::PyFunctionObject, func_version) as i32,
        cfunction_def: l.cfunction_def as i32,
        cfunction_self: l.cfunction_self as i32,
        int_type: std::ptr::addr_of_mut!(ffi::PyLong_Type) as u64,
        // Borrowed: the cached ints are immortal.
        small_int_zero: ffi::PyLong_FromLong(0) as u64,
        small_int_stride: l.small_int_stride as i64,
        float_type: std::ptr::addr_of_mut!(ffi::PyFloat_Type) as u64,
        bool_type: std::ptr::addr_of_mut!(ffi::PyBool_Type) as u64,
        none_type: ffi::Py_TYPE(ffi::Py_None()) as u64,
        range_iter_type: iterators.range as u64,
        list_type: std::ptr::addr_of_mut!(ffi::PyList_Type) as u64,
        tuple_type: std::ptr::addr_of_mut!(ffi::PyTuple_Type) as u64,
        list_iter_type: iterators.list as u64,
        list_rev_iter_type: iterators.list_rev as u64,
        str_iter_type: iterators.str as u64,
        str_ascii_iter_type: iterators.str_ascii as u64,
        tuple_iter_type: iterators.tuple as u64,
        enumerate_type: iterators.enumerate as u64,
        zip_type: iterators.zip as u64,
        dict_key_iter_type: iterators.dict_keys as u64,
        dict_value_iter_type: iterators.dict_values as u64,
        dict_item_iter_type: iterators.dict_items as u64,
        dict_type: std::ptr::addr_of_mut!(ffi::PyDict_Type) as u64,
        str_type: std::ptr::addr_of_mut!(ffi::PyUnicode_Type) as u64,
        true_obj: ffi::Py_True() as u64,
        false_obj: ffi::Py_False() as u64,
        none_obj: ffi::Py_None() as u64,
        frame_locals: l.frame_locals as i32 - l.frame_localsplus as i32,
        load_name,
        store_elem_obj,
        store_elem_int,
        store_elem_float,
        list_append_obj,
        list_append_int,
        list_append_float,
        generic: crate::generic::hl_generic,
        dict_get: dicts::dict_get,
        dict_set: dicts::dict_set,
        set_contains: sets::set_contains,
        seq_contains: sets::seq_contains,
        set_add: sets::set_add,
        set_type: std::ptr::addr_of_mut!(ffi::PySet_Type) as u64,
        cell_type: std::ptr::addr_of_mut!(ffi::PyCell_Type) as u64,
        set_used: std::mem::offset_of!(ffi::PySetObject, used) as i32,
        dict_used: std::mem::offset_of!(ffi::PyDictObject, ma_used) as i32,
        str_char: dicts::str_char,
        str_char_new: dicts::str_char_new,
        str_ord: strings::str_ord,
        for_iter_end: iterators::for_iter_end,
        get_iter: iterators::get_iter,
        dict_iter_next: dicts::dict_iter_next,
        release_slot,
        str_concat: strings::str_concat,
        str_append: strings::str_append,
        slice: strings::slice,
        int_to_str: strings::int_to_str,
        str_contains: strings::str_contains,
        str_compare: strings::str_compare,
        release: strings::release,
        call_method: methods::call_method,
        call_method_on_numbers: methods::call_method_on_numbers,
        build_seq: methods::build_seq,
        refill_result: iterators::refill_result,
        methods: Vec::new(),
        str_length: l.var_size as i32,
        generator_type: std::ptr::addr_of_mut!(ffi::PyGen_Type) as u64,
        gen_state: l.gen_frame_state as i32,
        gen_code: (l.gen_iframe + l.frame_code) as i32,
        gen_prev_instr: (l.gen_iframe + l.frame_ip) as i32,
        gen_localsplus: (l.gen_iframe + l.frame_localsplus) as i32,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_self_check_passes_and_objects_are_observed_exactly() {
        Python::initialize();
        Python::attach(|py| {
            let rt = Runtime::detect(py).expect("this CPython's layout is the one hotloop knows");
            let observe = |src: &std::ffi::CStr| unsafe { rt.observe(py.eval(src, None, None).unwrap().as_ptr()) };
            assert_eq!(observe(c"-(2**62)"), Observed::Int(-(1 << 62)));
            assert_eq!(observe(c"2**63"), Observed::BigInt);
            assert_eq!(observe(c"-0.0"), Observed::Float(-0.0));
            assert_eq!(observe(c"True"), Observed::Bool(true));
            assert_eq!(observe(c"None"), Observed::None);
            assert_eq!(observe(c"iter(range(3))"), Observed::RangeIter);
            assert_eq!(observe(c"[1]"), Observed::List);
            assert_eq!(observe(c"(1,)"), Observed::Tuple);
            assert_eq!(observe(c"iter([1])"), Observed::ListIter);
            assert_eq!(observe(c"reversed([1])"), Observed::ListRevIter);
            assert_eq!(observe(c"iter('ab')"), Observed::StrIter);
            assert_eq!(observe(c"iter('\\u20ac')"), Observed::StrIter);
            assert_eq!(observe(c"iter((1,))"), Observed::TupleIter);
            assert_eq!(
                observe(c"type('list', (list,), {})()"),
                Observed::Other("list".into()),
                "a subclass is no list"
            );
            assert_eq!(observe(c"'s'"), Observed::Str);
            assert_eq!(observe(c"{}"), Observed::Dict);
            assert_eq!(observe(c"type('d', (dict,), {})()"), Observed::Other("d".into()), "a subclass is no dict");
            assert_eq!(observe(c"type('s', (str,), {})()"), Observed::Other("s".into()), "a subclass is no str");
            assert_eq!(unsafe { rt.observe(std::ptr::null_mut()) }, Observed::Null);
        });
    }

    #[test]
    fn an_int_becomes_another_in_place_only_with_as_many_digits_and_no_small_int() {
        Python::initialize();
        Python::attach(|py| {
            Runtime::detect(py).expect("this CPython's layout is the one hotloop knows");
            let getsizeof = py.import("sys").unwrap().getattr("getsizeof").unwrap();
            let cases: [(i64, i64, bool); 12] = [
                (1000, 1001, true),
                (1000, -1000, true),
                (1000, 256, false),
                (-1000, -5, false),
                (1000, -6, true),
                ((1 << 30) - 1, 1 << 30, false),
                (1 << 30, (1 << 60) - 1, true),
                (-(1 << 59), (1 << 60) - 7, true),
                ((1 << 60) - 1, 1 << 60, false),
                (1 << 60, i64::MIN, true),
                (i64::MIN, i64::MAX, true),
                (i64::MAX, 1 << 62, true),
            ];
            for (old, new, fits) in cases {
                unsafe {
                    let int = ffi::PyLong_FromLongLong(old);
                    assert_eq!(int_fits_in_place(int, new), fits, "{old} -> {new}");
                    if fits {
                        write_int_in_place(int, new);
                        let made = ffi::PyLong_FromLongLong(new);
                        assert_eq!(ffi::PyObject_RichCompareBool(int, made, ffi::Py_EQ), 1, "{old} -> {new}");
                        let (int, made) = (Bound::from_owned_ptr(py, int), Bound::from_owned_ptr(py, made));
                        assert_eq!(int.str().unwrap().to_string(), new.to_string());
                        let sizes = (getsizeof.call1((&int,)).unwrap(), getsizeof.call1((&made,)).unwrap());
                        assert!(sizes.0.eq(sizes.1).unwrap(), "{old} -> {new}: another size");
                    } else {
                        ffi::Py_DECREF(int);
                    }
                }
            }
            // A float is no int.
            let float = 2.5f64.into_pyobject(py).unwrap();
            assert!(!unsafe { int_fits_in_place(float.as_ptr(), 1000) });
        });
    }
}
