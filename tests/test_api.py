"""The public API in hotloop/__init__.py: argument checking, idempotence, stats."""

import json

import pytest

import hotloop
from support import STATS_KEYS, child_environment, run_python

pytestmark = pytest.mark.usefixtures("native")


@pytest.fixture
def jit_off_afterwards():
    yield
    hotloop.disable()


@pytest.mark.usefixtures("jit_off_afterwards")
def test_enable_and_disable_are_idempotent():
    hotloop.disable()
    assert hotloop.is_enabled() is False
    hotloop.enable()
    hotloop.enable()
    assert hotloop.is_enabled() is True
    hotloop.enable(5)
    assert hotloop.is_enabled() is True
    hotloop.disable()
    hotloop.disable()
    assert hotloop.is_enabled() is False


@pytest.mark.parametrize(
    "threshold, error, message",
    [
        (-1, ValueError, "threshold must be at least 1"),
        (0, ValueError, "threshold must be at least 1"),
        (1.5, TypeError, "threshold must be an int, got float"),
        ("10", TypeError, "threshold must be an int, got str"),
        (True, TypeError, "threshold must be an int, got bool"),
        (2**32, ValueError, "threshold must be at most 4294967295"),
    ],
)
def test_bad_threshold_is_rejected_and_changes_nothing(threshold, error, message):
    hotloop.disable()
    with pytest.raises(error, match=message):
        hotloop.enable(threshold)
    assert hotloop.is_enabled() is False


@pytest.mark.parametrize(
    "size, error, message",
    [
        (0, ValueError, "max_code_size must be between 1 and"),
        (2**60, ValueError, "max_code_size must be between 1 and"),
        (1.5e6, TypeError, "max_code_size must be an int \\(bytes\\), got float"),
        ("64M", TypeError, "max_code_size must be an int \\(bytes\\), got str"),
    ],
)
def test_bad_code_size_limit_is_rejected_and_changes_nothing(size, error, message):
    hotloop.disable()
    with pytest.raises(error, match=message):
        hotloop.enable(max_code_size=size)
    assert hotloop.is_enabled() is False


def test_value_error_says_what_to_pass():
    with pytest.raises(ValueError) as caught:
        hotloop.enable(0)
    assert "got 0" in str(caught.value)
    assert "pass None for the default (100)" in str(caught.value)


def test_stats_has_the_contract_keys_and_types():
    stats = hotloop.stats()
    assert STATS_KEYS <= set(stats)
    for key in ("loops_hot", "traces_compiled", "trace_entries", "exits", "loops_blacklisted"):
        assert isinstance(stats[key], int) and stats[key] >= 0, key
    for key in ("recording_seconds", "compile_seconds"):
        assert isinstance(stats[key], float) and stats[key] >= 0.0, key
    assert isinstance(stats["compiles"], int)
    for key in ("compile_ms_median", "compile_ms_max"):
        assert stats[key] is None if stats["compiles"] == 0 else stats[key] > 0.0, key
    assert isinstance(stats["exits_by_trace"], dict)
    assert isinstance(stats["aborts"], dict)


ITERATION_COUNTING_PROGRAM = '''
import json
import hotloop

hotloop.enable(threshold=10)

def counted(n):
    total = 0
    for i in range(n):
        total += i
    return total

def uncompiled(n):
    for i in range(n):
        yield i  # a loop that leaves its frame on every iteration is not compiled

counted(1000)
counted(500)
list(uncompiled(100))
print(json.dumps(hotloop.stats()))
'''


COMPILED_IN_THE_BACKGROUND_PROGRAM = '''
import json
import hotloop

hotloop.enable(threshold=10)

def squares(n):
    total = 0
    for i in range(n):
        total += i * i
    return total

print(squares(3_000_000))
print(json.dumps(hotloop.stats()))
'''


def test_a_loops_first_trace_compiles_on_the_compilers_thread_while_the_loop_runs_on():
    completed = run_python(
        "-c", COMPILED_IN_THE_BACKGROUND_PROGRAM, env=child_environment(HOTLOOP_BACKGROUND_COMPILE="1")
    )
    assert completed.returncode == 0, completed.stderr
    total, stats = completed.stdout.splitlines()
    assert int(total) == sum(i * i for i in range(3_000_000))
    [loop] = [entry for entry in json.loads(stats)["loops"] if entry["function"] == "squares"]
    assert loop["state"] == "compiled"
    assert loop["iterations_compiled"] + loop["iterations_interpreted"] == 3_000_000
    # Compiled on the main thread, the trace would run from the twelfth
    # iteration (ten counted, one recorded); the program ran on while the
    # compiler's thread worked (a few hundred microseconds: thousands of
    # iterations, fewer if the machine is busy).
    assert loop["iterations_interpreted"] > 50, loop
    assert loop["iterations_compiled"] > 1_000_000, loop


