//! Calls of the builtin types' methods that compiled code makes directly (see
//! `hotloop_tracer::methods` for which, and why they are exact): the
//! descriptors, looked up once, and the helper that calls one.

use hotloop_tracer::ir::PyType;
use hotloop_tracer::methods::METHODS;
use hotloop_tracer::record::{BoundMethod, Observed};
use pyo3::ffi;
use pyo3::prelude::*;

type Obj = *mut ffi::PyObject;

/// The method descriptors and builtin functions, by `MethodId` (borrowed:
/// types' dicts and the builtins module keep them).
pub fn descriptors(py: Python<'_>) -> PyResult<Vec<u64>> {
    let builtins = py.import("builtins")?;
    METHODS
        .iter()
        .map(|m| {
            if m.function {
                return Ok(builtins.getattr(m.name)?.as_ptr() as u64);
            }
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

/// `abi::CallMethod` for `sum`, `min` and `max` of a list: only when each
/// item is an exact int or float (`Method::numbers_only`).
pub unsafe extern "C" fn call_method_on_numbers(
    callable: *const u8,
    result_kind: u64,
    nargs: u64,
    kinds: u64,
    a0: u64,
    a1: u64,
    a2: u64,
    out: *mut u64,
) -> u8 {
    let list = a0 as Obj;
    let numbers = ffi::PyList_CheckExact(list) != 0
        && (0..ffi::PyList_GET_SIZE(list)).all(|k| {
            let item = ffi::PyList_GET_ITEM(list, k);
            ffi::PyLong_CheckExact(item) != 0 || ffi::PyFloat_CheckExact(item) != 0
        });
    if !numbers {
        return 0;
    }
    call_method(callable, result_kind, nargs, kinds, a0, a1, a2, out)
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
    let args = new_references(nargs, kinds, [a0, a1, a2]);
    let result = match &args {
        Some(args) => ffi::PyObject_Vectorcall(callable as Obj, args.as_ptr(), args.len(), std::ptr::null_mut()),
        None => std::ptr::null_mut(),
    };
    args.iter().flat_map(|a| a.iter()).for_each(|&arg| ffi::Py_DECREF(arg));
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

/// `abi::BuildSeq`.
pub unsafe extern "C" fn build_seq(list: u64, nargs: u64, kinds: u64, a0: u64, a1: u64, a2: u64) -> *const u8 {
    let n = nargs as usize;
    let Some(items) = new_references(nargs, kinds, [a0, a1, a2]) else {
        return std::ptr::null();
    };
    let made = if list == 1 { ffi::PyList_New(n as isize) } else { ffi::PyTuple_New(n as isize) };
    if made.is_null() {
        ffi::PyErr_Clear();
        items.iter().for_each(|&item| ffi::Py_DECREF(item));
        return std::ptr::null();
    }
    // Both steal the item's reference, as the interpreter's BUILD_* do.
    for (k, &item) in items.iter().enumerate() {
        if list == 1 {
            ffi::PyList_SET_ITEM(made, k as isize, item);
        } else {
            ffi::PyTuple_SET_ITEM(made, k as isize, item);
        }
    }
    made as *const u8
}

/// The first `nargs` words as new references: objects taken, ints and floats
/// boxed, as bits `2k..2k+2` of `kinds` say (see `abi::CallMethod`). None,
/// with nothing left held and no exception set, when memory runs out.
pub(super) unsafe fn new_references(nargs: u64, kinds: u64, words: [u64; 3]) -> Option<References> {
    // On the stack: compiled code calls this for every call it makes.
    let mut objects = References { objects: [std::ptr::null_mut(); 3], len: 0 };
    for (k, &word) in words[..nargs as usize].iter().enumerate() {
        let obj = match (kinds >> (2 * k)) & 3 {
            0 => {
                ffi::Py_IncRef(word as Obj);
                word as Obj
            }
            1 => ffi::PyLong_FromLongLong(word as i64),
            _ => ffi::PyFloat_FromDouble(f64::from_bits(word)),
        };
        if obj.is_null() {
            ffi::PyErr_Clear();
            objects.iter().for_each(|&o| ffi::Py_DECREF(o));
            return None;
        }
        objects.objects[k] = obj;
        objects.len = k + 1;
    }
    Some(objects)
}

/// Up to three references, as `new_references` makes them.
pub(super) struct References {
    objects: [Obj; 3],
    len: usize,
}

impl std::ops::Deref for References {
    type Target = [Obj];
    fn deref(&self) -> &[Obj] {
        &self.objects[..self.len]
    }
}

unsafe fn write(out: *mut u64, value: u64) -> u8 {
    *out = value;
    1
}

impl super::Runtime {
    /// What `obj` is when it is a builtin type's method bound to an object
    /// (`out.append`) whose method the recorder knows: a `PyCFunctionObject`
    /// pointing at the `PyMethodDef` of one of the descriptors it compiles.
    pub unsafe fn bound_method(&self, obj: Obj) -> Option<BoundMethod> {
        let function_type = std::ptr::addr_of_mut!(ffi::PyCFunction_Type);
        if obj.is_null() || ffi::Py_TYPE(obj) != function_type {
            return None;
        }
        let base = obj as *const u8;
        let (def, receiver): (u64, Obj) =
            (super::field(base, self.layout.cfunction_def), super::field(base, self.layout.cfunction_self));
        if receiver.is_null() {
            return None;
        }
        let descriptor = self.builtins.keys().copied().find(|&addr| method_def(addr as Obj) == Some(def))?;
        Some(BoundMethod { function_type: function_type as u64, def, descriptor, receiver: self.observe(receiver) })
    }

    /// At import: a bound method is read where `bound_method` reads it.
    pub(super) unsafe fn check_bound_methods(&self, py: Python<'_>) -> Result<(), String> {
        let list = pyo3::types::PyList::empty(py);
        let append = list.getattr("append").map_err(|e| e.to_string())?;
        let found = self.bound_method(append.as_ptr());
        let descriptor = py.get_type::<pyo3::types::PyList>().getattr("append").map_err(|e| e.to_string())?;
        match found {
            Some(bound) if bound.descriptor == descriptor.as_ptr() as u64 && bound.receiver == Observed::List => Ok(()),
            _ => Err("layout self-check failed: bound builtin method".into()),
        }
    }
}

/// The `PyMethodDef` of a method descriptor (`list.append`), as an address.
unsafe fn method_def(descriptor: Obj) -> Option<u64> {
    let descriptor_type = std::ptr::addr_of_mut!(ffi::PyMethodDescr_Type);
    (ffi::Py_TYPE(descriptor) == descriptor_type)
        .then(|| (*(descriptor as *mut ffi::PyMethodDescrObject)).d_method as u64)
}
