"""Trees grown by bridges compile on the compiler's thread, in a child
process as in a parent: the loop runs on in its current tree meanwhile, and
the grown one goes in once compiled."""

import pytest

from support import run_python

pytestmark = pytest.mark.usefixtures("native")

BRANCHY = '''
import os, time, warnings, hotloop

WALK = """
def walk(n, k):
    total = 0
    for i in range(n):
        if i % k == 0:
            total += i * 3
        else:
            total -= 1
    return total
"""

def fresh_walk():
    # A code object of its own, so that its loop is compiled and bridged anew.
    namespace = {}
    exec(WALK, namespace)
    return namespace["walk"]

def until_bridged(walk, k):
    # Runs the loop until a grown tree is in: it compiles in the background,
    # so when it arrives depends on the machine.
    before = hotloop.stats()["bridges_compiled"]
    deadline = time.monotonic() + 60
    results = set()
    while hotloop.stats()["bridges_compiled"] == before and time.monotonic() < deadline:
        results.add(walk(3000, k))
    results.add(walk(3000, k))
    return results == {plain(3000, k)}, hotloop.stats()["bridges_compiled"] > before

def plain(n, k):
    return sum(i * 3 if i % k == 0 else -1 for i in range(n))
'''


def test_a_bridge_compiled_in_the_background_goes_in_while_the_loop_runs():
    program = BRANCHY + """
hotloop.enable(threshold=5)
walk = fresh_walk()
right, bridged = until_bridged(walk, 3)
exits = hotloop.stats()["exits"]
walk(3000, 3)
exits_once_grown = hotloop.stats()["exits"] - exits
hotloop.disable()
print(right, bridged, exits_once_grown)
"""
    completed = run_python("-c", program, timeout=120)
    assert completed.returncode == 0, completed.stderr
    # Once grown, a call leaves the tree only at the loop's end.
    assert completed.stdout.split() == ["True", "True", "1"], completed.stdout


def test_a_child_forked_while_a_bridge_compiles_grows_trees_of_its_own():
    """Before a fork, the compiler's thread finishes its jobs and ends: no
    warning about forking a process with threads, and a child that starts a
    thread of its own for its own bridges (else they would never arrive)."""
    program = BRANCHY + """
warnings.simplefilter("always")
hotloop.enable(threshold=5)
first = fresh_walk()
until_bridged(first, 3)
fresh = fresh_walk()
for _ in range(3):
    fresh(3000, 7)  # its bridge is likely compiling at the fork
pid = os.fork()
right, bridged = until_bridged(fresh_walk(), 5)
if pid != 0:
    os.waitpid(pid, 0)
print("child" if pid == 0 else "parent", first(3000, 3) == plain(3000, 3), right, bridged, flush=True)
if pid == 0:
    os._exit(0)
"""
    completed = run_python("-c", program, timeout=180)
    assert completed.returncode == 0, completed.stderr
    assert "multi-threaded" not in completed.stderr, completed.stderr
    lines = sorted(completed.stdout.splitlines())
    assert lines == ["child True True True", "parent True True True"], completed.stdout
