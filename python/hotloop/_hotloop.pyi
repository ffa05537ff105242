"""Type stubs for the native module `hotloop._hotloop` (built from src/ with pyo3).

This is the contract between the Rust runtime and the Python package; the public
API in `hotloop/__init__.py` validates arguments before calling in here.
"""

from typing import Any

def layout_error() -> str | None:
    """Why this CPython's private layout does not match what hotloop was built for,
    or None when it matches (checked once at import)."""

def enable(threshold: int, max_code_size: int, modules: list[str] | None = None) -> None:
    """Start counting backward jumps in every code object, existing and future
    (with `modules`, only in code of those modules and their submodules).
    `threshold` (>= 1) is how many back edges make a loop hot; `max_code_size`
    (bytes) is how much machine code compiled traces may hold before the ones
    entered least recently are evicted. Idempotent: a second call only updates
    the settings (a changed `modules` decides every code object again)."""

def add_modules(modules: list[str]) -> None:
    """Accelerate these modules too, if only some are accelerated."""

def set_event_hook(hook: Any | None) -> None:
    """Call `hook(event)` for each JIT event, after the callback that caused it:
    event is a dict with event ("compiled", "bridge compiled", "aborted",
    "bridge aborted", "left loop", "not inlined", "blacklisted", "invalidated",
    "evicted", "exit hot"), code (the code object), loop_offset, offset, kind
    (a reason kind or None), reason (str), ms (float or None). None: no hook."""

def abort_reasons() -> list[tuple[str, str, str]]:
    """Every kind of reason a loop runs interpreted: (kind, explanation, hint)."""

def set_timing(on: bool) -> None:
    """Measure each loop's time in compiled code (stats()["loops"][i]["compiled_seconds"])."""

def set_perf_map(on: bool) -> None:
    """Write each trace compiled from now on into /tmp/perf-PID.map."""

def refresh_log_level() -> None:
    """Take the `hotloop` logger's effective level again."""

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
    loops: list[dict]         per hot loop: loop ("file:line"), filename, line, function,
                              state, why and why_kind (its last reason not to run compiled),
                              aborts, compile_ms, recording_ms, compiled_seconds (None
                              unless set_timing), iterations_compiled, iterations_interpreted
    """

def reset_stats() -> None: ...

def traces(passes: bool = False, asm: bool = False) -> list[dict[str, Any]]:
    """One dict per compiled trace: name ("file:line"), filename, line, function,
    header_offset, code (the code object), recorded_ir (str), optimized_ir (str),
    entries (int), exits (dict[str, int]: the exiting instruction of the
    optimized IR, e.g. "%17", or "loop" for the loop-top eval-breaker check ->
    times taken), code_size (int, bytes of machine code); with `passes`, passes
    ([(pass, IR)]); with `asm`, asm (Cranelift's listing of the machine code).
    `hotloop.traces()` wraps these in `hotloop._traces.Trace` objects."""
