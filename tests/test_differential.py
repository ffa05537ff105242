"""Every program in tests/programs prints, raises and exits exactly as under plain
CPython when run under hotloop with a threshold low enough to compile its loops."""

import json

import pytest

from support import PROGRAMS, child_environment, run_hotloop, run_python

PROGRAM_NAMES = sorted(path.name for path in PROGRAMS.glob("*.py"))


def test_there_are_enough_programs():
    assert len(PROGRAM_NAMES) >= 45


def assert_same_as_cpython(program, tmp_path, threshold=2, **env):
    """Run `program` plainly and under hotloop (with `env` set); both must
    print, raise and exit alike. Returns hotloop's stats."""
    plain = run_python(program, cwd=PROGRAMS)
    stats_file = tmp_path / "stats.json"
    jitted = run_hotloop(
        "run", "--threshold", str(threshold), "--stats", stats_file, program,
        cwd=PROGRAMS, env=child_environment() | env,
    )
    assert jitted.stdout == plain.stdout
    assert jitted.stderr == plain.stderr
    assert jitted.returncode == plain.returncode
    stats = json.loads(stats_file.read_text())
    # An internal error turns the JIT off and the output stays right: it would
    # pass unnoticed without this.
    assert stats["internal_errors"] == 0
    # `python -m hotloop explain` gives these reasons for loops not compiled.
    unexplained = [loop["loop"] for loop in stats["loops"] if loop["state"] != "compiled" and not loop["why"]]
    assert not unexplained, unexplained
    return stats


@pytest.mark.usefixtures("native")
@pytest.mark.parametrize("program", PROGRAM_NAMES)
def test_same_behaviour_as_cpython(program, tmp_path):
    assert_same_as_cpython(program, tmp_path)


@pytest.mark.usefixtures("native")
@pytest.mark.parametrize("program", PROGRAM_NAMES)
def test_same_behaviour_compiling_on_the_compilers_thread(program, tmp_path):
    """As in a user's run: traces and grown trees compile on hotloop's own
    thread while the program runs on, and go in whenever they are ready."""
    assert_same_as_cpython(program, tmp_path, HOTLOOP_BACKGROUND_COMPILE="1")


@pytest.mark.usefixtures("native")
@pytest.mark.parametrize("program", PROGRAM_NAMES)
def test_same_behaviour_when_every_guard_fails_once(program, tmp_path):
    """HOTLOOP_DEOPT=1: each guard of each compiled trace fails the first time
    it is reached, so every exit and side block the programs compile runs."""
    assert_same_as_cpython(program, tmp_path, threshold=1, HOTLOOP_DEOPT="1")


@pytest.mark.usefixtures("native")
def test_same_behaviour_when_a_bridge_reaches_a_loop_not_compiled_yet(tmp_path):
    """At threshold 200, linked_before_compiled.py's first inner loop gets a
    bridge before its second inner loop turns hot: the bridge ends at that
    loop's header, and the runtime enters its trace once it has one."""
    stats = assert_same_as_cpython(
        "linked_before_compiled.py", tmp_path, threshold=200, HOTLOOP_BACKGROUND_COMPILE="0"
    )
    assert stats["reentries"] > 100, stats["reentries"]
    assert not any("another loop's back edge" in reason for reason in stats["aborts"]), stats["aborts"]


GENERIC_PROGRAMS = [name for name in PROGRAM_NAMES if name.startswith(("generic_", "bad_input_"))]


@pytest.mark.usefixtures("native")
@pytest.mark.parametrize("program", GENERIC_PROGRAMS)
def test_same_behaviour_with_every_generic_instruction_compiled(program, tmp_path):
    """The cost model keeps most loops with generic instructions interpreted;
    without it they all compile, and must still behave as under CPython."""
    stats = assert_same_as_cpython(program, tmp_path, HOTLOOP_IGNORE_GENERIC_COST="1")
    compiled = [loop for loop in stats["loops"] if program in loop["loop"] and loop["state"] == "compiled"]
    assert compiled, "some loop of the program compiles"


@pytest.mark.usefixtures("native")
def test_deopt_mode_takes_exits_a_normal_run_does_not(tmp_path):
    # Bridges compiled at once: in the background, when they arrive would
    # change how many exits either run takes.
    sync = {"HOTLOOP_BACKGROUND_COMPILE": "0"}
    normal = assert_same_as_cpython("nested_branches.py", tmp_path, threshold=1, **sync)
    forced = assert_same_as_cpython("nested_branches.py", tmp_path, threshold=1, HOTLOOP_DEOPT="1", **sync)
    assert forced["traces_compiled"] > 0
    assert forced["exits"] > normal["exits"] + forced["traces_compiled"], (normal["exits"], forced["exits"])


@pytest.mark.usefixtures("native")
@pytest.mark.parametrize("program", PROGRAM_NAMES[::5])
def test_same_behaviour_with_the_optional_passes_switched_off(program, tmp_path):
    """`HOTLOOP_DISABLE_PASSES` is for debugging a trace: without those passes
    the code is slower, never different."""
    assert_same_as_cpython(program, tmp_path, HOTLOOP_DISABLE_PASSES="memory,bounds,phi_types")
