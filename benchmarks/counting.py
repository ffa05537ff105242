"""What hotloop costs a loop it never compiles: every back edge the
interpreter takes calls hotloop's `sys.monitoring` JUMP callback, which counts
it toward the loop turning hot. This times a program of short loops that run
millions of back edges under plain CPython and under hotloop with a threshold
no loop reaches, alternating so that both see the same machine load, and
prints the cost of one counted back edge.

    python benchmarks/counting.py [--runs 5]

Run it with the Python that has hotloop built (e.g. .venv/bin/python).
"""

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

BACK_EDGES = 1_200_000
PROGRAM = f"""
import time

def total(xs):
    t = 0
    for x in xs:
        t += x
    return t

def main():
    xs = [1, 2, 3]
    calls = {BACK_EDGES} // 4  # three back edges in total(), one in main()
    start = time.perf_counter()
    for _ in range(calls):
        total(xs)
    print(time.perf_counter() - start)

main()
"""


def seconds(script, hotloop):
    command = [sys.executable, *(["-m", "hotloop", "run", "--threshold", "1000000000"] if hotloop else []), script]
    completed = subprocess.run(command, capture_output=True, text=True, check=True)
    return float(completed.stdout)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    plain, counted = [], []
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "short_loops.py"
        script.write_text(PROGRAM)
        for _ in range(runs):
            plain.append(seconds(script, False))
            counted.append(seconds(script, True))
    plain_s, counted_s = statistics.median(plain), statistics.median(counted)
    per_edge = (counted_s - plain_s) / BACK_EDGES * 1e9
    print(f"plain CPython       {plain_s * 1e3:7.1f} ms")
    print(f"hotloop, counting   {counted_s * 1e3:7.1f} ms  ({plain_s / counted_s:.2f}x)")
    print(f"one counted back edge costs {per_edge:.0f} ns more")


if __name__ == "__main__":
    main()
