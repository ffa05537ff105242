//! Dict watchers: traces take globals, builtins and module attributes as
//! constants, so a change to any of those dict entries must throw the trace away
//! before it runs again.
//!
//! The watcher callback runs inside arbitrary dict operations, so it only notes
//! which loops are affected; `Jit::on_jump` drops their traces before it enters
//! any compiled code. Python code a `generic` instruction runs may change an
//! entry while a trace runs: every change counts in `generation`, which the
//! instruction compares before it lets the trace go on.

use hotloop_tracer::record::DictDep;
use pyo3::ffi;
use std::cell::UnsafeCell;
use std::os::raw::c_int;

/// A loop: its code object's address and its header offset.
pub type LoopKey = (usize, u32);

#[derive(Default)]
struct Watch {
    watcher: Option<c_int>,
    /// Watched dict -> (key object, loop depending on it).
    deps: hashbrown::HashMap<u64, Vec<(u64, LoopKey)>>,
    /// Loops whose dependencies changed, and what changed.
    invalidated: Vec<(LoopKey, String)>,
    generation: u64,
}

struct GilCell(UnsafeCell<Option<Watch>>);
// SAFETY: touched only with the GIL held, never re-entrantly (no Python code runs
// while it is borrowed: key comparison is of exact str objects).
unsafe impl Sync for GilCell {}
static WATCH: GilCell = GilCell(UnsafeCell::new(None));

fn with_watch<R>(f: impl FnOnce(&mut Watch) -> R) -> R {
    // SAFETY: see GilCell.
    unsafe { f((*WATCH.0.get()).get_or_insert_with(Watch::default)) }
}

extern "C" {
    fn PyDict_AddWatcher(
        callback: unsafe extern "C" fn(c_int, *mut ffi::PyObject, *mut ffi::PyObject, *mut ffi::PyObject) -> c_int,
    ) -> c_int;
    fn PyDict_Watch(watcher_id: c_int, dict: *mut ffi::PyObject) -> c_int;
}

const EVENT_ADDED: c_int = 0;
const EVENT_MODIFIED: c_int = 1;
const EVENT_DELETED: c_int = 2;

/// Make `key` (a loop) depend on `deps`. False when no dict watcher is available,
/// in which case the trace must not be used.
pub fn depend(key: LoopKey, deps: &[DictDep]) -> bool {
    with_watch(|w| {
        let id = match w.watcher {
            Some(id) => id,
            None => {
                // SAFETY: the callback has the signature CPython expects.
                let id = unsafe { PyDict_AddWatcher(on_dict_event) };
                if id < 0 {
                    unsafe { ffi::PyErr_Clear() };
                    return false;
                }
                *w.watcher.insert(id)
            }
        };
        for dep in deps {
            let entries = w.deps.entry(dep.dict).or_default();
            if entries.is_empty() {
                // SAFETY: the dict is alive (the trace was just recorded from it).
                if unsafe { PyDict_Watch(id, dep.dict as *mut ffi::PyObject) } < 0 {
                    unsafe { ffi::PyErr_Clear() };
                    return false;
                }
            }
            entries.push((dep.key, key));
        }
        true
    })
}

/// Forget the dependencies of one loop (its trace is gone or being replaced).
pub fn forget_loop(key: LoopKey) {
    with_watch(|w| {
        for entries in w.deps.values_mut() {
            entries.retain(|&(_, k)| k != key);
        }
    })
}

/// Forget every dependency of loops in a dying code object.
pub fn forget_code(code: usize) {
    with_watch(|w| {
        for entries in w.deps.values_mut() {
            entries.retain(|(_, key)| key.0 != code);
        }
        w.invalidated.retain(|(key, _)| key.0 != code);
    })
}

/// How many watched changes there have been.
pub fn generation() -> u64 {
    with_watch(|w| w.generation)
}

/// The loops whose traces must go, since the last call.
/// Whether `take_invalidated` has anything to give.
pub fn any_invalidated() -> bool {
    with_watch(|w| !w.invalidated.is_empty())
}

pub fn take_invalidated() -> Vec<(LoopKey, String)> {
    with_watch(|w| std::mem::take(&mut w.invalidated))
}

/// Whether two dict keys are the same `str` (names are interned, so usually the
/// same object; otherwise compare exact strings, which runs no Python code).
unsafe fn same_name(a: *mut ffi::PyObject, b: *mut ffi::PyObject) -> bool {
    a == b
        || (ffi::PyUnicode_CheckExact(a) != 0 && ffi::PyUnicode_CheckExact(b) != 0 && ffi::PyUnicode_Compare(a, b) == 0)
}

/// What a dict event did, for `python -m hotloop explain`: "'SCALE' was
/// assigned", say.
unsafe fn describe_change(event: c_int, key: *mut ffi::PyObject) -> String {
    let name = if key.is_null() || ffi::PyUnicode_Check(key) == 0 {
        None
    } else {
        let mut size: ffi::Py_ssize_t = 0;
        let utf8 = ffi::PyUnicode_AsUTF8AndSize(key, &mut size);
        if utf8.is_null() {
            ffi::PyErr_Clear();
            None
        } else {
            std::str::from_utf8(std::slice::from_raw_parts(utf8.cast::<u8>(), size as usize)).ok().map(str::to_owned)
        }
    };
    match (event, name) {
        (EVENT_ADDED, Some(name)) => format!("'{name}' was added to a namespace it read"),
        (EVENT_MODIFIED, Some(name)) => format!("'{name}' was assigned"),
        (EVENT_DELETED, Some(name)) => format!("'{name}' was deleted"),
        _ => "a namespace it read was cleared, replaced or freed".to_string(),
    }
}

unsafe extern "C" fn on_dict_event(
    event: c_int,
    dict: *mut ffi::PyObject,
    key: *mut ffi::PyObject,
    _new_value: *mut ffi::PyObject,
) -> c_int {
    with_watch(|w| {
        let Some(entries) = w.deps.get_mut(&(dict as u64)) else {
            return;
        };
        let per_key = matches!(event, EVENT_ADDED | EVENT_MODIFIED | EVENT_DELETED) && !key.is_null();
        let mut hit = Vec::new();
        entries.retain(|&(dep_key, loop_key)| {
            let affected = !per_key || same_name(key, dep_key as *mut ffi::PyObject);
            if affected {
                hit.push(loop_key);
            }
            !affected
        });
        if hit.is_empty() {
            // Most writes to a watched namespace touch names no trace read.
            return;
        }
        w.generation += 1;
        let what = describe_change(event, key);
        w.invalidated.extend(hit.into_iter().map(|loop_key| (loop_key, what.clone())));
    });
    0
}
