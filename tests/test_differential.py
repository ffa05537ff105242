"""Every program in tests/programs prints, raises and exits exactly as under plain
CPython when run under hotloop with a threshold low enough to compile its loops."""

import json

import pytest

from support import PROGRAMS, child_environment, run_hotloop, run_python

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


GENERIC_PROGRAMS = [name for name in PROGRAM_NAMES if name.startswith(("generic_", "bad_input_"))]


@pytest.mark.usefixtures("native")
@pytest.mark.parametrize("program", GENERIC_PROGRAMS)
def test_same_behaviour_with_every_generic_instruction_compiled(program, tmp_path):
    """The cost model keeps most loops with generic instructions interpreted;
    without it they all compile, and must still behave as under CPython."""
    plain = run_python(program, cwd=PROGRAMS)
    stats_file = tmp_path / "stats.json"
    env = child_environment() | {"HOTLOOP_IGNORE_GENERIC_COST": "1"}
    jitted = run_hotloop("run", "--threshold", "2", "--stats", stats_file, program, cwd=PROGRAMS, env=env)
    assert (jitted.stdout, jitted.stderr, jitted.returncode) == (plain.stdout, plain.stderr, plain.returncode)
    stats = json.loads(stats_file.read_text())
    assert stats["internal_errors"] == 0
    compiled = [loop for loop in stats["loops"] if program in loop["loop"] and loop["state"] == "compiled"]
    assert compiled, "some loop of the program compiles"
