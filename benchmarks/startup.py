"""What installing hotloop costs a program that does not turn it on: the time
to start `python -c pass` in a fresh venv without hotloop and in one with
hotloop installed (its package and its hotloop_autoenable.pth), runs
alternating so that both see the same machine load; and, for scale, with
HOTLOOP=1.

    python benchmarks/startup.py [--runs 40]

Run it with the Python that has hotloop built (e.g. .venv/bin/python).
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

import hotloop

# The directory holding the hotloop package: python/ in the repository, or
# site-packages; the hook sits beside the package in both.
PACKAGE_PARENT = Path(hotloop.__file__).resolve().parent.parent
HOOK = PACKAGE_PARENT / "hotloop_autoenable.pth"


def make_venv(root, with_hotloop):
    venv.EnvBuilder(with_pip=False, symlinks=True).create(root)
    python = root / "bin" / "python"
    site = Path(subprocess.check_output([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], text=True).strip())
    if with_hotloop:
        # What a wheel installs: the package, and the hook.
        (site / "hotloop.pth").write_text(f"{PACKAGE_PARENT}\n")
        shutil.copy(HOOK, site)
    return python


def start_seconds(python, environ):
    start = time.perf_counter()
    subprocess.run([python, "-c", "pass"], env=environ, check=True)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=40)
    runs = parser.parse_args().runs
    environ = {name: value for name, value in os.environ.items() if not name.startswith("HOTLOOP")}
    with tempfile.TemporaryDirectory() as tmp:
        plain = make_venv(Path(tmp) / "plain", with_hotloop=False)
        installed = make_venv(Path(tmp) / "installed", with_hotloop=True)
        configurations = {
            "plain venv": (plain, environ),
            "hotloop installed, HOTLOOP unset": (installed, environ),
            "hotloop installed, HOTLOOP=1": (installed, {**environ, "HOTLOOP": "1"}),
        }
        times = {name: [] for name in configurations}
        for _ in range(runs):
            for name, (python, env) in configurations.items():
                times[name].append(start_seconds(python, env))
    base = statistics.median(times["plain venv"])
    print(f"{'configuration':<36} {'median ms':>10} {'vs plain':>9}")
    for name, seconds in times.items():
        median = statistics.median(seconds)
        print(f"{name:<36} {median * 1000:>10.2f} {median / base:>8.3f}x")
    spread = statistics.quantiles(times["plain venv"], n=4)
    print(f"(plain venv, quartiles: {spread[0] * 1000:.2f} to {spread[2] * 1000:.2f} ms: the noise)")


if __name__ == "__main__":
    sys.exit(main())
