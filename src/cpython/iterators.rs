//! Ending one `for` loop and starting the next from compiled code: the
//! helpers behind `Inst::ForIterEnd` and `Inst::GetIter`, which let a bridge
//! run from an inner loop's end round the outer loop's body and into the
//! next inner loop, and the question the recorder asks first (is this
//! iterator at its end?).
//!
//! The iterator of the loop lives in a stack slot of the frame, and stays the
//! frame's: `for_iter_end` pops it as `FOR_ITER` does, `get_iter` puts the next
//! one there, so an exit finds the frame holding what CPython's would.
//!
//! Exactness: at its end, a list, tuple or str iterator drops its sequence
//! (`listiter_next` and its twins set `it_seq` to NULL), then `FOR_ITER`
//! drops the iterator. Either release may free objects; where freeing could
//! run Python code (`__del__` of an element), the helper changes nothing and
//! the trace leaves for the interpreter to do it.

use super::{field, freed_quietly, int_fits_in_place, set_field, v3_12::LAYOUT, write_int_in_place};
use pyo3::ffi;
use std::sync::atomic::{AtomicPtr, Ordering};

type Obj = *mut ffi::PyObject;

/// Whether a list, tuple or str iterator whose sequence is `seq` (not NULL)
/// has given its last item.
unsafe fn seq_items_left(iter: Obj, seq: Obj) -> isize {
    let index: isize = field(iter as *const u8, LAYOUT.seq_iter_index);
    let size = if ffi::PyUnicode_CheckExact(seq) != 0 { ffi::PyUnicode_GET_LENGTH(seq) } else { ffi::Py_SIZE(seq) };
    size - index
}

/// How many items a range iterator (`range` true) or a list, tuple or str
/// iterator has left (as many as its sequence holds now past its place).
pub(super) unsafe fn items_left(iter: Obj, range: bool) -> isize {
    if range {
        return field::<isize>(iter as *const u8, LAYOUT.range_iter_len);
    }
    let seq: Obj = field(iter as *const u8, LAYOUT.seq_iter_seq);
    if seq.is_null() {
        0
    } else {
        seq_items_left(iter, seq)
    }
}

/// Whether a range iterator (`range` true) or a list, tuple or str iterator
/// has no item left.
pub(super) unsafe fn at_end(iter: Obj, range: bool) -> bool {
    items_left(iter, range) <= 0
}

/// See `abi::ForIterEnd`.
pub unsafe extern "C" fn for_iter_end(slot: *mut u64, kind: u64) -> u8 {
    let place = slot as *mut Obj;
    let iter = *place;
    let range = kind == 0;
    if iter.is_null() || !at_end(iter, range) {
        return 0;
    }
    let seq: Obj = if range { std::ptr::null_mut() } else { field(iter as *const u8, LAYOUT.seq_iter_seq) };
    // With its sequence gone the iterator holds nothing: freeing it is quiet.
    if !seq.is_null() && ffi::Py_REFCNT(seq) == 1 && !freed_quietly(seq, 2) {
        return 0;
    }
    if !seq.is_null() {
        set_field::<Obj>(iter as *mut u8, LAYOUT.seq_iter_seq, std::ptr::null_mut());
        ffi::Py_DECREF(seq);
    }
    *place = std::ptr::null_mut();
    let list = !range && ffi::Py_TYPE(iter) == std::ptr::addr_of_mut!(ffi::PyListIter_Type);
    let spare = if range { &SPARE_RANGE_ITER } else { &SPARE_LIST_ITER };
    if (range || list) && ffi::Py_REFCNT(iter) == 1 && spare.load(Ordering::Relaxed).is_null() {
        if list {
            ffi::PyObject_GC_UnTrack(iter as *mut std::ffi::c_void);
        }
        spare.store(iter, Ordering::Relaxed);
    } else {
        ffi::Py_DECREF(iter);
    }
    1
}

/// A range iterator only the frame held, kept at the end of its loop for the
/// next one `get_iter` makes: `for j in range(i + 1, n)` inside another loop
/// then allocates and frees nothing per turn of the outer loop (about a sixth
/// of n-body's time). CPython's own free lists do the same for floats and
/// tuples; nothing else held the iterator, so nothing can tell. The GIL
/// orders every use.
static SPARE_RANGE_ITER: AtomicPtr<ffi::PyObject> = AtomicPtr::new(std::ptr::null_mut());

/// The same for an exact list's iterator, its sequence already dropped, kept
/// untracked by the garbage collector (as a freed one would be) until reused.
static SPARE_LIST_ITER: AtomicPtr<ffi::PyObject> = AtomicPtr::new(std::ptr::null_mut());

