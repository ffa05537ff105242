//! The dict and str helpers compiled code calls (`dict_get`, `dict_set`,
//! `dict_iter_next`, `str_char`, `str_char_new`), and the part of the dict layout they read
//! (`Include/internal/pycore_dict.h` and `Objects/dictobject.c` of 3.12).
//!
//! The helpers must never run Python code: they probe the hash table as
//! `_Py_dict_lookup` does, and compare the key with a stored key of equal hash
//! only when both are exact ints, floats, bools or strs (whose comparisons are
//! C code). Any other stored key on the probe path makes them give up before
//! anything changed; the trace then leaves and the interpreter does the
//! lookup, running that key's `__eq__` as CPython would.

use super::{field, int_fits_in_place, write_int_in_place};
use pyo3::ffi;
use std::sync::atomic::{AtomicPtr, AtomicUsize, Ordering};

/// `PyDictObject`: `ma_used`, `ma_version_tag` (its low byte holds the
/// watcher bits), `ma_keys`, `ma_values`.
const DICT_USED: usize = 16;
const DICT_VERSION: usize = 24;
const DICT_KEYS: usize = 32;
const DICT_VALUES: usize = 40;
/// `PyDictKeysObject`: `dk_log2_size`, `dk_log2_index_bytes`, `dk_kind`, the
/// index table.
const KEYS_LOG2_SIZE: usize = 8;
const KEYS_LOG2_INDEX_BYTES: usize = 9;
const KEYS_KIND: usize = 10;
const KEYS_NENTRIES: usize = 24;
const KEYS_INDICES: usize = 32;
const GENERAL_KEYS: u8 = 0;
/// `dictiterobject` (all three kinds): `di_dict`, `di_used`, `di_pos`, `len`.
const ITER_DICT: usize = 16;
const ITER_USED: usize = 24;
const ITER_POS: usize = 32;
/// `di_result`: the `(key, value)` tuple an items iterator reuses.
const ITER_RESULT: usize = 40;
const ITER_LEN: usize = 48;
const WATCHER_BITS: u64 = 0xff;
/// `PyInterpreterState.dict_state.global_version` (internal/pycore_interp.h),
/// which `DICT_NEXT_VERSION` advances by `DICT_VERSION_INCREMENT` for every
/// change to any dict, and the change's new `ma_version_tag`.
const INTERP_DICT_VERSION: usize = 270720;
const DICT_VERSION_INCREMENT: u64 = 1 << 8;
/// The interpreter (hotloop runs in one: pyo3 modules refuse subinterpreters).
static INTERPRETER: AtomicPtr<u8> = AtomicPtr::new(std::ptr::null_mut());
/// `_PyHASH_MODULUS` (2**61 - 1), by which CPython hashes ints.
const HASH_MODULUS: i64 = (1 << 61) - 1;

/// A key as compiled code passes it: an int (unboxed, or the exact int object
/// itself, which is then the object stored), or an exact str.
#[derive(Clone, Copy)]
pub(super) enum Key {
    Int(i64, *mut ffi::PyObject),
    Str(*mut ffi::PyObject),
}

pub(super) enum Probe {
    /// The entry's index in the keys' entries.
    Found(usize),
    Absent,
    /// Finding out could run Python code.
    Unknown,
}

/// An exact int's value, or `None` outside i64: read in place when it has
/// one 30-bit digit (3.12's compact form, the layout `super::check` verifies).
unsafe fn int_value(int: *mut ffi::PyObject) -> Option<i64> {
    let layout = &super::v3_12::LAYOUT;
    let tag: u64 = field(int as *const u8, layout.long_tag);
    if tag < 16 {
        return Some((1 - (tag & 3) as i64) * field::<u32>(int as *const u8, layout.long_digit) as i64);
    }
    let mut overflow = 0;
    let v = ffi::PyLong_AsLongLongAndOverflow(int, &mut overflow);
    (overflow == 0).then_some(v)
}

impl Key {
    /// `None` for an int object outside i64.
    pub(super) unsafe fn from_bits(bits: u64, is_int: u64) -> Option<Key> {
        let object = bits as *mut ffi::PyObject;
        if is_int != 0 {
            return Some(Key::Int(bits as i64, std::ptr::null_mut()));
        }
        if ffi::PyLong_CheckExact(object) == 0 {
            return Some(Key::Str(object));
        }
        int_value(object).map(|v| Key::Int(v, object))
    }

