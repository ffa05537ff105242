"""hotloop: a tracing JIT compiler for the hot loops of stock CPython 3.12.

    import hotloop
    hotloop.enable()          # loops become hot after 100 back edges
    hotloop.enable(1000)      # ...or after 1000
    hotloop.disable()

A program behaves exactly as it does without hotloop, only faster where its hot
loops do int/float arithmetic. Or run a whole script under it without changing it:
``python -m hotloop run script.py``.

On a CPython that hotloop was not built for, importing it warns (RuntimeWarning)
and the JIT stays off: `enable()` warns again and does nothing, `is_enabled()` is
False and `stats()` reports zeros.
"""

import os as _os
import sys

# Imported before any `enable()`: a module imported later would have its loops
# instrumented, and hotloop's own loops are not the user's.
from . import _discover  # noqa: F401
from . import _select

__all__ = ["DEFAULT_THRESHOLD", "activate", "enable", "disable", "is_enabled", "stats", "traces"]

DEFAULT_THRESHOLD = 100
"""Back edges a loop takes before it is recorded and compiled, when `enable()` is
given none: enough to skip loops that run only a few times, small enough that a
loop of a few thousand iterations spends almost all of them compiled."""

# The native side counts back edges in 32 bits.
MAX_THRESHOLD = 2**32 - 1
# Bytes of machine code compiled traces may hold by default (see `enable`).
DEFAULT_MAX_CODE_SIZE = 64 * 2**20
MAX_CODE_SIZE = 2**48

SUPPORTED_PYTHON = "CPython 3.12"

# hotloop imports no module a program would not import itself (they would show
# in its `sys.modules`): `logging`, `warnings` and `platform` only when used.


def _logger():
    """The `hotloop` logger, which messages from the native runtime (hot loops,
    aborts, exits) go to; made on first use, with a NullHandler as a library's."""
    global _hotloop_logger
    if _hotloop_logger is None:
        import logging

        _hotloop_logger = logging.getLogger("hotloop")
        _hotloop_logger.addHandler(logging.NullHandler())
    return _hotloop_logger


_hotloop_logger = None


def _log(level, message):
    _logger().log(level, message)


def _debug(message, *args):
    # A program that has not imported `logging` has not asked for debug records.
    if "logging" in sys.modules:
        _logger().debug(message, *args)


def _load_native():
    """The native module, or None and why it cannot be used here."""
    try:
        # Unlike `from . import`, this names the missing module in its error.
        __import__(f"{__name__}._hotloop")
        native = sys.modules[f"{__name__}._hotloop"]
    except ImportError as error:
        # The extension is built for one CPython version; others cannot load it.
        return None, f"its native extension did not load ({error})"
    layout_error = native.layout_error()
    if layout_error is not None:
        return None, layout_error
    return native, None


if _os.environ.get("HOTLOOP_LOG"):
    # Before the native module loads: it takes the logger's level then.
    from . import _environ

    _environ.configure_logging()

_native, _unavailable_reason = _load_native()


def _warn_unavailable(stacklevel):
    import platform
    import warnings

    running = f"{platform.python_implementation()} {platform.python_version()}"
    warnings.warn(
        f"hotloop is off: it supports {SUPPORTED_PYTHON} and this is {running}; "
        f"{_unavailable_reason}",
        RuntimeWarning,
        stacklevel=stacklevel + 1,
    )


if _native is None:
    # stacklevel 2 names the `import hotloop` line: the import system's own frames
    # are skipped by the warnings module.
    _warn_unavailable(stacklevel=2)


def _validated_threshold(threshold):
    if threshold is None:
        return DEFAULT_THRESHOLD
    if isinstance(threshold, bool) or not isinstance(threshold, int):
        raise TypeError(f"threshold must be an int, got {type(threshold).__name__}")
    if threshold < 1:
        raise ValueError(
            f"threshold must be at least 1 (the number of back edges that make a loop "
            f"hot), got {threshold}; pass None for the default ({DEFAULT_THRESHOLD})"
        )
    if threshold > MAX_THRESHOLD:
        raise ValueError(f"threshold must be at most {MAX_THRESHOLD}, got {threshold}")
    return threshold


