"""Debuggers stay exact with hotloop on: a pdb session with a breakpoint inside
a compiled loop's body (and in a function it calls) prints what it prints under
plain CPython. The settrace, setprofile, cProfile, sys.monitoring and trace-module
cases are differential programs (tests/programs/tools_*.py)."""

import subprocess
import sys
import textwrap

import pytest

from support import CHILD_TIMEOUT_SECONDS, child_environment

pytestmark = pytest.mark.usefixtures("native")

SCRIPT = textwrap.dedent(
    """
    def bump(x):
        y = x + 1
        return y


    def work(n):
        total = 0
        for i in range(n):
            total += bump(i)
            if i == n - 40:
                breakpoint()
            total -= 1
        return total


    for _ in range(3):
        print(work(300))
    """
)

# Step through the loop body, into the called function, look at locals, and
# set a breakpoint in the function that the loop keeps calling.
COMMANDS = "p i, total\nn\nn\ns\nn\np x\nb 4\nc\np y\nclear 1\nc\nc\nc\n"


def session(tmp_path, *hotloop):
    script = tmp_path / "debugged.py"
    script.write_text(SCRIPT)
    command = [sys.executable, *hotloop, str(script)]
    return subprocess.run(
        command, input=COMMANDS, capture_output=True, text=True, timeout=CHILD_TIMEOUT_SECONDS,
        env=child_environment(), cwd=tmp_path,
    )


def test_a_pdb_session_inside_a_compiled_loop_matches_cpython(tmp_path):
    plain = session(tmp_path)
    jitted = session(tmp_path, "-m", "hotloop", "run", "--threshold", "2")
    assert plain.returncode == 0, plain.stderr
    # The session stepped into bump, stopped at a breakpoint set there, and
    # went on through the breakpoint() of each call.
    assert "--Call--" in plain.stdout and "Deleted breakpoint 1" in plain.stdout, plain.stdout
    assert plain.stdout.count("(Pdb)") == COMMANDS.count("\n"), plain.stdout
    assert (jitted.stdout, jitted.stderr, jitted.returncode) == (plain.stdout, plain.stderr, plain.returncode)