    pub(super) unsafe fn hash(self) -> isize {
        match self {
            // `long_hash`: the value modulo 2**61 - 1, keeping the sign; -1 is -2.
            Key::Int(v, _) => {
                let magnitude = v.unsigned_abs();
                let reduced = if magnitude < HASH_MODULUS as u64 { magnitude } else { magnitude % HASH_MODULUS as u64 };
                let h = reduced as i64 * v.signum();
                if h == -1 {
                    -2
                } else {
                    h as isize
                }
            }
            Key::Str(s) => str_hash(s),
        }
    }

    /// Whether the stored key `other` equals this key, or `None` when only
    /// Python code could say.
    pub(super) unsafe fn equals(self, other: *mut ffi::PyObject) -> Option<bool> {
        let ty = ffi::Py_TYPE(other);
        let is = |t: *mut ffi::PyTypeObject| ty == t;
        let numeric = is(&raw mut ffi::PyLong_Type) || is(&raw mut ffi::PyBool_Type) || is(&raw mut ffi::PyFloat_Type);
        // These compare unequal to any int or str without running Python
        // code: both sides return NotImplemented and identity decides.
        let unlike = other == ffi::Py_None() || is(&raw mut ffi::PyTuple_Type) || is(&raw mut ffi::PyList_Type);
        if unlike {
            return Some(false);
        }
        match self {
            Key::Str(s) if is(&raw mut ffi::PyUnicode_Type) => Some(str_equal(s, other)),
            Key::Str(_) => numeric.then_some(false),
            Key::Int(..) if is(&raw mut ffi::PyUnicode_Type) => Some(false),
            Key::Int(v, _) if is(&raw mut ffi::PyLong_Type) => Some(int_value(other) == Some(v)),
            Key::Int(v, _) if numeric => {
                let boxed = ffi::PyLong_FromLongLong(v);
                if boxed.is_null() {
                    ffi::PyErr_Clear();
                    return None;
                }
                let eq = ffi::PyObject_RichCompareBool(boxed, other, ffi::Py_EQ);
                ffi::Py_DECREF(boxed);
                if eq < 0 {
                    ffi::PyErr_Clear();
                    return None;
                }
                Some(eq == 1)
            }
            Key::Int(..) => None,
        }
    }

    /// The key as compiled code passes it: the word and whether it is an i64.
    pub(super) fn bits(self) -> (u64, u64) {
        match self {
            Key::Int(v, _) => (v as u64, 1),
            Key::Str(s) => (s as u64, 0),
        }
    }

    pub(super) fn is(self, obj: *mut ffi::PyObject) -> bool {
        match self {
            Key::Str(s) | Key::Int(_, s) => s == obj,
        }
    }

    /// A new reference to the key as an object (NULL, with an error set, if
    /// memory runs out).
    pub(super) unsafe fn new_object(self) -> *mut ffi::PyObject {
        match self {
            Key::Int(v, object) if object.is_null() => ffi::PyLong_FromLongLong(v),
            Key::Str(object) | Key::Int(_, object) => {
                ffi::Py_INCREF(object);
                object
            }
        }
    }
}

/// The dict's table: where its entries are and how they are laid out.
struct Table {
    keys: *const u8,
    general: bool,
    entries: *const u8,
    values: *mut *mut ffi::PyObject,
}

impl Table {
    unsafe fn of(dict: *mut ffi::PyObject) -> Table {
        let keys: *const u8 = field(dict as *const u8, DICT_KEYS);
        let entries = keys.add(KEYS_INDICES + (1usize << field::<u8>(keys, KEYS_LOG2_INDEX_BYTES)));
        Table {
            keys,
            general: field::<u8>(keys, KEYS_KIND) == GENERAL_KEYS,
            entries,
            values: field(dict as *const u8, DICT_VALUES),
        }
    }

