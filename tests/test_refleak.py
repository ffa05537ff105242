"""Entering and leaving compiled loops 100 000 times leaks neither references nor
memory: reference counts, allocated blocks and RSS stay put."""

import json

import pytest

from support import run_hotloop

pytestmark = pytest.mark.usefixtures("native")

CALLS = 100_000
WARM_CALLS = 20_000

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


def test_loops_entered_100000_times_leak_nothing(tmp_path):
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
