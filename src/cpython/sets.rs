//! The membership helpers compiled code calls: `set_contains` and `set_add`,
//! which probe the table as `set_lookkey` (Objects/setobject.c, 3.12) does,
//! and `seq_contains`, which searches a list or tuple as `list_contains` and
//! `tuplecontains` do. All compare keys only where no Python code runs (see
//! `dicts` for the keys and the rule).

use super::dicts::{Key, Probe, StrView};
use pyo3::ffi;

/// `LINEAR_PROBES` and `PERTURB_SHIFT` of Objects/setobject.c.
const LINEAR_PROBES: usize = 9;
const PERTURB_SHIFT: u32 = 5;

/// `set_lookkey`'s probe: the entries with the key's hash, in CPython's
/// order, up to the first free one.
unsafe fn probe(set: *mut ffi::PyObject, key: Key) -> Probe {
    let hash = key.hash();
    if hash == -1 {
        ffi::PyErr_Clear();
        return Probe::Unknown;
    }
    let set = &*(set as *const ffi::PySetObject);
    let mask = set.mask as usize;
    let mut perturb = hash as usize;
    let mut i = hash as usize & mask;
    loop {
        let probes = if i + LINEAR_PROBES <= mask { LINEAR_PROBES } else { 0 };
        for j in i..=i + probes {
            let entry = &*set.table.add(j);
            if entry.hash == 0 && entry.key.is_null() {
                return Probe::Absent;
            }
            // A deleted entry's hash is -1, which no key has.
            if entry.hash == hash {
                if key.is(entry.key) {
                    return Probe::Found(j);
                }
                match key.equals(entry.key) {
                    Some(true) => return Probe::Found(j),
                    Some(false) => {}
                    None => return Probe::Unknown,
                }
            }
        }
        perturb >>= PERTURB_SHIFT;
        i = (i.wrapping_mul(5).wrapping_add(1).wrapping_add(perturb)) & mask;
    }
}

pub unsafe extern "C" fn set_contains(set: *const u8, key: u64, key_is_int: u64, out: *mut u64) -> u8 {
    let Some(key) = Key::from_bits(key, key_is_int) else { return 0 };
    match probe(set as *mut ffi::PyObject, key) {
        Probe::Found(_) => *out = 1,
        Probe::Absent => *out = 0,
        Probe::Unknown => return 0,
    }
    1
}

/// `key in seq` for an exact list or tuple: item by item, identity first, as
/// `PyObject_RichCompareBool(item, key, Py_EQ)` does. Giving up at an item
/// whose comparison could run Python code is exact: the comparisons before it
/// had no effect a program could see.
pub unsafe extern "C" fn seq_contains(seq: *const u8, key: u64, key_is_int: u64, out: *mut u64) -> u8 {
    let Some(key) = Key::from_bits(key, key_is_int) else { return 0 };
    let seq = seq as *mut ffi::PyObject;
    let items: *mut *mut ffi::PyObject = if ffi::PyList_CheckExact(seq) != 0 {
        (*(seq as *mut ffi::PyListObject)).ob_item
    } else {
        (*(seq as *mut ffi::PyTupleObject)).ob_item.as_mut_ptr()
    };
    let needle = match key {
        Key::Str(s) => Some((s, StrView::of(s))),
        Key::Int(..) => None,
    };
    for i in 0..ffi::Py_SIZE(seq) {
        let item = *items.offset(i);
        // A str among strs, the common case, without `equals`'s type tests.
        let found = match needle {
            Some((s, view)) if ffi::PyUnicode_CheckExact(item) != 0 => item == s || view.equals(item),
            _ => {
                key.is(item)
                    || match key.equals(item) {
                        Some(equal) => equal,
                        None => return 0,
                    }
            }
        };
        if found {
            *out = 1;
            return 1;
        }
    }
    *out = 0;
    1
}

pub unsafe extern "C" fn set_add(set: *const u8, key: u64, key_is_int: u64) -> u8 {
    let set = set as *mut ffi::PyObject;
    let Some(key) = Key::from_bits(key, key_is_int) else { return 0 };
    match probe(set, key) {
        Probe::Found(_) => return 1,
        Probe::Unknown => return 0,
        // Only a cached small int is the very object CPython would store.
        Probe::Absent if matches!(key, Key::Int(v, object) if object.is_null() && !(-5..=256).contains(&v)) => {
            return 0
        }
        Probe::Absent => {}
    }
    let object = key.new_object();
    // The probe met no key that could run Python code: neither will the add's.
    let added = !object.is_null() && ffi::PySet_Add(set, object) == 0;
    ffi::Py_XDECREF(object);
    if !added {
        ffi::PyErr_Clear(); // the interpreter adds again and raises
    }
    added as u8
}

/// At import: the probe finds what `in` finds, for keys of every kind it
/// compares, in small and resized tables; the search of a list and a tuple
/// of items of every kind it compares finds what `in` finds.
type ContainsHelper = unsafe extern "C" fn(*const u8, u64, u64, *mut u64) -> u8;

pub(super) unsafe fn check(py: pyo3::Python<'_>) -> Result<(), String> {
    use pyo3::types::PyAnyMethods;
    let set = py
        .eval(c"{*range(-3, 40), *'abcdefghijklmnopqrstuvwxyz', 2**62, 1.5}", None, None)
        .map_err(|e| e.to_string())?;
    let words = ["a", "q", "zz", ""].map(|w| pyo3::types::PyString::new(py, w));
    let mut keys: Vec<Key> = [-3, 0, 39, 40, 1 << 62, 7, 1000].map(|v| Key::Int(v, std::ptr::null_mut())).to_vec();
    keys.extend(words.iter().map(|w| Key::Str(w.as_ptr())));
    let list = py.eval(c"[None, (1,), [2], 2.0, True, 'a', 2**62, -3, 'é']", None, None).map_err(|e| e.to_string())?;
    let tuple = py.eval(c"tuple(range(-3, 40, 3))", None, None).map_err(|e| e.to_string())?;
    let searches: [(&pyo3::Bound<'_, pyo3::PyAny>, ContainsHelper); 3] =
        [(&set, set_contains), (&list, seq_contains), (&tuple, seq_contains)];
    for key in keys {
        let (bits, is_int) = key.bits();
        for (container, helper) in searches {
            let object = key.new_object();
            let expected = ffi::PySequence_Contains(container.as_ptr(), object);
            ffi::Py_DECREF(object);
            let mut found = 0;
            if helper(container.as_ptr() as *const u8, bits, is_int, &mut found) != 1 || found as i32 != expected {
                return Err(format!(
                    "`in` disagrees with hotloop's search of {}",
                    container.repr().map_err(|e| e.to_string())?
                ));
            }
        }
    }
    Ok(())
}