    unsafe fn index(&self, slot: usize) -> isize {
        let indices = self.keys.add(KEYS_INDICES);
        match field::<u8>(self.keys, KEYS_LOG2_SIZE) {
            0..8 => field::<i8>(indices, slot) as isize,
            8..16 => field::<i16>(indices, 2 * slot) as isize,
            16..32 => field::<i32>(indices, 4 * slot) as isize,
            _ => field::<i64>(indices, 8 * slot) as isize,
        }
    }

    /// Entry `ix`: its hash (if stored), key, and where its value lives.
    unsafe fn entry(&self, ix: usize) -> (Option<isize>, *mut ffi::PyObject, *mut *mut ffi::PyObject) {
        let key = self.key_slot(ix);
        let hash = self.general.then(|| field(key as *const u8, -8isize as usize));
        let value = if self.values.is_null() { key.add(1) } else { self.values.add(ix) };
        (hash, *key, value)
    }

    /// Where entry `ix` keeps its key; in a combined table the value follows.
    unsafe fn key_slot(&self, ix: usize) -> *mut *mut ffi::PyObject {
        let e = if self.general { self.entries.add(24 * ix + 8) } else { self.entries.add(16 * ix) };
        e as *mut *mut ffi::PyObject
    }

    /// `_Py_dict_lookup`'s probe, comparing only where no Python code runs.
    unsafe fn probe(&self, key: Key, hash: isize) -> Probe {
        let mask = (1usize << field::<u8>(self.keys, KEYS_LOG2_SIZE)) - 1;
        let mut slot = hash as usize & mask;
        let mut perturb = hash as usize;
        loop {
            let ix = self.index(slot);
            if ix == -1 {
                return Probe::Absent;
            }
            if ix >= 0 {
                let (stored_hash, stored, _) = self.entry(ix as usize);
                if key.is(stored) {
                    return Probe::Found(ix as usize);
                }
                // A table without stored hashes holds only exact strs.
                let stored_hash = stored_hash.unwrap_or_else(|| str_hash(stored));
                if stored_hash == hash {
                    match key.equals(stored) {
                        Some(true) => return Probe::Found(ix as usize),
                        Some(false) => {}
                        None => return Probe::Unknown,
                    }
                }
            }
            perturb >>= 5;
            slot = (slot.wrapping_mul(5).wrapping_add(perturb).wrapping_add(1)) & mask;
        }
    }
}

/// An exact str's hash: the cached one, else computed (and cached) by CPython.
unsafe fn str_hash(s: *mut ffi::PyObject) -> isize {
    let cached = (*(s as *const ffi::PyASCIIObject)).hash;
    if cached != -1 {
        cached
    } else {
        ffi::PyObject_Hash(s)
    }
}

/// `unicode_eq`: two exact strs of the same length, width and characters.
unsafe fn str_equal(a: *mut ffi::PyObject, b: *mut ffi::PyObject) -> bool {
    StrView::of(a).equals(b)
}

/// An exact str's length, kind and characters, read once to compare it with
/// many others (`seq_contains`).
#[derive(Clone, Copy)]
pub(super) struct StrView {
    len: isize,
    kind: u32,
    data: *const u8,
}

impl StrView {
    pub(super) unsafe fn of(s: *mut ffi::PyObject) -> StrView {
        let data = ffi::PyUnicode_DATA(s) as *const u8;
        StrView { len: ffi::PyUnicode_GET_LENGTH(s), kind: ffi::PyUnicode_KIND(s), data }
    }

    /// Whether the exact str `other` has the same characters.
    pub(super) unsafe fn equals(self, other: *mut ffi::PyObject) -> bool {
        if self.len != ffi::PyUnicode_GET_LENGTH(other) || self.kind != ffi::PyUnicode_KIND(other) {
            return false;
        }
        let bytes = self.len as usize * self.kind as usize;
        let (x, y) = (self.data, ffi::PyUnicode_DATA(other) as *const u8);
        // Most strings compared in loops are a few characters long (tokens,
        // characters): a library call costs more than comparing them here.
        if bytes <= SHORT_STR_BYTES {
            return (0..bytes).all(|i| *x.add(i) == *y.add(i));
        }
        std::slice::from_raw_parts(x, bytes) == std::slice::from_raw_parts(y, bytes)
    }
}

/// Strings up to this many bytes of data are compared byte by byte inline.
const SHORT_STR_BYTES: usize = 16;

