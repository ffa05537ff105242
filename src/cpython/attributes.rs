//! Where instances of a Python class keep an attribute (for the recorder), and
//! the self-check of the layouts that answer relies on.
//!
//! The lookup is the one `PyObject_GenericGetAttr`/`SetAttr` do, narrowed to
//! the cases CPython's own specializer handles: a type with the default
//! attribute access and a valid version tag; no data descriptor of that name
//! in the class; the value in the instance's inline values (found in the
//! type's shared keys) or a `__slots__` member; or, for a method call, a plain
//! function of the class that the instance cannot shadow.

use super::{field, Runtime};
use hotloop_tracer::record::{AttrAccess, AttrPlace, InstanceAttr};
use pyo3::ffi;

extern "C" {
    /// The attribute `name` found along the type's MRO (borrowed, NULL if none);
    /// assigns the type a version tag if it has none.
    fn _PyType_Lookup(ty: *mut ffi::PyTypeObject, name: *mut ffi::PyObject) -> *mut ffi::PyObject;
}

/// `PyDictKeysObject`'s fixed part: the index table follows, then the entries.
const KEYS_LOG2_INDEX_BYTES: usize = 9;
const KEYS_KIND: usize = 10;
const KEYS_INDICES: usize = 32;
/// `DICT_KEYS_SPLIT`: shared keys, values in the instance.
const SPLIT_KEYS: u8 = 2;

impl Runtime {
    pub unsafe fn instance_attribute(
        &self,
        obj: *mut ffi::PyObject,
        name: *mut ffi::PyObject,
        access: AttrAccess,
    ) -> Option<InstanceAttr> {
        if obj.is_null() || ffi::PyUnicode_CheckExact(name) == 0 {
            return None;
        }
        let ty = ffi::Py_TYPE(obj);
        let flags = (*ty).tp_flags;
        if flags & ffi::Py_TPFLAGS_HEAPTYPE == 0 {
            return None;
        }
        let default_access = match access {
            // libpython's own functions: one address each.
            AttrAccess::Store => {
                (*ty).tp_setattro.map(|f| f as *const () as usize)
                    == Some(ffi::PyObject_GenericSetAttr as *const () as usize)
            }
            _ => {
                (*ty).tp_getattro.map(|f| f as *const () as usize)
                    == Some(ffi::PyObject_GenericGetAttr as *const () as usize)
            }
        };
        if !default_access {
            return None;
        }
        let descr = _PyType_Lookup(ty, name);
        let type_version = (*ty).tp_version_tag;
        if type_version == 0 || (*ty).tp_flags & ffi::Py_TPFLAGS_VALID_VERSION_TAG == 0 {
            return None;
        }
        let shared_keys = (*(ty as *mut ffi::PyHeapTypeObject)).ht_cached_keys as *const u8;
        let values = self.inline_values(obj);
        let in_values =
            || (values.is_some() && !shared_keys.is_null()).then(|| self.shared_key_index(shared_keys, name));
        let place = match access {
            AttrAccess::Method => {
                if descr.is_null() || ffi::Py_TYPE(descr) != std::ptr::addr_of_mut!(ffi::PyFunction_Type) {
                    return None;
                }
                let shared_keys = if flags & ffi::Py_TPFLAGS_MANAGED_DICT != 0 {
                    if in_values()?.is_some() {
                        return None; // the instance's own attribute shadows it
                    }
                    Some(field::<i64>(shared_keys, self.layout.keys_count) as u64)
                } else if (*ty).tp_dictoffset == 0 {
                    None
                } else {
                    return None;
                };
                AttrPlace::Method { function: descr as u64, shared_keys }
            }
            AttrAccess::Load | AttrAccess::Store => {
                if descr.is_null() || (*ffi::Py_TYPE(descr)).tp_descr_set.is_none() {
                    // The instance's own value wins over a non-data descriptor;
                    // without one (a class attribute is read, or a store adds
                    // the name) the guard on it would fail every time.
                    let index = in_values()??;
                    if values?.add(index as usize).read().is_null() {
                        return None;
                    }
                    AttrPlace::Value(index)
                } else if ffi::Py_TYPE(descr) == std::ptr::addr_of_mut!(ffi::PyMemberDescr_Type) {
                    let member = (*(descr as *mut ffi::PyMemberDescrObject)).d_member;
                    let writable = access != AttrAccess::Store || (*member).flags & ffi::Py_READONLY == 0;
                    if (*member).type_code != ffi::Py_T_OBJECT_EX || !writable || (*member).offset % 8 != 0 {
                        return None;
                    }
                    AttrPlace::Member(u32::try_from((*member).offset).ok()?)
                } else {
                    return None;
                }
            }
        };
        Some(InstanceAttr { type_version, place })
    }

