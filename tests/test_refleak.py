"""Entering and leaving compiled loops a million times leaks neither references nor
memory: reference counts, allocated blocks and RSS stay put."""

import json

import pytest

from support import run_hotloop

pytestmark = pytest.mark.usefixtures("native")

CALLS = 500_000
WARM_CALLS = 50_000

ENTERED_OFTEN = f"""
import json, os, sys

START = 0.25
STEP = 10 ** 6 + 3

def float_loop(x, c, n):
    for i in range(n):
        x = x * 0.5 + c
    return x

def int_loop(k, n):
    total = 0
    i = 0
    while i < n:
        total += k + i
        i += 1
    return total

def rss_bytes():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

def snapshot():
    return {{
        "refcounts": [sys.getrefcount(o) for o in (START, STEP, float_loop, int_loop,
                                                     float_loop.__code__, int_loop.__code__)],
        "blocks": sys.getallocatedblocks(),
        "rss": rss_bytes(),
    }}

float_total = 0.0
int_total = 0
for call in range(1, {CALLS} + 1):
    float_total += float_loop(START, START, 12)
    int_total += int_loop(STEP, 12)
    if call == {WARM_CALLS}:
        warm = snapshot()
done = snapshot()
print(json.dumps({{"warm": warm, "done": done, "float_total": float_total, "int_total": int_total}}))
"""


def expected_totals():
    x = 0.25
    for _ in range(12):
        x = x * 0.5 + 0.25
    int_once = sum(10**6 + 3 + i for i in range(12))
    float_total = 0.0
    for _ in range(CALLS):
        float_total += x
    return float_total, int_once * CALLS


def test_loops_entered_a_million_times_leak_nothing(tmp_path):
    script = tmp_path / "entered_often.py"
    script.write_text(ENTERED_OFTEN)
    stats_file = tmp_path / "stats.json"
    result = run_hotloop("run", "--threshold", "2", "--stats", stats_file, script, timeout=300)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    warm, done = report["warm"], report["done"]

    assert (report["float_total"], report["int_total"]) == expected_totals()
    assert done["refcounts"] == warm["refcounts"]
    assert done["blocks"] - warm["blocks"] < 1000
    assert done["rss"] - warm["rss"] < 2 * 1024 * 1024
    stats = json.loads(stats_file.read_text())
    assert stats["trace_entries"] >= 2 * (CALLS - WARM_CALLS)


MANY_FUNCTIONS = """
import gc, json, os, sys
import hotloop

hotloop.enable(threshold=2, max_code_size={limit})


def rss_bytes():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def make(k):
    # A new code object each time, with a loop of its own.
    namespace = {{}}
    exec(f"def f(n):\\n    t = {{k}}\\n    for i in range(n):\\n        t += i % {{k + 2}}\\n    return t\\n", namespace)
    return namespace["f"]


results = []
for k in range({count}):
    f = make(k)
    results.append(f(200))
    del f
    if k == {warm}:
        gc.collect()
        warm = {{"rss": rss_bytes(), "blocks": sys.getallocatedblocks()}}
gc.collect()
done = {{"rss": rss_bytes(), "blocks": sys.getallocatedblocks()}}
print(json.dumps({{"warm": warm, "done": done, "results": results[-3:], "stats": hotloop.stats()}}))
"""


def expected_results(count):
    return [k + sum(i % (k + 2) for i in range(200)) for k in range(count - 3, count)]


def test_a_thousand_functions_compiled_and_discarded_keep_memory_flat(tmp_path):
    script = tmp_path / "many.py"
    script.write_text(MANY_FUNCTIONS.format(limit=64 * 2**20, count=1000, warm=200))
    result = run_hotloop("run", script, timeout=300)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["results"] == expected_results(1000)
    stats = report["stats"]
    assert stats["traces_compiled"] >= 900
    # Each trace went with its code object.
    assert stats["code_size"] < 64 * 1024, stats["code_size"]
    assert report["done"]["rss"] - report["warm"]["rss"] < 4 * 1024 * 1024
    assert report["done"]["blocks"] - report["warm"]["blocks"] < 2000


KEPT_FUNCTIONS = """
import json
import hotloop

hotloop.enable(threshold=2, max_code_size={limit})
functions = []
for k in range(40):
    namespace = {{}}
    exec(f"def f(n):\\n    t = 0\\n    for i in range(n):\\n        t += i * {{k}}\\n    return t\\n", namespace)
    functions.append(namespace["f"])
first = [f(100) for f in functions]
evicted = hotloop.stats()
again = [f(100) for f in functions[:5]]
print(json.dumps({{"first": first, "again": again, "evicted": evicted, "after": hotloop.stats()}}))
"""


def test_compiled_code_over_its_limit_evicts_the_traces_entered_least_recently(tmp_path):
    script = tmp_path / "kept.py"
    limit = 20_000
    script.write_text(KEPT_FUNCTIONS.format(limit=limit))
    result = run_hotloop("run", script, timeout=120)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["first"] == [sum(i * k for i in range(100)) for k in range(40)]
    assert report["again"] == report["first"][:5]
    evicted, after = report["evicted"], report["after"]
    assert evicted["traces_compiled"] >= 35 and evicted["traces_evicted"] > 0, evicted
    assert evicted["code_size"] <= limit
    # The first loops were the coldest: they compile again when hot again.
    assert after["traces_compiled"] > evicted["traces_compiled"]
    assert after["code_size"] <= limit