/// The table and entry of the last key found (a loop's `d[k] = d.get(k, 0)
/// + 1` looks the same key up twice). Only a hint: `lookup` checks that the
/// entry holds the key it looks for.
static LAST_FOUND: [AtomicUsize; 2] = [AtomicUsize::new(0), AtomicUsize::new(0)];

/// Whether entry `ix` of `table`, if it exists, holds `key`. Narrower than
/// `Key::equals` (only a key of its own type, strs checked by hash first):
/// with `equals` here dict_count ran at 1.99x instead of 2.28x.
unsafe fn holds(table: &Table, ix: usize, key: Key) -> bool {
    if ix >= field::<isize>(table.keys, KEYS_NENTRIES) as usize {
        return false;
    }
    let stored = *table.key_slot(ix);
    match key {
        Key::Str(s) => {
            let equal =
                || ffi::PyUnicode_CheckExact(stored) != 0 && str_hash(stored) == str_hash(s) && str_equal(s, stored);
            stored == s || (!stored.is_null() && equal())
        }
        Key::Int(v, _) => !stored.is_null() && ffi::PyLong_CheckExact(stored) != 0 && int_value(stored) == Some(v),
    }
}

unsafe fn lookup(dict: *mut ffi::PyObject, key: Key) -> Probe {
    let table = Table::of(dict);
    let [last_keys, last_ix] = [&LAST_FOUND[0], &LAST_FOUND[1]].map(|a| a.load(Ordering::Relaxed));
    if last_keys == table.keys as usize && holds(&table, last_ix, key) {
        return Probe::Found(last_ix);
    }
    let hash = key.hash();
    if hash == -1 {
        ffi::PyErr_Clear();
        return Probe::Unknown;
    }
    // A table without stored hashes holds only exact strs, which no int equals.
    if !table.general && matches!(key, Key::Int(..)) {
        return Probe::Absent;
    }
    let found = table.probe(key, hash);
    if let Probe::Found(ix) = found {
        LAST_FOUND[0].store(table.keys as usize, Ordering::Relaxed);
        LAST_FOUND[1].store(ix, Ordering::Relaxed);
    }
    found
}

pub unsafe extern "C" fn dict_get(dict: *const u8, key: u64, key_is_int: u64, out: *mut u64) -> u8 {
    let dict = dict as *mut ffi::PyObject;
    let Some(key) = Key::from_bits(key, key_is_int) else { return 0 };
    match lookup(dict, key) {
        Probe::Found(ix) => {
            *out = *Table::of(dict).entry(ix).2 as u64;
            1
        }
        Probe::Absent => {
            *out = 0;
            1
        }
        Probe::Unknown => 0,
    }
}

pub unsafe extern "C" fn dict_set(dict: *const u8, key: u64, key_is_int: u64, value: u64, value_kind: u64) -> u8 {
    let dict = dict as *mut ffi::PyObject;
    if field::<u64>(dict as *const u8, DICT_VERSION) & WATCHER_BITS != 0 {
        return 0;
    }
    let Some(key) = Key::from_bits(key, key_is_int) else { return 0 };
    match lookup(dict, key) {
        Probe::Unknown => return 0,
        Probe::Found(ix) => {
            let table = Table::of(dict);
            let place = table.entry(ix).2;
            let old = *place;
            if !old.is_null() && !super::released_quietly(old) {
                return 0;
            }
            if table.values.is_null() && !old.is_null() {
                return replace_value(dict, place, value, value_kind);
            }
        }
        // Only a cached small int is the very object CPython would store.
        Probe::Absent if matches!(key, Key::Int(v, object) if object.is_null() && !(-5..=256).contains(&v)) => {
            return 0
        }
        Probe::Absent => {}
    }
    let value = boxed(value, value_kind);
    let key = key.new_object();
    let stored = !value.is_null() && !key.is_null() && ffi::PyDict_SetItem(dict, key, value) == 0;
    ffi::Py_XDECREF(key);
    ffi::Py_XDECREF(value);
    if !stored {
        ffi::PyErr_Clear(); // the interpreter does the store again and raises
    }
    stored as u8
}

