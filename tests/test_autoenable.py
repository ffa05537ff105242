"""`HOTLOOP=1 python app.py`: the hotloop_autoenable.pth hook in site-packages and
the HOTLOOP_* settings it reads. Every program here is unmodified: it never
imports hotloop itself, and only looks at `sys.modules` to report."""

import json
import sysconfig
import tomllib
from pathlib import Path

import pytest

from support import REPO, child_environment, run_python

pytestmark = pytest.mark.usefixtures("native")

HOOK = REPO / "python" / "hotloop_autoenable.pth"

PROGRAM = """
import json, sys
import helper

def work(n):
    total = 0
    for i in range(n):
        total += i
    return total

result = [work(20000), helper.work(20000)]
hotloop = sys.modules.get("hotloop")
stats = hotloop.stats() if hotloop else None
print(json.dumps({
    "result": result,
    "loaded": hotloop is not None,
    "loops": stats and {l["loop"].rsplit("/", 1)[-1]: l["state"] for l in stats["loops"]},
}))
"""

HELPER = """
def work(n):
    total = 0
    while n:
        n -= 1
        total += n
    return total
"""


def run_app(tmp_path, **environment):
    tmp_path.joinpath("app.py").write_text(PROGRAM)
    tmp_path.joinpath("helper.py").write_text(HELPER)
    completed = run_python("app.py", cwd=tmp_path, env=child_environment(**environment))
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout), completed.stderr


def warnings_in(stderr):
    return [line for line in stderr.splitlines() if "RuntimeWarning" in line]


def test_the_hook_is_installed_and_shipped_in_the_wheel():
    installed = Path(sysconfig.get_path("purelib")) / "hotloop_autoenable.pth"
    assert installed.read_text() == HOOK.read_text()
    maturin = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["maturin"]
    assert {"path": "python/hotloop_autoenable.pth", "format": "wheel"} in maturin["include"]


@pytest.mark.parametrize("value", [None, "0", ""])
def test_unset_or_zero_does_not_even_import_hotloop(tmp_path, value):
    report, stderr = run_app(tmp_path, **({} if value is None else {"HOTLOOP": value}))
    assert report == {"result": [199990000, 199990000], "loaded": False, "loops": None}
    assert stderr == ""


def test_hotloop_1_accelerates_an_unmodified_script(tmp_path):
    report, stderr = run_app(tmp_path, HOTLOOP="1")
    assert report["result"] == [199990000, 199990000]
    assert report["loops"]["app.py:7"] == "compiled"
    assert report["loops"]["helper.py:5"] == "compiled"
    assert stderr == ""


def test_hotloop_modules_selects_what_is_accelerated(tmp_path):
    report, stderr = run_app(tmp_path, HOTLOOP="1", HOTLOOP_MODULES="helper")
    assert report["loops"] == {"helper.py:5": "compiled"}
    report, _ = run_app(tmp_path, HOTLOOP="1", HOTLOOP_MODULES="__main__")
    assert report["loops"] == {"app.py:7": "compiled"}
    assert stderr == ""


def test_hotloop_threshold_and_stats(tmp_path):
    stats_file = tmp_path / "stats.json"
    report, _ = run_app(tmp_path, HOTLOOP="1", HOTLOOP_THRESHOLD="1000000", HOTLOOP_STATS=str(stats_file))
    assert report["loops"] == {}  # nothing ran a million times
    stats = json.loads(stats_file.read_text())
    assert stats["loops_hot"] == 0 and "aborts" in stats
    run_app(tmp_path, HOTLOOP="1", HOTLOOP_STATS=str(stats_file))
    assert json.loads(stats_file.read_text())["traces_compiled"] >= 2


def test_hotloop_log_shows_what_the_jit_does(tmp_path):
    _, stderr = run_app(tmp_path, HOTLOOP="1", HOTLOOP_LOG="debug")
    assert "hotloop: DEBUG: compiled trace" in stderr
    assert "app.py:7" in stderr


@pytest.mark.parametrize(
    "environment, warning, accelerated",
    [
        ({"HOTLOOP": "maybe"}, "HOTLOOP='maybe' is neither on (1) nor off (0); hotloop stays off", False),
        ({"HOTLOOP": "1", "HOTLOOP_THRESHOLD": "many"}, "HOTLOOP_THRESHOLD must be an integer from 1", True),
        ({"HOTLOOP": "1", "HOTLOOP_MODULES": "helper,no such"}, "'no such' is not a module name", True),
        ({"HOTLOOP": "1", "HOTLOOP_MODULES": ",1x,"}, "HOTLOOP_MODULES names no valid module; hotloop stays off", False),
        ({"HOTLOOP": "1", "HOTLOOP_MODULES": "helper,nowhere"}, "HOTLOOP_MODULES named 'nowhere', which the program never imported", True),
        ({"HOTLOOP": "1", "HOTLOOP_STATS": "/nonexistent/dir/stats.json"}, "cannot write there", True),
        ({"HOTLOOP": "1", "HOTLOOP_LOG": "loud"}, "HOTLOOP_LOG='loud' is not a level", True),
    ],
)
def test_bad_settings_warn_and_never_stop_the_program(tmp_path, environment, warning, accelerated):
    report, stderr = run_app(tmp_path, **environment)
    assert report["result"] == [199990000, 199990000]
    assert any(warning in line for line in warnings_in(stderr)), stderr
    assert bool(report["loops"]) == accelerated


def test_stats_that_cannot_be_written_at_exit_warn(tmp_path):
    from hotloop import _environ

    # Writable when checked at startup, a directory by the end.
    (tmp_path / "stats.json").mkdir()
    with pytest.warns(RuntimeWarning, match="cannot write stats to .*stats.json: Is a directory"):
        _environ.write_stats(str(tmp_path / "stats.json"))


def test_python_dash_m_hotloop_run_reads_the_same_settings(tmp_path):
    tmp_path.joinpath("app.py").write_text(PROGRAM)
    tmp_path.joinpath("helper.py").write_text(HELPER)
    stats_file = tmp_path / "s.json"
    completed = run_python(
        "-m", "hotloop", "run", "app.py", cwd=tmp_path,
        env=child_environment(HOTLOOP_MODULES="helper", HOTLOOP_STATS=str(stats_file)),
    )
    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout)["loops"] == {"helper.py:5": "compiled"}
    assert json.loads(stats_file.read_text())["traces_compiled"] == 1
