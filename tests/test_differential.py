"""Every program in tests/programs prints, raises and exits exactly as under plain
CPython when run under hotloop with a threshold low enough to compile its loops."""

import json

import pytest

from support import PROGRAMS, run_hotloop, run_python

PROGRAM_NAMES = sorted(path.name for path in PROGRAMS.glob("*.py"))


def test_there_are_enough_programs():
    assert len(PROGRAM_NAMES) >= 45


@pytest.mark.usefixtures("native")
@pytest.mark.parametrize("program", PROGRAM_NAMES)
def test_same_behaviour_as_cpython(program, tmp_path):
    plain = run_python(program, cwd=PROGRAMS)
    stats_file = tmp_path / "stats.json"
    jitted = run_hotloop("run", "--threshold", "2", "--stats", stats_file, program, cwd=PROGRAMS)
    assert jitted.stdout == plain.stdout
    assert jitted.stderr == plain.stderr
    assert jitted.returncode == plain.returncode
    # An internal error turns the JIT off and the output stays right: it would
    # pass unnoticed without this.
    assert json.loads(stats_file.read_text())["internal_errors"] == 0