/// The value of an existing entry of a combined table becomes `value`, as
/// `insertdict` does for a key already there: a new version for the dict
/// (unless the value is the same object), then the old value released (the caller checked that runs no Python code).
unsafe fn replace_value(dict: *mut ffi::PyObject, place: *mut *mut ffi::PyObject, value: u64, value_kind: u64) -> u8 {
    // An int only the dict holds may become the new one in place; CPython
    // would store another object, which gives the dict a new version.
    let old = *place;
    let alone = ffi::Py_REFCNT(old) == 1;
    if value_kind == VALUE_INT && alone && int_fits_in_place(old, value as i64) {
        write_int_in_place(old, value as i64);
        *(dict as *mut u8).add(DICT_VERSION).cast::<u64>() = next_version();
        return 1;
    }
    // So may a float (see `store_elem_float`).
    if value_kind == VALUE_FLOAT && alone && ffi::PyFloat_CheckExact(old) != 0 {
        (*(old as *mut ffi::PyFloatObject)).ob_fval = f64::from_bits(value);
        *(dict as *mut u8).add(DICT_VERSION).cast::<u64>() = next_version();
        return 1;
    }
    let value = boxed(value, value_kind);
    if value.is_null() {
        ffi::PyErr_Clear(); // the interpreter does the store again and raises
        return 0;
    }
    // Storing the very object already there is no change: no new version.
    if *place != value {
        *(dict as *mut u8).add(DICT_VERSION).cast::<u64>() = next_version();
    }
    let old = std::mem::replace(&mut *place, value);
    ffi::Py_DECREF(old);
    1
}

/// `DICT_NEXT_VERSION` (no watcher bits: watched dicts are left alone).
unsafe fn next_version() -> u64 {
    let mut interp = INTERPRETER.load(Ordering::Relaxed);
    if interp.is_null() {
        interp = ffi::PyInterpreterState_Get() as *mut u8;
        INTERPRETER.store(interp, Ordering::Relaxed);
    }
    let global = interp.add(INTERP_DICT_VERSION).cast::<u64>();
    *global += DICT_VERSION_INCREMENT;
    *global
}

/// `value_kind` of an i64 and of an f64's bits (see `boxed`).
const VALUE_INT: u64 = 1;
const VALUE_FLOAT: u64 = 2;

/// A new reference to a value as compiled code passes it: an object (kind 0),
/// an i64 (1) or the bits of an f64 (2).
unsafe fn boxed(value: u64, value_kind: u64) -> *mut ffi::PyObject {
    match value_kind {
        VALUE_INT => ffi::PyLong_FromLongLong(value as i64),
        0 => {
            let v = value as *mut ffi::PyObject;
            ffi::Py_INCREF(v);
            v
        }
        _ => ffi::PyFloat_FromDouble(f64::from_bits(value)),
    }
}

/// `dictiter_iternextkey` and its value and item twins, up to building the
/// result: skips deleted entries, advances the iterator, and gives where the
/// entry's key is. Gives up (changing nothing) wherever CPython would not
/// return an item: no dict left, a changed size, an exhausted table, a length
/// run out; and for split tables.
pub unsafe extern "C" fn dict_iter_next(iter: *const u8, out: *mut u64) -> u8 {
    let dict: *mut ffi::PyObject = field(iter, ITER_DICT);
    if dict.is_null() || field::<isize>(iter, ITER_USED) != field::<isize>(dict as *const u8, DICT_USED) {
        return 0;
    }
    let table = Table::of(dict);
    if !table.values.is_null() || field::<isize>(iter, ITER_LEN) == 0 {
        return 0;
    }
    let entries = field::<isize>(table.keys, KEYS_NENTRIES).max(0) as usize;
    let start = field::<isize>(iter, ITER_POS).max(0) as usize;
    let Some(ix) = (start..entries).find(|&ix| !(*table.key_slot(ix).add(1)).is_null()) else {
        return 0;
    };
    if !recycle_result(iter, table.key_slot(ix)) {
        return 0;
    }
    *(iter.add(ITER_POS) as *mut isize) = ix as isize + 1;
    *(iter.add(ITER_LEN) as *mut isize) -= 1;
    *out = table.key_slot(ix) as u64;
    1
}