    /// What `obj` holds at `place`, borrowed (NULL where nothing is).
    pub unsafe fn attribute_value(&self, obj: *mut ffi::PyObject, place: AttrPlace) -> *mut ffi::PyObject {
        match place {
            AttrPlace::Value(index) => self.inline_values(obj).map_or(std::ptr::null_mut(), |v| *v.add(index as usize)),
            AttrPlace::Member(offset) => field(obj as *const u8, offset as usize),
            AttrPlace::Method { .. } => std::ptr::null_mut(),
        }
    }

    /// The inline values array of an instance with a managed dict, while it
    /// has one (no `__dict__` made from it yet).
    unsafe fn inline_values(&self, obj: *mut ffi::PyObject) -> Option<*const *mut ffi::PyObject> {
        if (*ffi::Py_TYPE(obj)).tp_flags & ffi::Py_TPFLAGS_MANAGED_DICT == 0 {
            return None;
        }
        // The word is the array's address minus one, tagged by bit 0.
        let word: usize = field(obj as *const u8, 0usize.wrapping_add_signed(self.layout.instance_values));
        (word & 1 == 1).then_some((word + 1) as *const *mut ffi::PyObject)
    }

    /// The index of `name` (by identity: attribute names are interned) in split
    /// keys, which is its index in every instance's inline values.
    unsafe fn shared_key_index(&self, keys: *const u8, name: *mut ffi::PyObject) -> Option<u32> {
        if field::<u8>(keys, KEYS_KIND) != SPLIT_KEYS {
            return None;
        }
        let entries = keys.add(KEYS_INDICES + (1usize << field::<u8>(keys, KEYS_LOG2_INDEX_BYTES)));
        let count = field::<i64>(keys, self.layout.keys_count);
        // Each entry of unicode keys is (key, value).
        (0..count).find(|&k| field::<*mut ffi::PyObject>(entries, k as usize * 16) == name).map(|k| k as u32)
    }

    /// At import: a fresh instance's attribute is where the lookup says, read
    /// the way compiled code reads it.
    pub(super) unsafe fn check_attributes(&self, py: pyo3::Python<'_>) -> Result<(), String> {
        use pyo3::prelude::*;
        let src = c"(lambda C: C())(type('Probe', (), {'__init__': lambda self: setattr(self, 'a', 1) or setattr(self, 'b', 'two'), 'm': lambda self: 0}))";
        let obj = py.eval(src, None, None).map_err(|e| e.to_string())?;
        let b = obj.getattr("b").map_err(|e| e.to_string())?;
        let name = pyo3::types::PyString::intern(py, "b");
        let Some(InstanceAttr { type_version, place: AttrPlace::Value(index) }) =
            self.instance_attribute(obj.as_ptr(), name.as_ptr(), AttrAccess::Load)
        else {
            return Err("layout self-check failed: instance attribute lookup".into());
        };
        let ty = ffi::Py_TYPE(obj.as_ptr()) as *const u8;
        let Some(values) = self.inline_values(obj.as_ptr()) else {
            return Err("layout self-check failed: instance values word".into());
        };
        let keys: *const u8 = field(ty, self.abi.cached_keys as usize);
        let ok = field::<u32>(ty, self.abi.type_version as usize) == type_version
            && *values.add(index as usize) == b.as_ptr()
            && field::<i64>(keys, self.layout.keys_count) == 2;
        let method = pyo3::types::PyString::intern(py, "m");
        let method_ok = matches!(
            self.instance_attribute(obj.as_ptr(), method.as_ptr(), AttrAccess::Method),
            Some(InstanceAttr { place: AttrPlace::Method { shared_keys: Some(2), .. }, .. })
        );
        if ok && method_ok {
            Ok(())
        } else {
            Err("layout self-check failed: instance values".into())
        }
    }
}

/// The special method `name` of `obj` as CPython's `_PyObject_LookupSpecial`
/// finds it: on the type only, bound through its descriptor. A new reference,
/// or NULL (with an exception set only when binding it raised).
pub unsafe fn lookup_special(obj: *mut ffi::PyObject, name: *mut ffi::PyObject) -> *mut ffi::PyObject {
    let ty = ffi::Py_TYPE(obj);
    let found = _PyType_Lookup(ty, name);
    if found.is_null() {
        return found;
    }
    match (*ffi::Py_TYPE(found)).tp_descr_get {
        Some(get) => get(found, obj, ty as *mut ffi::PyObject),
        None => {
            ffi::Py_IncRef(found);
            found
        }
    }
}
