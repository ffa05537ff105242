"""Type stubs for the native module `hotloop._hotloop` (built from src/ with pyo3).

This is the contract between the Rust runtime and the Python package; the public
API in `hotloop/__init__.py` validates arguments before calling in here.
"""

from typing import Any

def layout_error() -> str | None:
    """Why this CPython's private layout does not match what hotloop was built for,
    or None when it matches (checked once at import)."""

def enable(threshold: int, max_code_size: int) -> None:
    """Start counting backward jumps in every code object, existing and future.
    `threshold` (>= 1) is how many back edges make a loop hot; `max_code_size`
    (bytes) is how much machine code compiled traces may hold before the ones
    entered least recently are evicted. Idempotent: a second call only updates
    the settings."""

def disable() -> None:
    """Stop counting and entering traces; compiled traces are kept but unused."""

def is_enabled() -> bool: ...

def stats() -> dict[str, Any]:
    """Counters since the module was loaded:

    loops_hot: int            loops whose back edge reached the threshold
    traces_compiled: int
    bridges_compiled: int     side exits that became side blocks of their loop's trace
    trace_entries: int        times compiled code was entered
    reentries: int            entries straight after a side block left at the loop's header
    exits: int                guard exits taken, all traces
    exits_by_trace: dict[str, int]   trace name ("file:line") -> exits taken
    aborts: dict[str, int]    named abort reason -> recordings aborted for it
    loops_blacklisted: int
    traces_invalidated: int   traces thrown away (entry guards kept failing, or a global changed)
    internal_errors: int      internal errors caught (each turns the JIT off; always a bug)
    recording_seconds: float
    compile_seconds: float    optimizing and compiling, failed attempts included
    compiles: int             compilations that made code: traces, and trees regrown for a bridge
    compile_ms_median: float | None   milliseconds per compilation (None before the first)
    compile_ms_max: float | None
    """

def reset_stats() -> None: ...

def traces() -> list[dict[str, Any]]:
    """One dict per compiled trace: name ("file:line"), filename, line, function,
    header_offset, recorded_ir (str), optimized_ir (str), entries (int),
    exits (dict[str, int]: the exiting instruction of the optimized IR, e.g. "%17",
    or "loop" for the loop-top eval-breaker check -> times taken), code_size (int,
    bytes of machine code)."""