/// An items iterator whose result tuple only it holds puts the new key and
/// value into it, as `dictiter_iternextitem` does, releasing the ones of the
/// turn before there, where CPython does. False, changing nothing, when that
/// release would run Python code (the interpreter's `FOR_ITER` does it then).
unsafe fn recycle_result(iter: *const u8, entry: *mut *mut ffi::PyObject) -> bool {
    let result: *mut ffi::PyObject = field(iter, ITER_RESULT);
    if result.is_null() || ffi::Py_REFCNT(result) != 1 {
        return true;
    }
    let items = (*(result as *mut ffi::PyTupleObject)).ob_item.as_mut_ptr();
    let old = [*items, *items.add(1)];
    let quiet = |o: *mut ffi::PyObject| o.is_null() || ffi::Py_REFCNT(o) > 1 || super::freed_quietly(o, 2);
    if !old.into_iter().all(quiet) {
        return false;
    }
    let (key, value) = (*entry, *entry.add(1));
    ffi::Py_INCREF(key);
    ffi::Py_INCREF(value);
    *items = key;
    *items.add(1) = value;
    old.into_iter().for_each(|o| ffi::Py_XDECREF(o));
    // The collector untracks tuples of untracked items; a recycled one may not be.
    if ffi::PyObject_GC_IsTracked(result) == 0 {
        ffi::PyObject_GC_Track(result as *mut std::ffi::c_void);
    }
    true
}

pub unsafe extern "C" fn str_char(s: *const u8, index: i64, out: *mut u64) -> u8 {
    let c = ffi::PyUnicode_ReadChar(s as *mut ffi::PyObject, index as isize);
    if c == u32::MAX as ffi::Py_UCS4 || c > 255 {
        ffi::PyErr_Clear();
        return 0;
    }
    // CPython keeps one immortal string per Latin-1 character.
    let one = ffi::PyUnicode_FromOrdinal(c as i32);
    if one.is_null() {
        ffi::PyErr_Clear();
        return 0;
    }
    *out = one as u64;
    1
}

/// `str_iterator.__next__`'s character: CPython's immortal one below 256,
/// else a new str (as `unicode_char` makes).
pub unsafe extern "C" fn str_char_new(s: *const u8, index: i64, out: *mut u64) -> u8 {
    let c = ffi::PyUnicode_ReadChar(s as *mut ffi::PyObject, index as isize);
    let one = if c == u32::MAX as ffi::Py_UCS4 { std::ptr::null_mut() } else { ffi::PyUnicode_FromOrdinal(c as i32) };
    if one.is_null() {
        ffi::PyErr_Clear();
        return 0;
    }
    *out = one as u64;
    1
}

/// At import: the probe finds what the dict finds, for int keys with
/// collisions and deletions, and for str keys in both table kinds.
pub(super) unsafe fn check(py: pyo3::Python<'_>) -> Result<(), String> {
    use pyo3::prelude::*;
    let src = c"(lambda d: ([d.pop(k) for k in range(0, 600, 7)], d)[1])({k: k * 2 for k in list(range(-50, 600)) + [2**61, 2**61 - 1, -2**61 + 1, 2**62 + 5]})";
    let ints = py.eval(src, None, None).map_err(|e| e.to_string())?;
    let strs = py.eval(c"{'a': 1, 'bb': 2, str(10**5): 3}", None, None).map_err(|e| e.to_string())?;
    let mixed = py.eval(c"{'a': 1, 2: 'two', 2.5: 3}", None, None).map_err(|e| e.to_string())?;
    let mut out = 0u64;
    let mut agrees = |dict: &Bound<'_, PyAny>, key: Key| {
        let boxed = match key {
            Key::Int(v, _) => v.into_pyobject(py).unwrap().into_any().unbind(),
            Key::Str(s) => Bound::from_borrowed_ptr(py, s).unbind(),
        };
        let expected = ffi::PyDict_GetItemWithError(dict.as_ptr(), boxed.as_ptr());
        let bits = key.bits();
        dict_get(dict.as_ptr() as *const u8, bits.0, bits.1, &mut out) == 1 && out == expected as u64
    };
    let ok = [-60i64, -50, -1, 0, 1, 7, 8, 599, 600, 1 << 61, (1 << 61) - 1, -(1 << 61) + 1, (1 << 62) + 5, i64::MIN]
        .into_iter()
        .all(|v| agrees(&ints, Key::Int(v, std::ptr::null_mut())))
        && ["a", "bb", "100000", "c"].into_iter().all(|s| {
            let key = pyo3::types::PyString::new(py, s);
            agrees(&strs, Key::Str(key.as_ptr())) && agrees(&mixed, Key::Str(key.as_ptr()))
        })
        && [2i64, 3].into_iter().all(|v| agrees(&mixed, Key::Int(v, std::ptr::null_mut())));
    if !ok {
        return Err("layout self-check failed: dict lookup".into());
    }
    check_versions(py)?;
    check_iteration(py)
}

