"""Helpers shared by the test modules: running Python in a subprocess, plain and
under hotloop, and requiring the native module."""

import importlib
import os
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
PROGRAMS = TESTS / "programs"

# A JIT bug that hangs a child must fail its test, not stall the suite.
CHILD_TIMEOUT_SECONDS = 120

STATS_KEYS = {
    "loops_hot",
    "traces_compiled",
    "trace_entries",
    "reentries",
    "exits",
    "exits_by_trace",
    "aborts",
    "loops",
    "iterations_compiled",
    "iterations_interpreted",
    "compiled_share",
    "loops_blacklisted",
    "recording_seconds",
    "compile_seconds",
    "compiles",
    "compile_ms_median",
    "compile_ms_max",
    "traces_evicted",
    "code_size",
}


# A float loop that compiles; in FLOAT_KERNEL its loop is on line 4.
SERIES = """
def series(n):
    x = 0.0
    for i in range(n):
        x = x * 0.5 + i * 1.5
    return x
"""

# A float kernel whose loop (line 4) compiles, for the command-line tests.
FLOAT_KERNEL = SERIES + """
print(repr(series(5000)))
"""


def write_script(directory, source, name="script.py"):
    path = directory / name
    path.write_text(textwrap.dedent(source))
    return path


def child_environment(**overrides):
    env = {name: value for name, value in os.environ.items() if not name.startswith("HOTLOOP_")}
    # Traces compile on the main thread, at once, so that what a short test
    # program compiles does not depend on when the compiler's thread is done;
    # test_differential runs the corpus with that thread too, as users do.
    env["HOTLOOP_BACKGROUND_COMPILE"] = "0"
    env.update(overrides)
    return env


def run_python(*args, cwd=None, env=None, timeout=CHILD_TIMEOUT_SECONDS):
    """Run this interpreter with `args`; the CompletedProcess has text stdout/stderr."""
    return subprocess.run(
        [sys.executable, *map(str, args)],
        cwd=cwd,
        env=env if env is not None else child_environment(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def run_hotloop(*args, **kwargs):
    return run_python("-m", "hotloop", *args, **kwargs)


def native_unavailable_reason():
    """Why `hotloop._hotloop` cannot be used in this interpreter, or None."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        try:
            native = importlib.import_module("hotloop._hotloop")
        except ImportError as error:
            return f"hotloop._hotloop does not import: {error}"
    return native.layout_error()


@pytest.fixture(scope="session")
def native():
    """Use in tests that need the compiled extension. A missing build fails them,
    unless HOTLOOP_ALLOW_MISSING=1 asks to skip them instead."""
    reason = native_unavailable_reason()
    if reason is not None:
        if os.environ.get("HOTLOOP_ALLOW_MISSING") == "1":
            pytest.skip(reason)
        pytest.fail(f"{reason} (build it with `bash tests/run.sh`, or set HOTLOOP_ALLOW_MISSING=1 to skip)")
    return importlib.import_module("hotloop._hotloop")
