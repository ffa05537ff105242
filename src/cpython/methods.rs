//! Calls of the builtin types' methods that compiled code makes directly (see
//! `hotloop_tracer::methods` for which, and why they are exact): the
//! descriptors, looked up once, and the helper that calls one.

use hotloop_tracer::ir::PyType;
use hotloop_tracer::methods::METHODS;
use pyo3::ffi;
use pyo3::prelude::*;

type Obj = *mut ffi::PyObject;

/// The method descriptors, by `MethodId` (borrowed: types' dicts keep them).
pub fn descriptors(py: Python<'_>) -> PyResult<Vec<u64>> {
    METHODS
        .iter()
        .map(|m| {
            let owner = match m.owner {
                PyType::Str => py.get_type::<pyo3::types::PyString>(),
                PyType::List => py.get_type::<pyo3::types::PyList>(),
                other => unreachable!("no methods of {other:?} are listed"),
            };
            let descriptor = owner.getattr("__dict__")?.get_item(m.name)?;
            Ok(descriptor.as_ptr() as u64)
        })
        .collect()
}

/// `abi::CallMethod`.
pub unsafe extern "C" fn call_method(
    callable: *const u8,
    result_kind: u64,
    nargs: u64,
    kinds: u64,
    a0: u64,
    a1: u64,
    a2: u64,
    out: *mut u64,
) -> u8 {
    let words = [a0, a1, a2];
    let kind = |k: usize| (kinds >> (2 * k)) & 3;
    let mut args: [Obj; 3] = [std::ptr::null_mut(); 3];
    for k in 0..nargs as usize {
        args[k] = match kind(k) {
            0 => words[k] as Obj,
            1 => ffi::PyLong_FromLongLong(words[k] as i64),
            _ => ffi::PyFloat_FromDouble(f64::from_bits(words[k])),
        };
    }
    let boxing_failed = args[..nargs as usize].iter().any(|a| a.is_null());
    let result = if boxing_failed {
        std::ptr::null_mut()
    } else {
        ffi::PyObject_Vectorcall(callable as Obj, args.as_ptr(), nargs as usize, std::ptr::null_mut())
    };
    for (k, &arg) in args[..nargs as usize].iter().enumerate() {
        if kind(k) != 0 && !arg.is_null() {
            ffi::Py_DECREF(arg);
        }
    }
    if result.is_null() {
        ffi::PyErr_Clear();
        return 0;
    }
    let value = match result_kind {
        0 => return write(out, result as u64),
        1 => {
            let mut overflow = 0;
            let v = ffi::PyLong_AsLongLongAndOverflow(result, &mut overflow);
            if overflow != 0 || (v == -1 && !ffi::PyErr_Occurred().is_null()) {
                ffi::PyErr_Clear();
                ffi::Py_DECREF(result);
                return 0;
            }
            v as u64
        }
        2 => (result == ffi::Py_True()) as u64,
        _ => 0,
    };
    ffi::Py_DECREF(result);
    write(out, value)
}

unsafe fn write(out: *mut u64, value: u64) -> u8 {
    *out = value;
    1
}