/// At import: a store through `dict_set` into an existing entry gives the
/// dict the version CPython's own store would, and the store after it sees
/// that version as the latest.
unsafe fn check_versions(py: pyo3::Python<'_>) -> Result<(), String> {
    use pyo3::prelude::*;
    let failed = || "layout self-check failed: dict versions".to_string();
    let dict = pyo3::types::PyDict::new(py);
    let key = 7i64.into_pyobject(py).map_err(|e| e.to_string())?;
    let version = |d: &pyo3::Bound<'_, pyo3::types::PyDict>| field::<u64>(d.as_ptr() as *const u8, DICT_VERSION);
    for round in 0..3 {
        dict.set_item(&key, round).map_err(|e| e.to_string())?;
        let theirs = version(&dict);
        if dict_set(dict.as_ptr() as *const u8, 7, 1, 1000 + round, 1) != 1 {
            return Err(failed());
        }
        let ours = version(&dict);
        let stored: i64 = dict.get_item(&key).ok().flatten().and_then(|v| v.extract().ok()).ok_or_else(failed)?;
        if ours != theirs + DICT_VERSION_INCREMENT || stored != 1000 + round as i64 {
            return Err(failed());
        }
    }
    Ok(())
}

/// At import: `dict_iter_next` walks a dict with deleted entries (of both
/// table kinds) as `next()` does, leaving the iterator in the same state, and
/// gives up at the end and on an instance's split table.
unsafe fn check_iteration(py: pyo3::Python<'_>) -> Result<(), String> {
    use pyo3::prelude::*;
    let failed = || "layout self-check failed: dict iteration".to_string();
    let dicts = [
        c"(lambda d: (d.pop(2), d.pop(40), d)[2])({k: str(k) for k in range(50)})",
        c"(lambda d: (d.pop('b'), d)[1])({'a': 1, 'b': 2, 'c': 3})",
    ];
    for src in dicts {
        let dict = py.eval(src, None, None).map_err(|e| e.to_string())?;
        let (ours, theirs) = (dict.call_method0("items"), dict.call_method0("items"));
        let (ours, theirs) = (ours.and_then(|i| i.try_iter()), theirs.and_then(|i| i.try_iter()));
        let (ours, mut theirs) = (ours.map_err(|e| e.to_string())?, theirs.map_err(|e| e.to_string())?);
        let it = ours.as_ptr() as *const u8;
        let mut out = 0u64;
        while dict_iter_next(it, &mut out) == 1 {
            let pair = theirs.next().ok_or_else(failed)?.map_err(|e| e.to_string())?;
            let slot = out as *const *mut ffi::PyObject;
            let same_pair = ffi::PyTuple_GetItem(pair.as_ptr(), 0) == *slot
                && ffi::PyTuple_GetItem(pair.as_ptr(), 1) == *slot.add(1);
            let same_state = field::<isize>(it, ITER_POS) == field::<isize>(theirs.as_ptr() as *const u8, ITER_POS)
                && field::<isize>(it, ITER_LEN) == field::<isize>(theirs.as_ptr() as *const u8, ITER_LEN);
            if !same_pair || !same_state {
                return Err(failed());
            }
        }
        if theirs.next().is_some() {
            return Err(failed());
        }
    }
    let split = py
        .eval(c"(lambda C: iter(vars(C())))(type('C', (), {'__init__': lambda s: setattr(s, 'a', 1)}))", None, None)
        .map_err(|e| e.to_string())?;
    let mut out = 0u64;
    if dict_iter_next(split.as_ptr() as *const u8, &mut out) != 0 {
        return Err(failed());
    }
    Ok(())
}
