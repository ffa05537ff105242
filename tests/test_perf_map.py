"""Native profilers: compiled traces go into perf's map (/tmp/perf-PID.map)
when perf support is requested, named after their loop, so `perf report`
shows `hotloop::function:file:line` rather than an unknown address."""

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import hotloop
from support import SERIES, child_environment, run_python

pytestmark = pytest.mark.usefixtures("native")

SCRIPT = "\nimport os, sys" + SERIES + "print(series(int(sys.argv[1])), os.getpid())\n"


def run_script(tmp_path, *python_options, iterations=100_000, **environment):
    script = tmp_path / "script.py"
    script.write_text(textwrap.dedent(SCRIPT))
    result = run_python(*python_options, "-m", "hotloop", "run", script, iterations,
                        env=child_environment(**environment))
    assert result.returncode == 0, result.stderr
    pid = int(result.stdout.split()[-1])
    map_file = Path(f"/tmp/perf-{pid}.map")
    try:
        return map_file.read_text() if map_file.exists() else ""
    finally:
        map_file.unlink(missing_ok=True)


def trace_entries(perf_map):
    return [line for line in perf_map.splitlines() if "hotloop::series:" in line]


@pytest.mark.skipif(not getattr(sys, "is_stack_trampoline_active", None), reason="CPython built without perf support")
def test_python_dash_x_perf_puts_traces_in_the_perf_map(tmp_path):
    entries = trace_entries(run_script(tmp_path, "-X", "perf"))
    assert entries, "no trace in the perf map"
    address, size, name = entries[0].split(" ", 2)
    assert int(address, 16) > 0 and int(size, 16) > 0
    assert name == f"hotloop::series:{tmp_path / 'script.py'}:5"


def test_hotloop_perf_map_asks_for_it_without_cpythons_perf_support(tmp_path):
    assert trace_entries(run_script(tmp_path, HOTLOOP_PERF_MAP="1"))
    assert not trace_entries(run_script(tmp_path))


def test_perf_map_takes_a_bool():
    with pytest.raises(TypeError, match="perf_map must be True, False or None"):
        hotloop.enable(perf_map="yes")
    assert not hotloop.is_enabled()


def perf_can_record(tmp_path):
    perf = shutil.which("perf")
    if perf is None:
        return False
    probe = subprocess.run([perf, "record", "-q", "-o", tmp_path / "probe.data", "--", "true"], capture_output=True)
    return probe.returncode == 0


@pytest.mark.skipif(not getattr(sys, "is_stack_trampoline_active", None), reason="CPython built without perf support")
def test_perf_report_names_the_trace_by_its_loop(tmp_path):
    if not perf_can_record(tmp_path):
        pytest.skip("perf is not installed, or not allowed to record here")
    script = tmp_path / "script.py"
    script.write_text(textwrap.dedent(SCRIPT))
    data = tmp_path / "perf.data"
    recorded = subprocess.run(
        ["perf", "record", "-q", "-o", data, "--", sys.executable, "-X", "perf", "-m", "hotloop", "run", script,
         "20000000"],
        capture_output=True, text=True, env=child_environment(), timeout=120,
    )
    assert recorded.returncode == 0, recorded.stderr
    try:
        # perf report reads the map.
        report = subprocess.run(["perf", "report", "-i", data, "--stdio", "--sort", "sym"], capture_output=True, text=True)
    finally:
        Path(f"/tmp/perf-{recorded.stdout.split()[-1]}.map").unlink(missing_ok=True)
    hottest = [line for line in report.stdout.splitlines() if line.strip() and not line.startswith("#")][0]
    assert f"hotloop::series:{script}:5" in hottest, report.stdout[:2000]