def test_stats_count_each_hot_loops_iterations_and_the_share_that_ran_compiled():
    completed = run_python("-c", ITERATION_COUNTING_PROGRAM)
    assert completed.returncode == 0, completed.stderr
    stats = json.loads(completed.stdout)
    loops = {entry["function"]: entry for entry in stats["loops"]}
    assert set(loops) == {"counted", "uncompiled"}, "hotloop's own loops are not listed"
    counted, uncompiled = loops["counted"], loops["uncompiled"]
    assert counted["state"] == "compiled"
    # A for loop takes one back edge per iteration: 1000 + 500 in all.
    assert counted["iterations_compiled"] + counted["iterations_interpreted"] == 1500
    assert 1400 <= counted["iterations_compiled"]
    assert uncompiled["state"] != "compiled"
    assert (uncompiled["iterations_compiled"], uncompiled["iterations_interpreted"]) == (0, 100)
    assert stats["iterations_compiled"] == counted["iterations_compiled"]
    assert stats["iterations_interpreted"] == counted["iterations_interpreted"] + 100
    assert stats["compiled_share"] == pytest.approx(counted["iterations_compiled"] / 1600)


SHORT_TRIP_PROGRAM = '''
import json, hotloop
hotloop.enable(threshold=2)

def first_big(xs):
    t = 0
    for x in xs:  # entered once per call, leaves after two turns
        if x > 2:
            return t
        t += x
    return t

def long_sum(xs):
    t = 0
    for x in xs:
        t += x
    return t

for _ in range(5000):
    first_big([0, 1, 2, 3, 4])
    long_sum(list(range(50)))
print(json.dumps(hotloop.stats()))
'''


def test_a_trace_whose_entries_run_too_few_iterations_is_given_up():
    # Entering compiled code and leaving it costs more than two short turns
    # save: that loop must end up interpreted, the long one stay compiled.
    completed = run_python("-c", SHORT_TRIP_PROGRAM)
    assert completed.returncode == 0, completed.stderr
    stats = json.loads(completed.stdout)
    loops = {entry["function"]: entry for entry in stats["loops"]}
    assert loops["first_big"]["state"] != "compiled", loops
    assert loops["long_sum"]["state"] == "compiled", loops
    assert stats["traces_invalidated"] >= 1
    assert loops["long_sum"]["iterations_compiled"] > 0.9 * 5000 * 50


PHASES_PROGRAM = '''
import json, hotloop
hotloop.enable(threshold=2)
events = []
hotloop._native.set_event_hook(lambda e: events.append((e["event"], e["code"].co_name)))

def total(xs):
    t = 0
    for x in xs:
        t += x * 3
    return t

ints, floats = list(range(30_000)), [x * 0.5 for x in range(30_000)]
results = [total(ints if phase % 2 == 0 else floats) for phase in range(8)]
print(json.dumps([results, events.count(("compiled", "total")), events.count(("trace put back", "total"))]))
'''


def test_a_trace_of_an_earlier_phase_is_put_back_not_compiled_again():
    # The loop's values alternate between ints and floats, eight calls: the
    # trace of each type is mostly put back when its type returns, instead of
    # compiled again for each call, with exact results.
    completed = run_python("-c", PHASES_PROGRAM)
    assert completed.returncode == 0, completed.stderr
    results, compiled, put_back = json.loads(completed.stdout)
    expected = [3 * sum(range(30_000)) * (1 if phase % 2 == 0 else 0.5) for phase in range(8)]
    assert results == expected
    assert compiled <= 4 and put_back >= 3, (compiled, put_back)


