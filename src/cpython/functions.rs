//! Which Python functions the recorder may inline (see the tracer's
//! `record_inline`): plain functions whose frame holds nothing but their
//! positional parameters and locals, and whose body runs straight through.

use super::Runtime;
use pyo3::ffi;

/// `co_flags` that rule inlining out: generators and coroutines (their frame
/// outlives the call), `*args` and `**kwargs`.
const NOT_INLINABLE: i64 = 0x4 | 0x8 | 0x20 | 0x80 | 0x100 | 0x200;

/// A function the recorder may inline: its code object, `func_version`,
/// `co_argcount` and its positional defaults (borrowed from `__defaults__`,
/// which the function keeps; assigning `__defaults__` changes the version).
pub struct Inlinable {
    pub code: *mut ffi::PyObject,
    pub version: u32,
    pub argcount: u32,
    pub defaults: Vec<*mut ffi::PyObject>,
}

impl Runtime {
    pub unsafe fn inlinable_function(&self, func: *mut ffi::PyObject) -> Option<Inlinable> {
        if func.is_null() || ffi::Py_TYPE(func) != std::ptr::addr_of_mut!(ffi::PyFunction_Type) {
            return None;
        }
        let function = func as *mut ffi::PyFunctionObject;
        let (code, version) = ((*function).func_code, (*function).func_version);
        if version == 0 || self.has_backward_jump(code) {
            return None;
        }
        // An attribute of the code object read through `read` (-1: failed).
        let attribute = |name: &std::ffi::CStr, read: unsafe fn(*mut ffi::PyObject) -> i64| -> Option<i64> {
            let v = ffi::PyObject_GetAttrString(code, name.as_ptr());
            if v.is_null() {
                ffi::PyErr_Clear();
                return None;
            }
            let n = read(v);
            ffi::Py_DECREF(v);
            if n == -1 && !ffi::PyErr_Occurred().is_null() {
                ffi::PyErr_Clear();
                return None;
            }
            Some(n)
        };
        let number = |name| attribute(name, |v| ffi::PyLong_AsLongLong(v));
        let count = |name| attribute(name, |v| ffi::PyObject_Size(v) as i64);
        let plain = number(c"co_flags")? & NOT_INLINABLE == 0
            && number(c"co_kwonlyargcount")? == 0
            && count(c"co_cellvars")? == 0
            && count(c"co_freevars")? == 0;
        let argcount = u32::try_from(number(c"co_argcount")?).ok()?;
        let tuple = (*function).func_defaults;
        let defaults = if tuple.is_null() {
            Vec::new()
        } else {
            (0..ffi::PyTuple_GET_SIZE(tuple)).map(|k| ffi::PyTuple_GET_ITEM(tuple, k)).collect()
        };
        plain.then_some(Inlinable { code, version, argcount, defaults })
    }
}