def _validated_code_size(max_code_size):
    if max_code_size is None:
        return DEFAULT_MAX_CODE_SIZE
    if isinstance(max_code_size, bool) or not isinstance(max_code_size, int):
        raise TypeError(f"max_code_size must be an int (bytes), got {type(max_code_size).__name__}")
    if not 1 <= max_code_size <= MAX_CODE_SIZE:
        raise ValueError(
            f"max_code_size must be between 1 and {MAX_CODE_SIZE} bytes, got {max_code_size}; "
            f"pass None for the default ({DEFAULT_MAX_CODE_SIZE} bytes)"
        )
    return max_code_size


def enable(threshold=None, max_code_size=None, modules=None, perf_map=None):
    """Compile loops once their back edge has run `threshold` times (None: the
    default, DEFAULT_THRESHOLD = 100). Compiled code holds at most
    `max_code_size` bytes of machine code (None: DEFAULT_MAX_CODE_SIZE, 64 MiB);
    past it, the traces entered least recently are thrown away and their loops
    run interpreted until they are hot again.

    `modules`, a list of module names such as ["pkg", "other.mod"], accelerates
    only the loops of those modules and their submodules, imported already or
    later (and of modules that called `activate()`); loops elsewhere are not
    even counted. None (the default) accelerates every module. A name no
    import could find gets a RuntimeWarning (it is kept: the module may be
    made importable later).

    `perf_map=True` writes each compiled trace into perf's map
    (/tmp/perf-PID.map), so that `perf report` names traces by their loop's
    function, file and line; None (the default) does so when CPython's own
    perf support is on (`python -X perf`, PYTHONPERFSUPPORT=1) or
    HOTLOOP_PERF_MAP=1. Calling enable() again only changes the settings."""
    threshold = _validated_threshold(threshold)
    max_code_size = _validated_code_size(max_code_size)
    if perf_map is not None and not isinstance(perf_map, bool):
        raise TypeError(f"perf_map must be True, False or None, not {type(perf_map).__name__}")
    if modules is not None:
        modules = _select.check_names(modules, "modules")
        _warn_unknown_modules(modules, stacklevel=2)
    if _native is None:
        _warn_unavailable(stacklevel=2)
        return
    _enable(threshold, max_code_size, modules, perf_map)


def _wants_perf_map():
    trampoline = getattr(sys, "is_stack_trampoline_active", None)
    return _os.environ.get("HOTLOOP_PERF_MAP") == "1" or bool(trampoline and trampoline())


def _enable(threshold, max_code_size, modules, perf_map=None):
    global _enabled_modules
    _set_disabled_passes()
    _enabled_modules = modules
    selected = None if modules is None else list(dict.fromkeys(modules + tuple(_activated)))
    _native.refresh_log_level()
    _native.set_perf_map(_wants_perf_map() if perf_map is None else perf_map)
    _native.enable(threshold, max_code_size, selected)
    _wait_for_warm_up_before_fork()
    _debug("enabled, threshold %d, modules %s", threshold, "all" if selected is None else ", ".join(selected))


# The modules `enable(modules=...)` named (None: all), and those that called
# `activate()`, which stay selected when `enable` is called again.
_enabled_modules = None
_activated = []


def activate(module=None):
    """Accelerate the loops of `module` (a module name; None: the module that
    calls it), so that a module can opt itself in at its top:

        import hotloop
        hotloop.activate()

    If hotloop is not enabled yet, this enables it for that module alone (with
    the default settings); if it accelerates only some modules, this adds one;
    if it accelerates all of them, nothing changes."""
    if module is None:
        module = sys._getframe(1).f_globals.get("__name__")
        if not isinstance(module, str):
            raise ValueError("activate() was called from code with no module __name__; pass the module's name")
    _select.check_names([module], "activate(module)")
    if _native is None:
        _warn_unavailable(stacklevel=2)
        return
    if module not in _activated:
        _activated.append(module)
    if not _native.is_enabled():
        _enable(DEFAULT_THRESHOLD, DEFAULT_MAX_CODE_SIZE, ())
    elif _enabled_modules is not None:
        _native.add_modules([module])
        _debug("activated %s", module)


