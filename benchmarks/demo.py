"""Runs benchmarks/demo_program.py under plain CPython and under hotloop, checks
that both print the same, and shows the two times and the speedup."""

import subprocess
import sys
import time
from pathlib import Path

PROGRAM = Path(__file__).resolve().parent / "demo_program.py"


def timed_run(label, *args):
    print(f"{label:<8} python {' '.join(args)}", flush=True)
    start = time.perf_counter()
    completed = subprocess.run([sys.executable, *args], capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if completed.returncode != 0:
        sys.exit(f"{label} run failed:\n{completed.stderr}")
    print(completed.stdout, end="")
    return seconds, completed.stdout


def main():
    relative = PROGRAM.relative_to(Path.cwd()) if PROGRAM.is_relative_to(Path.cwd()) else PROGRAM
    cpython_seconds, cpython_output = timed_run("CPython", str(relative))
    hotloop_seconds, hotloop_output = timed_run("hotloop", "-m", "hotloop", "run", str(relative))
    if hotloop_output != cpython_output:
        sys.exit("the outputs differ: hotloop changed the program's behaviour")
    print()
    print(f"CPython {sys.version.split()[0]}: {cpython_seconds:6.2f} s")
    print(f"hotloop:        {hotloop_seconds:6.2f} s")
    print(f"speedup:        {cpython_seconds / hotloop_seconds:6.2f}x (same output)")


if __name__ == "__main__":
    main()