/// A spare iterator, if one is kept, taken.
fn take_spare(spare: &AtomicPtr<ffi::PyObject>) -> Option<Obj> {
    let iter = spare.load(Ordering::Relaxed);
    (!iter.is_null()).then(|| {
        spare.store(std::ptr::null_mut(), Ordering::Relaxed);
        iter
    })
}

/// `iter(list)` for an exact list, as CPython's `list_iter` makes it, from
/// the spare.
unsafe fn spare_list_iter(list: Obj) -> Option<Obj> {
    let iter = take_spare(&SPARE_LIST_ITER)?;
    set_field::<isize>(iter as *mut u8, LAYOUT.seq_iter_index, 0);
    set_field::<Obj>(iter as *mut u8, LAYOUT.seq_iter_seq, ffi::Py_NewRef(list));
    ffi::PyObject_GC_Track(iter as *mut std::ffi::c_void);
    Some(iter)
}

/// Every CPython makes a `range_iterator` for `range(start, stop, step)`
/// when the three are this small (far from where the length or the last
/// value could leave a C long), and `iter` of the range object is then just
/// that iterator: make it without the range object or the three ints.
const SMALL_RANGE_BOUND: i64 = 1 << 62;

/// See `abi::RefillResult`. As `enum_next` and `zip_next` do when only the
/// iterator holds its result tuple: the new items go in, the old ones are
/// released after. Releasing one may free it; that is left to the
/// interpreter (0, nothing changed) unless the object is an int, float or
/// str: those hold nothing compiled code may still be reading, and run no
/// code when freed. An int only the tuple holds takes the new index in place
/// of the new int CPython would make (nothing else can tell them apart), so
/// that `enumerate` allocates nothing per turn.
pub unsafe extern "C" fn refill_result(iter: *const u8, nargs: u64, kinds: u64, a0: u64, a1: u64, a2: u64) -> u8 {
    let enumerate = ffi::Py_TYPE(iter as Obj) == std::ptr::addr_of_mut!(ffi::PyEnum_Type);
    let result: Obj = field(iter, if enumerate { LAYOUT.enum_result } else { LAYOUT.zip_result });
    let n = nargs as usize;
    if result.is_null() || ffi::Py_REFCNT(result) != 1 || ffi::PyTuple_GET_SIZE(result) != n as isize {
        return 1;
    }
    let items = (*(result as *mut ffi::PyTupleObject)).ob_item.as_mut_ptr();
    let words = [a0, a1, a2];
    let holds_nothing =
        |o: Obj| ffi::PyLong_CheckExact(o) != 0 || ffi::PyFloat_CheckExact(o) != 0 || ffi::PyUnicode_CheckExact(o) != 0;
    let release = |made: &[Obj]| made.iter().for_each(|&o| ffi::Py_XDECREF(o));
    if (0..n).map(|k| *items.add(k)).any(|o| !o.is_null() && ffi::Py_REFCNT(o) == 1 && !holds_nothing(o)) {
        return 0;
    }
    // Left NULL where the old int takes the new value in place (done last,
    // once nothing can fail).
    let mut new = [std::ptr::null_mut(); 3];
    for k in 0..n {
        let old = *items.add(k);
        let alone = !old.is_null() && ffi::Py_REFCNT(old) == 1;
        let word = words[k];
        new[k] = match (kinds >> (2 * k)) & 3 {
            0 => ffi::Py_NewRef(word as Obj),
            1 if alone && int_fits_in_place(old, word as i64) => continue,
            1 => ffi::PyLong_FromLongLong(word as i64),
            _ => ffi::PyFloat_FromDouble(f64::from_bits(word)),
        };
        if new[k].is_null() {
            ffi::PyErr_Clear();
            release(&new[..k]);
            return 0;
        }
    }
    for k in 0..n {
        if new[k].is_null() {
            write_int_in_place(*items.add(k), words[k] as i64);
        } else {
            let old = std::mem::replace(&mut *items.add(k), new[k]);
            ffi::Py_XDECREF(old);
        }
    }
    // The collector untracks tuples of untracked items; CPython tracks a
    // refilled one again.
    if ffi::PyObject_GC_IsTracked(result) == 0 {
        ffi::PyObject_GC_Track(result as *mut std::ffi::c_void);
    }
    1
}