def _warn_unknown_modules(modules, stacklevel):
    unknown = [name for name in modules if not _select.can_be_found(name)]
    if unknown:
        import warnings

        names = ", ".join(repr(name) for name in unknown)
        warnings.warn(
            f"hotloop: no module named {names} can be found; check the spelling "
            f"(its loops will still be accelerated if it is imported later)",
            RuntimeWarning,
            stacklevel=stacklevel + 1,
        )


_fork_hook_registered = False


def _wait_for_warm_up_before_fork():
    """`enable` warms the compiler up on a thread of its own: a process forked
    while it runs must not inherit it half done."""
    global _fork_hook_registered
    import os

    if not _fork_hook_registered and hasattr(os, "register_at_fork"):
        os.register_at_fork(before=_native.finish_background_work)
        _fork_hook_registered = True


DISABLE_PASSES_ENV = "HOTLOOP_DISABLE_PASSES"
"""Comma-separated optimization passes to switch off, for debugging a trace
(`memory`, `bounds`, `phi_types`, `carry`, `strengthen`; see `python -m hotloop dump --passes`)."""


def _set_disabled_passes():
    import os

    text = os.environ.get(DISABLE_PASSES_ENV, "")
    names = [name.strip() for name in text.split(",") if name.strip()]
    try:
        _native.set_disabled_passes(names)
    except ValueError as error:
        raise ValueError(f"{DISABLE_PASSES_ENV}={text!r}: {error}") from None


def disable():
    """Stop compiling and entering compiled loops. Compiled code is kept, so
    `enable()` later resumes where it left off. Idempotent."""
    if _native is None:
        return
    _native.disable()
    _debug("disabled")


def is_enabled():
    return _native is not None and _native.is_enabled()


def stats():
    """Counters since hotloop was imported, as a dict:

    loops_hot, traces_compiled, trace_entries, reentries (entries straight after
    leaving at the loop's header, the interpreter skipped), exits, loops_blacklisted (ints),
    exits_by_trace (trace name "file:line" -> exits), aborts (reason such as
    "NYI: CALL" -> recordings aborted for it), recording_seconds, compile_seconds;
    compiles (that made code: traces, trees regrown for a bridge), compile_ms_median and
    compile_ms_max (milliseconds per compilation; None before the first);
    loops: one dict per hot loop (loop "file:line", filename, line, function, state
    "compiled", "interpreted" or "blacklisted", why and why_kind: its last reason
    not to run compiled (see docs/why-not-compiled.md), aborts, compile_ms,
    recording_ms, compiled_seconds (measured by `python -m hotloop report` only,
    else None), iterations_compiled, iterations_interpreted);
    iterations_compiled and iterations_interpreted summed over them, and
    compiled_share, the fraction that ran compiled (None before any loop is hot).
    """
    if _native is None:
        return {
            "loops_hot": 0,
            "traces_compiled": 0,
            "trace_entries": 0,
            "reentries": 0,
            "exits": 0,
            "exits_by_trace": {},
            "aborts": {},
            "loops_blacklisted": 0,
            "recording_seconds": 0.0,
            "compile_seconds": 0.0,
            "compiles": 0,
            "compile_ms_median": None,
            "compile_ms_max": None,
            "loops": [],
            "iterations_compiled": 0,
            "iterations_interpreted": 0,
            "compiled_share": None,
            "traces_evicted": 0,
            "code_size": 0,
        }
    return _native.stats()


def traces(passes=False, asm=False):
    """One object per compiled trace (`hotloop._traces.Trace`), with name,
    filename, line, function, header_offset, entries, exits (the exiting
    instruction, e.g. "%17", -> times taken), code_size, and its views as
    strings: source, bytecode, recorded_ir, optimized_ir, guards (each exiting
    instruction with its snapshot, where the interpreter resumes, and its exit
    count), snapshots; with `passes`, passes: [(pass name, IR after it), ...],
    the optimizer's stages; with `asm`, asm: the machine code. `str(trace)` is
    every view, as `python -m hotloop dump` prints them; trace["name"] works
    too."""
    for name, value in (("passes", passes), ("asm", asm)):
        if not isinstance(value, bool):
            raise TypeError(f"traces({name}=...) takes True or False, not {type(value).__name__}")
    if _native is None:
        return []
    natives = _native.traces(passes, asm)
    from ._traces import Trace

    return [Trace(native) for native in natives]