@pytest.mark.usefixtures("jit_off_afterwards")
def test_traces_are_objects_with_views_that_read_like_dicts_too():
    hotloop.enable(5)
    assert float_series(3000) == EXPECTED_SERIES
    traces = [t for t in hotloop.traces() if t.function == "float_series"]
    assert len(traces) == 1
    trace = traces[0]
    assert trace["name"] == trace.name == f"{__file__}:{float_series.__code__.co_firstlineno + 2}"
    assert dict(zip(trace.keys(), (trace[k] for k in trace)))["entries"] == trace.entries >= 1
    assert "x = x * 0.5 + i" in trace.source
    assert "FOR_ITER" in trace.bytecode and "JUMP_BACKWARD" in trace.bytecode
    assert "fmul" in trace.optimized_ir and "guard" in trace.guards
    text = str(trace)
    for title in ("source:", "bytecode:", "recorded IR:", "optimized IR:", "guards:", "snapshots:"):
        assert f"\n{title}\n" in text
    assert trace.asm is None and "machine code:" not in text
    with pytest.raises(KeyError):
        trace["nonsense"]
    with pytest.raises(TypeError, match="asm"):
        hotloop.traces(asm="yes")


@pytest.mark.usefixtures("jit_off_afterwards")
def test_reset_stats_keeps_compiled_loops_counting():
    hotloop.enable(5)
    assert float_series(3000) == EXPECTED_SERIES
    hotloop._native.reset_stats()
    assert float_series(3000) == EXPECTED_SERIES
    stats = hotloop.stats()
    assert stats["internal_errors"] == 0
    series = [loop for loop in stats["loops"] if loop["function"] == "float_series"]
    assert series and series[0]["iterations_compiled"] > 2900


def triangular(n):
    total = 0
    i = 0
    while i < n:
        total += i
        i += 1
    return total


def float_series(n):
    x = 0.0
    for i in range(n):
        x = x * 0.5 + i
    return x


EXPECTED_SERIES = float_series(3000)


def run_kernels(ns):
    return [(triangular(n), float_series(3000)) for n in ns]


@pytest.mark.usefixtures("jit_off_afterwards")
def test_disable_mid_program_keeps_results_correct():
    hotloop.enable(2)
    compiled = run_kernels(range(2000, 2050))
    entries_while_enabled = hotloop.stats()["trace_entries"]
    hotloop.disable()
    after_disable = run_kernels(range(2050, 2100))
    entries_while_disabled = hotloop.stats()["trace_entries"]
    hotloop.enable(2)
    reenabled = run_kernels(range(2100, 2150))
    hotloop.disable()

    results = compiled + after_disable + reenabled
    assert results == [(n * (n - 1) // 2, EXPECTED_SERIES) for n in range(2000, 2150)]
    assert entries_while_enabled > 0
    assert entries_while_disabled == entries_while_enabled
    assert hotloop.stats()["trace_entries"] > entries_while_disabled


CODE_FREED_WHILE_DISABLED = '''
import gc, hotloop
ADD = "def f(n):\\n    t = 0\\n    for i in range(n):\\n        t += i\\n    return t\\n"
SUB = ADD.replace("t += i", "t -= i")
NAMESPACE = {}

def make(source):
    exec(source, NAMESPACE)
    return NAMESPACE.pop("f")

hotloop.enable(threshold=2)
add = make(ADD)
assert add(1000) == 499500
assert hotloop.stats()["traces_compiled"] == 1
freed_at = id(add.__code__)
hotloop.disable()
del add
gc.collect()
kept = []
for _ in range(10000):
    sub = make(SUB)
    if id(sub.__code__) == freed_at:
        break
    kept.append(sub)
else:
    raise SystemExit("no new code object was made at the freed one's address")
hotloop.enable(threshold=2)
print(sub(1000), sub(1000))
'''


def test_a_code_object_freed_while_disabled_leaves_no_trace_for_the_next_at_its_address():
    # Same size, same namespace, same loop offset: only the code's identity
    # tells them apart.
    completed = run_python("-c", CODE_FREED_WHILE_DISABLED)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.split() == ["-499500", "-499500"]


FORK_RIGHT_AFTER_ENABLE = '''
import os, hotloop

hotloop.enable(threshold=2)
pid = os.fork()

def total(n):
    t = 0
    for i in range(n):
        t += i
    return t

result = total(10_000)
compiled = hotloop.stats()["traces_compiled"]
if pid == 0:
    print("child", result, compiled, flush=True)
    os._exit(0)
os.waitpid(pid, 0)
print("parent", result, compiled)
'''


def test_a_process_forked_right_after_enable_compiles_its_own_loops():
    """`enable` warms the compiler up on a thread of its own; a fork must not
    leave the child waiting for that thread's half-done work."""
    completed = run_python("-c", FORK_RIGHT_AFTER_ENABLE, timeout=60)
    assert completed.returncode == 0, completed.stderr
    lines = sorted(completed.stdout.split("\n")[:2])
    assert lines == ["child 49995000 1", "parent 49995000 1"], completed.stdout
