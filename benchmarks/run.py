"""Benchmarks: every kernel in benchmarks/kernels, timed under plain CPython and
under hotloop in the same run (alternating, so both see the same machine load),
and under PyPy too when `pypy3` is on PATH.

    python benchmarks/run.py [--repeat 5] [--threshold N] [KERNEL ...]

Run it with the Python that has hotloop installed (e.g. .venv/bin/python after
`bash tests/run.sh` or `bash benchmarks/demo.sh`). Each measurement is a fresh
child process timing only the kernel's run(); results must agree exactly. Beside
each speedup: the traces compiled, the share of the kernel's hot-loop
iterations that ran compiled (the bottom line: across all kernels), and the
median milliseconds one compilation took (the bottom line: the median of those).
"""

import argparse
import json
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent
KERNELS = BENCHMARKS / "kernels"
MEASURE = BENCHMARKS / "measure.py"


def measure(interpreter, kernel, extra_args=()):
    completed = subprocess.run(
        [interpreter, str(MEASURE), *extra_args, str(kernel)], capture_output=True, text=True
    )
    if completed.returncode != 0:
        sys.exit(f"{kernel.stem} failed under {interpreter} {' '.join(extra_args)}:\n{completed.stderr}")
    return json.loads(completed.stdout)


def bench_kernel(kernel, repeat, threshold, pypy):
    """Median seconds per configuration, checking that every run agrees."""
    hotloop_args = ["--hotloop"] + (["--threshold", str(threshold)] if threshold else [])
    configurations = {"cpython": (sys.executable, []), "hotloop": (sys.executable, hotloop_args)}
    if pypy:
        configurations["pypy"] = (pypy, [])
    times = {name: [] for name in configurations}
    results = set()
    jit = {}
    for _ in range(repeat):
        for name, (interpreter, args) in configurations.items():
            report = measure(interpreter, kernel, args)
            times[name].append(report["seconds"])
            results.add(report["result"])
            if name == "hotloop":
                jit = report
    if len(results) != 1:
        sys.exit(f"{kernel.stem}: results differ between runs: {sorted(results)}")
    medians = {name: statistics.median(seconds) for name, seconds in times.items()}
    return medians, jit


def share(compiled, total):
    """The share of hot-loop iterations that ran compiled, as a column."""
    return f"{100 * compiled / total:>8.1f}%" if total else f"{'-':>9}"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5, help="runs per configuration (default 5)")
    parser.add_argument("--threshold", type=int, help="hotloop threshold (default: hotloop's)")
    parser.add_argument("kernels", nargs="*", metavar="KERNEL", help="kernel names (default: all)")
    options = parser.parse_args()
    names = options.kernels or sorted(path.stem for path in KERNELS.glob("*.py"))
    pypy = shutil.which("pypy3")

    header = f"{'kernel':<16} {'CPython s':>10} {'hotloop s':>10} {'ratio':>7} {'traces':>7} {'compiled':>9} {'comp ms':>7}"
    if pypy:
        header += f" {'PyPy s':>10} {'ratio':>7}"
    print(header)
    ratios = {"hotloop": [], "pypy": []}
    iterations = {"compiled": 0, "all": 0}
    compile_medians = []
    for name in names:
        medians, jit = bench_kernel(KERNELS / f"{name}.py", options.repeat, options.threshold, pypy)
        compiled = jit["iterations_compiled"]
        iterations["compiled"] += compiled
        iterations["all"] += compiled + jit["iterations_interpreted"]
        line = f"{name:<16} {medians['cpython']:>10.3f}"
        for other in ("hotloop", "pypy") if pypy else ("hotloop",):
            ratio = medians["cpython"] / medians[other]
            ratios[other].append(ratio)
            line += f" {medians[other]:>10.3f} {ratio:>6.2f}x"
            if other == "hotloop":
                line += f" {jit['traces_compiled']:>7} {share(compiled, compiled + jit['iterations_interpreted'])}"
                line += f" {jit['compile_ms_median']:>7.2f}" if jit["compile_ms_median"] else f" {'-':>7}"
                if jit["compile_ms_median"]:
                    compile_medians.append(jit["compile_ms_median"])
        print(line, flush=True)
    summary = f"{'geometric mean':<16} {'':>10} {'':>10} {statistics.geometric_mean(ratios['hotloop']):>6.2f}x {'':>7}"
    summary += f" {share(iterations['compiled'], iterations['all'])}"
    summary += f" {statistics.median(compile_medians):>7.2f}" if compile_medians else f" {'-':>7}"
    if pypy:
        summary += f" {'':>10} {statistics.geometric_mean(ratios['pypy']):>6.2f}x"
    print(summary)


if __name__ == "__main__":
    main()
