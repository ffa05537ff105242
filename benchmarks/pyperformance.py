"""Programs hotloop was not written for: pyperformance's pure-Python benchmarks,
each run under plain CPython and under `python -m hotloop run`, one after the
other, with a stand-in for the `pyperf` runner that calls each benchmark
function a few times and reports how long each call took.

    python benchmarks/pyperformance.py [--reps 3] [NAME ...]

Run it with the Python that has hotloop installed (e.g. .venv/bin/python). It
downloads pyperformance's source once (pip, into ~/.cache/hotloop). For each
benchmark it prints the speedup of the first call (warm-up and compiling
included), of all calls, and of the last, and whether both runs printed the
same output (most benchmarks print nothing).
"""

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

VERSION = "1.14.0"
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "hotloop"
# Pure Python, no third-party modules, no network.
DEFAULT = [
    "chaos", "deltablue", "fannkuch", "float", "go", "hexiom", "nbody", "nqueens", "raytrace",
    "richards", "spectral_norm", "generators", "coroutines", "meteor_contest", "pyflate", "unpack_sequence",
]

PYPERF_STAND_IN = '''
import argparse, json, os, sys, time
perf_counter = time.perf_counter
REPS = int(os.environ["HOTLOOP_PP_REPS"])

def _report(times):
    print("HOTLOOP_PP_TIMES " + json.dumps(times), file=sys.stderr)

class Runner:
    def __init__(self, *args, **kwargs):
        self.argparser = argparse.ArgumentParser()
        self.metadata = {}
        self.args = None

    def parse_args(self, args=None):
        self.args, _ = self.argparser.parse_known_args([])
        return self.args

    def bench_func(self, name, func, *args, inner_loops=None, metadata=None):
        self.args or self.parse_args()
        times = []
        for _ in range(REPS):
            start = time.perf_counter()
            func(*args)
            times.append(time.perf_counter() - start)
        _report(times)

    def bench_time_func(self, name, func, *args, inner_loops=None, metadata=None):
        self.args or self.parse_args()
        _report([func(1, *args) for _ in range(REPS)])

    def bench_async_func(self, name, func, *args, inner_loops=None, metadata=None):
        import asyncio
        self.args or self.parse_args()
        times = []
        for _ in range(REPS):
            start = time.perf_counter()
            asyncio.run(func(*args))
            times.append(time.perf_counter() - start)
        _report(times)
'''


def benchmarks_dir():
    """pyperformance's benchmarks, downloaded and unpacked once."""
    unpacked = CACHE / f"pyperformance-{VERSION}"
    if not unpacked.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory() as download:
            command = [sys.executable, "-m", "pip", "download", f"pyperformance=={VERSION}", "--no-deps",
                       "--no-binary", ":all:", "-q", "-d", download]
            if subprocess.run(command).returncode != 0:
                sys.exit("pyperformance.py: could not download pyperformance (pip download failed)")
            (archive,) = Path(download).glob("*.tar.gz")
            with tarfile.open(archive) as tar:
                tar.extractall(CACHE, filter="data")
    return unpacked / "pyperformance" / "data-files" / "benchmarks"


def run(script, hotloop, env):
    command = [sys.executable, *(["-m", "hotloop", "run"] if hotloop else []), str(script)]
    completed = subprocess.run(command, capture_output=True, text=True, env=env, cwd=script.parent, timeout=1800)
    times = [json.loads(line.split(" ", 1)[1]) for line in completed.stderr.splitlines()
             if line.startswith("HOTLOOP_PP_TIMES ")]
    if completed.returncode != 0 or not times:
        sys.exit(f"{script.parent.name} failed{' under hotloop' if hotloop else ''}:\n{completed.stderr[-2000:]}")
    return times[0], completed.stdout


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reps", type=int, default=3, help="calls of each benchmark function (default 3)")
    parser.add_argument("names", nargs="*", metavar="NAME", help=f"benchmarks (default: {' '.join(DEFAULT)})")
    options = parser.parse_args()
    if options.reps < 1:
        parser.error("--reps must be at least 1")
    root = benchmarks_dir()
    with tempfile.TemporaryDirectory() as stand_in:
        (Path(stand_in) / "pyperf").mkdir()
        (Path(stand_in) / "pyperf" / "__init__.py").write_text(PYPERF_STAND_IN)
        env = dict(os.environ, PYTHONPATH=stand_in, HOTLOOP_PP_REPS=str(options.reps))
        print(f"{'benchmark':<16} {'CPython 1st ms':>14} {'first':>7} {'all':>7} {'last':>7}  output")
        for name in options.names or DEFAULT:
            script = root / f"bm_{name}" / "run_benchmark.py"
            if not script.exists():
                sys.exit(f"pyperformance.py: no benchmark {name!r} in pyperformance {VERSION}")
            plain, plain_out = run(script, False, env)
            jitted, jitted_out = run(script, True, env)
            same = "same" if plain_out == jitted_out else "DIFFERS"
            print(f"{name:<16} {plain[0] * 1e3:>14.1f} {plain[0] / jitted[0]:>6.2f}x "
                  f"{sum(plain) / sum(jitted):>6.2f}x {plain[-1] / jitted[-1]:>6.2f}x  {same}", flush=True)


if __name__ == "__main__":
    main()
