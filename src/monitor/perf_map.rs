//! Naming trace code for profilers: `perf` reads CPython's /tmp/perf-PID.map,
//! where each compiled trace is entered under its loop's name
//! (`hotloop._native.set_perf_map`).

use super::CompiledLoop;

extern "C" {
    fn PyUnstable_WritePerfMapEntry(
        code_addr: *const std::ffi::c_void,
        code_size: u32,
        name: *const std::ffi::c_char,
    ) -> std::ffi::c_int;
}

/// A trace's name for profilers: `hotloop::function:file:line`.
pub(super) fn perf_name(function: &str, filename: &str, line: u32) -> String {
    format!("hotloop::{function}:{filename}:{line}")
}

/// Tell perf (through CPython's /tmp/perf-PID.map) where the trace's machine
/// code is, named after its loop: `perf report` then shows
/// `hotloop::function:file:line` where it would show an unknown address.
pub(super) fn write_perf_map_entry(compiled: &CompiledLoop) {
    let Ok(name) = std::ffi::CString::new(perf_name(&compiled.function, &compiled.filename, compiled.line)) else {
        return;
    };
    let start = compiled.compiled.entry() as *const std::ffi::c_void;
    let size = u32::try_from(compiled.compiled.code_size).unwrap_or(u32::MAX);
    // SAFETY: CPython copies the name; the code stays mapped while the trace lives.
    if unsafe { PyUnstable_WritePerfMapEntry(start, size, name.as_ptr()) } != 0 {
        log::warn!("could not write {name:?} to the perf map");
    }
}
