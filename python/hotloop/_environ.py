"""Settings from the environment, for `HOTLOOP=1 python app.py` (through
site-packages/hotloop_autoenable.pth, which imports this module only when
HOTLOOP is set to something other than 0) and for `python -m hotloop`:

    HOTLOOP=1                turn hotloop on at startup (0 or unset: off)
    HOTLOOP_THRESHOLD=N      back edges that make a loop hot
    HOTLOOP_MODULES=a,b.c    accelerate only these modules (and submodules)
    HOTLOOP_STATS=FILE       write hotloop.stats() to FILE as JSON at exit
    HOTLOOP_LOG=LEVEL        show hotloop's log records on stderr (trace,
                             debug, info, warning, error); read at import

A bad value never stops the program: it gets a RuntimeWarning that names the
variable and what it accepts, and is ignored.
"""

import os
import sys

ON = ("1", "true", "yes", "on")
OFF = ("", "0", "false", "no", "off")
LOG_LEVELS = {"trace": 5, "debug": 10, "info": 20, "warning": 30, "error": 40}


def warn(message):
    import warnings

    # Attributed to the environment: a line of this module would say nothing.
    warnings.warn_explicit(f"hotloop: {message}", RuntimeWarning, "<environment>", 0)


def wants_jit(environ=os.environ):
    value = environ.get("HOTLOOP", "").strip().lower()
    if value in ON:
        return True
    if value not in OFF:
        warn(f"HOTLOOP={environ['HOTLOOP']!r} is neither on (1) nor off (0); hotloop stays off")
    return False


def threshold(environ=os.environ):
    """HOTLOOP_THRESHOLD as an int, or None (unset or bad: the default)."""
    from . import MAX_THRESHOLD

    text = environ.get("HOTLOOP_THRESHOLD")
    if text is None:
        return None
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= MAX_THRESHOLD:
        warn(f"HOTLOOP_THRESHOLD must be an integer from 1 to {MAX_THRESHOLD}, got {text!r}; using the default")
        return None
    return value


def modules(environ=os.environ):
    """HOTLOOP_MODULES as a tuple of names; None when unset or empty (every
    module), () when it names no valid module."""
    from ._select import is_module_name

    text = environ.get("HOTLOOP_MODULES", "")
    names = [name.strip() for name in text.split(",")]
    if not any(names):
        return None
    bad = [name for name in names if not is_module_name(name)]
    if bad:
        shown = ", ".join(repr(name) for name in bad)
        warn(
            f"HOTLOOP_MODULES={text!r}: {shown} is not a module name; "
            f"give comma-separated dotted names such as 'pkg,other.mod'"
        )
    return tuple(dict.fromkeys(name for name in names if is_module_name(name)))


def stats_path(environ=os.environ):
    """HOTLOOP_STATS as an absolute path, or None (unset, or a file that
    cannot be written)."""
    path = environ.get("HOTLOOP_STATS")
    if not path:
        return None
    path = os.path.abspath(path)
    if not writable(path):
        warn(f"HOTLOOP_STATS={environ['HOTLOOP_STATS']!r}: cannot write there; no stats will be written")
        return None
    return path


def writable(path):
    if os.path.isdir(path):
        return False
    if os.path.exists(path):
        return os.access(path, os.W_OK)
    return os.access(os.path.dirname(path) or ".", os.W_OK)


def log_level(environ=os.environ):
    """HOTLOOP_LOG as a `logging` level, or None."""
    text = environ.get("HOTLOOP_LOG", "").strip()
    if not text:
        return None
    level = LOG_LEVELS.get(text.lower())
    if level is None and text.isdigit():
        level = int(text)
    if level is None:
        warn(f"HOTLOOP_LOG={text!r} is not a level; use one of {', '.join(LOG_LEVELS)}")
    return level


def configure_logging(environ=os.environ):
    """Show the `hotloop` logger's records at HOTLOOP_LOG's level on stderr,
    unless the program handles them itself."""
    level = log_level(environ)
    if level is None:
        return
    import logging

    logging.addLevelName(5, "TRACE")
    logger = logging.getLogger("hotloop")
    logger.setLevel(level)
    if not any(not isinstance(handler, logging.NullHandler) for handler in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("hotloop: %(levelname)s: %(message)s"))
        logger.addHandler(handler)


_stats_files = set()


def write_stats_at_exit(path):
    """Write hotloop.stats() to `path` as JSON when the program ends (once per
    path, however often it is asked)."""
    if path in _stats_files:
        return
    _stats_files.add(path)
    import atexit

    atexit.register(write_stats, path)


def write_stats(path):
    import hotloop

    stats = hotloop.stats()  # before importing json, whose loops are not the program's
    import json

    try:
        with open(path, "w") as file:
            json.dump(stats, file, indent=2, sort_keys=True)
            file.write("\n")
    except OSError as error:
        warn(f"cannot write stats to {path}: {error.strerror or error}")


def enable_for_modules(threshold, modules):
    """`hotloop.enable(threshold, modules=modules)`, but for names that are
    not found now (the script's directory is not on sys.path yet) it warns at
    exit for the ones the program never imported."""
    import hotloop

    if hotloop._native is None or modules is None:
        hotloop.enable(threshold, modules=modules)
        return
    hotloop._enable(threshold or hotloop.DEFAULT_THRESHOLD, hotloop.DEFAULT_MAX_CODE_SIZE, modules)
    import atexit

    atexit.register(warn_never_imported, modules)


def warn_never_imported(modules):
    missing = [name for name in modules if not any(m == name or m.startswith(name + ".") for m in sys.modules)]
    if missing:
        shown = ", ".join(repr(name) for name in missing)
        warn(f"HOTLOOP_MODULES named {shown}, which the program never imported; check the spelling")


_auto_enabled = False


def auto_enable(environ=os.environ):
    """Enable hotloop as the environment says (the .pth hook calls this; a
    venv's site-packages can be seen twice, as lib and lib64)."""
    global _auto_enabled
    if _auto_enabled:
        return
    _auto_enabled = True
    try:
        if not wants_jit(environ):
            return
        import hotloop

        selected = modules(environ)
        if selected == ():
            warn("HOTLOOP_MODULES names no valid module; hotloop stays off")
            return
        enable_for_modules(threshold(environ), selected)
        path = stats_path(environ)
        if path is not None:
            write_stats_at_exit(path)
    except Exception as error:  # never stop the program for hotloop's sake
        warn(f"could not enable hotloop: {type(error).__name__}: {error}")
