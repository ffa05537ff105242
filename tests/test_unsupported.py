"""Where the native module cannot be used, importing hotloop warns once and the
JIT stays off, with the same API answering harmlessly."""

import json
import os
import shutil
import subprocess
import sys

import pytest

from support import REPO, STATS_KEYS, child_environment, run_python

REPORT_API = """
import json, warnings
warnings.simplefilter("always")
import hotloop
hotloop.enable()
hotloop.enable(10)
hotloop.disable()
print(json.dumps({"enabled": hotloop.is_enabled(), "stats": hotloop.stats(), "traces": hotloop.traces()}))
"""


def python313():
    candidates = []
    pyenv = shutil.which("pyenv")
    if pyenv:
        root = subprocess.run([pyenv, "root"], capture_output=True, text=True).stdout.strip()
        candidates.append(os.path.join(root, "versions", "3.13.0", "bin", "python3.13"))
    candidates.append(shutil.which("python3.13"))
    return next((c for c in candidates if c and os.access(c, os.X_OK)), None)


def assert_warned_and_stayed_off(result, running_version):
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["enabled"] is False
    assert set(report["stats"]) == STATS_KEYS
    assert not any(report["stats"][key] for key in STATS_KEYS)
    assert report["traces"] == []
    warnings = [line for line in result.stderr.splitlines() if "RuntimeWarning" in line]
    # One at import, one for each enable() call.
    assert len(warnings) == 3, result.stderr
    for warning in warnings:
        assert "hotloop is off: it supports CPython 3.12" in warning
        assert f"this is CPython {running_version}" in warning


def test_cpython_313_imports_hotloop_with_a_warning_and_the_jit_off():
    interpreter = python313()
    if interpreter is None:
        pytest.skip("CPython 3.13 is not installed")
    env = child_environment(PYTHONPATH=str(REPO / "python"))
    result = subprocess.run(
        [interpreter, "-c", REPORT_API], env=env, capture_output=True, text=True, timeout=60
    )
    assert_warned_and_stayed_off(result, "3.13.0")


def test_missing_extension_on_312_also_leaves_the_jit_off():
    block_extension = "import sys; sys.modules['hotloop._hotloop'] = None\n"
    result = run_python("-c", block_extension + REPORT_API)
    assert_warned_and_stayed_off(result, ".".join(map(str, sys.version_info[:3])))