/// `iter(range(start, stop, step))` as CPython's `range_iter` makes it for
/// small bounds (`None` otherwise, or for a zero step, which raises).
unsafe fn small_range_iter(start: i64, stop: i64, step: i64) -> Option<Obj> {
    let small = |v: i64| v.abs() < SMALL_RANGE_BOUND;
    if step == 0 || !(small(start) && small(stop) && small(step)) {
        return None;
    }
    let len = if step == 1 {
        (stop - start).max(0)
    } else if step > 0 && start < stop {
        1 + (stop - 1 - start) / step
    } else if step < 0 && start > stop {
        1 + (start - 1 - stop) / -step
    } else {
        0
    };
    let iter: Obj = take_spare(&SPARE_RANGE_ITER)
        .unwrap_or_else(|| ffi::PyObject_New(std::ptr::addr_of_mut!(ffi::PyRangeIter_Type)));
    if iter.is_null() {
        return Some(iter);
    }
    set_field::<i64>(iter as *mut u8, LAYOUT.range_iter_start, start);
    set_field::<i64>(iter as *mut u8, LAYOUT.range_iter_step, step);
    set_field::<i64>(iter as *mut u8, LAYOUT.range_iter_len, len);
    Some(iter)
}

/// See `abi::GetIter`. Iterating an exact list, tuple, str or dict, or making
/// a range, runs no Python code. The slot must be empty.
pub unsafe extern "C" fn get_iter(slot: *mut u64, nargs: u64, a0: u64, a1: u64, a2: u64) -> *const u8 {
    if *slot != 0 {
        // Still the frame's (a bridge from an exit whose write of the frame
        // left a reference there): the interpreter takes over.
        return std::ptr::null();
    }
    let iter = if nargs == 1 {
        let reused = if ffi::PyList_CheckExact(a0 as Obj) != 0 { spare_list_iter(a0 as Obj) } else { None };
        reused.unwrap_or_else(|| ffi::PyObject_GetIter(a0 as Obj))
    } else if let Some(iter) = small_range_iter(a0 as i64, a1 as i64, a2 as i64) {
        iter
    } else {
        let bounds = [a0, a1, a2].map(|v| ffi::PyLong_FromLongLong(v as i64));
        let range = if bounds.iter().any(|b| b.is_null()) {
            std::ptr::null_mut()
        } else {
            let callable = std::ptr::addr_of_mut!(ffi::PyRange_Type) as Obj;
            ffi::PyObject_Vectorcall(callable, bounds.as_ptr(), 3, std::ptr::null_mut())
        };
        bounds.iter().for_each(|&b| ffi::Py_XDECREF(b));
        if range.is_null() {
            std::ptr::null_mut()
        } else {
            let iter = ffi::PyObject_GetIter(range);
            ffi::Py_DECREF(range);
            iter
        }
    };
    if iter.is_null() {
        ffi::PyErr_Clear(); // the interpreter makes it again and raises
        return std::ptr::null();
    }
    *slot = iter as u64;
    iter as *const u8
}

/// The self-check of `small_range_iter`: CPython's own iterators of ranges
/// at the edges of "small" (empty, single, stepping past the stop, negative
/// steps, bounds next to `SMALL_RANGE_BOUND`) hold what it makes.
pub(super) unsafe fn check_small_ranges(py: pyo3::Python<'_>) -> Result<(), String> {
    let edge = SMALL_RANGE_BOUND - 1;
    let cases = [
        (0, 10, 1),
        (5, 100, 3),
        (10, 0, -1),
        (10, 0, -3),
        (0, 0, 1),
        (5, 0, 1),
        (0, 5, -1),
        (-7, 7, 2),
        (-edge, edge, 1),
        (edge, -edge, -edge),
        (-edge, edge, edge),
    ];
    for (start, stop, step) in cases {
        let src = std::ffi::CString::new(format!("iter(range({start}, {stop}, {step}))")).expect("no NUL");
        let theirs = py.eval(&src, None, None).map_err(|e| e.to_string())?;
        let ours = small_range_iter(start, stop, step).filter(|o| !o.is_null()).ok_or("no small range iterator")?;
        let fields = |o: Obj| {
            let p = o as *const u8;
            (
                ffi::Py_TYPE(o),
                field::<i64>(p, LAYOUT.range_iter_start),
                field::<i64>(p, LAYOUT.range_iter_step),
                field::<i64>(p, LAYOUT.range_iter_len),
            )
        };
        let same = fields(theirs.as_ptr()) == fields(ours);
        ffi::Py_DECREF(ours);
        if !same {
            return Err(format!("layout self-check failed: range({start}, {stop}, {step}) iterator"));
        }
    }
    Ok(())
}
