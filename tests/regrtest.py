"""CPython's own regression tests under hotloop, compared with a plain run.

    .venv/bin/python tests/regrtest.py                  # the modules in MODULES, plain and under hotloop
    .venv/bin/python tests/regrtest.py --deopt          # under hotloop with every guard failing once
    .venv/bin/python tests/regrtest.py test_list test_dict --jobs 2

Run it with the Python that has hotloop installed (`.venv/bin/python` after
`bash tests/run.sh`). It runs `python -m test` on the installed CPython's test
package twice: once plainly, once with a `sitecustomize` on `PYTHONPATH` that
enables hotloop with the threshold forced to 1 in every process, regrtest's
worker processes included. Each test's outcome comes from regrtest's JUnit XML;
every test that passes plainly and fails (or goes missing: a crashed worker)
under hotloop is reported, except the ones `regrtest_expected.txt` lists with
the reason. The exit status is 1 if any other is found.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ElementTree
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXPECTED = HERE / "regrtest_expected.txt"

# The language-core and tracing modules of the exactness issue.
MODULES = """
test_grammar test_exceptions test_generators test_scope test_with test_list
test_dict test_set test_tuple test_range test_int test_long test_float test_math
test_itertools test_iter test_sort test_class test_descr test_sys_settrace
test_monitoring test_frame test_traceback test_signal test_threading test_gc
test_weakref test_bdb test_pdb test_profile test_cprofile test_json test_re
test_collections test_functools test_statistics test_decimal
""".split()

# Each process enables hotloop, and leaves its stats behind to show it ran.
SITECUSTOMIZE = """\
import atexit, json, os
import hotloop

hotloop.enable(threshold=1)


def _write_stats(path=os.path.join({stats_dir!r}, f"{{os.getpid()}}.json")):
    with open(path, "w") as out:
        json.dump(hotloop.stats(), out)


atexit.register(_write_stats)
"""


def expected_failures():
    """Test ids (or `module.*`) that may fail under hotloop only, with why."""
    expected = {}
    for line in EXPECTED.read_text().splitlines():
        test, _, reason = line.partition("#")
        if test.strip():
            expected[test.strip()] = reason.strip()
    return expected


def outcomes(junit_xml):
    """test id -> "passed", "failed" or "skipped"."""
    results = {}
    if not junit_xml.exists():
        return results
    for case in ElementTree.parse(junit_xml).iter("testcase"):
        kinds = {child.tag for child in case}
        if kinds & {"failure", "error"}:
            results[case.get("name")] = "failed"
        elif "skipped" in kinds:
            results[case.get("name")] = "skipped"
        else:
            results[case.get("name")] = "passed"
    return results


def run_tests(modules, workdir, jobs, hotloop, deopt):
    """Run regrtest once; returns (outcomes, seconds)."""
    env = dict(os.environ)
    for name in ("HOTLOOP_DEOPT", "HOTLOOP_THRESHOLD"):
        env.pop(name, None)
    label = "hotloop" if hotloop else "plain"
    if hotloop:
        site = workdir / "site"
        site.mkdir(exist_ok=True)
        stats_dir = workdir / "stats"
        stats_dir.mkdir(exist_ok=True)
        (site / "sitecustomize.py").write_text(SITECUSTOMIZE.format(stats_dir=str(stats_dir)))
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(site), env.get("PYTHONPATH")]))
        if deopt:
            env["HOTLOOP_DEOPT"] = "1"
            label += " (deopt)"
    junit = workdir / f"{'hotloop' if hotloop else 'plain'}.xml"
    log = workdir / f"{'hotloop' if hotloop else 'plain'}.log"
    command = [sys.executable, "-m", "test", "-j", str(jobs), "--timeout", "1200", "--junit-xml", str(junit), *modules]
    print(f"regrtest: {label}: {len(modules)} modules, log in {log}", flush=True)
    started = time.monotonic()
    with open(log, "w") as out:
        subprocess.run(command, env=env, cwd=workdir, stdout=out, stderr=subprocess.STDOUT, check=False)
    return outcomes(junit), time.monotonic() - started


def module_of(test_id):
    # "test.test_list.ListTest.test_basic" -> "test_list"
    parts = test_id.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "test" else parts[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help="test modules (default: the issue's list)")
    parser.add_argument("--deopt", action="store_true", help="run hotloop with HOTLOOP_DEOPT=1")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2, help="regrtest worker processes")
    parser.add_argument("--keep", action="store_true", help="keep the logs and XML in the work directory")
    args = parser.parse_args()
    try:
        import hotloop  # noqa: F401
    except ImportError:
        sys.exit("regrtest.py: run me with a Python that has hotloop installed (.venv/bin/python)")
    modules = args.modules or MODULES
    workdir = Path(tempfile.mkdtemp(prefix="hotloop-regrtest-"))
    plain, plain_seconds = run_tests(modules, workdir, args.jobs, hotloop=False, deopt=False)
    jitted, jit_seconds = run_tests(modules, workdir, args.jobs, hotloop=True, deopt=args.deopt)
    expected = expected_failures()

    def excused(test_id):
        return expected.get(test_id) or expected.get(f"{module_of(test_id)}.*")

    new_failures = []
    excused_failures = []
    for test_id, outcome in sorted(plain.items()):
        if outcome != "passed":
            continue
        now = jitted.get(test_id, "missing")
        if now in ("passed", "skipped"):
            continue
        (excused_failures if excused(test_id) else new_failures).append((test_id, now))
    print(f"\n{'module':<22}{'tests':>7}{'plain failed':>14}{'hotloop failed':>16}{'new':>6}")
    for module in modules:
        in_module = [t for t in plain if module_of(t) == module]
        failed_plain = sum(plain[t] == "failed" for t in in_module)
        failed_jit = sum(jitted.get(t) in ("failed", None) for t in in_module)
        new = sum(module_of(t) == module for t, _ in new_failures)
        print(f"{module:<22}{len(in_module):>7}{failed_plain:>14}{failed_jit:>16}{new:>6}")
    mode = "hotloop, every guard failing once" if args.deopt else "hotloop"
    processes = [json.loads(p.read_text()) for p in (workdir / "stats").glob("*.json")]
    compiled = sum(s["traces_compiled"] for s in processes)
    iterations = sum(s["iterations_compiled"] for s in processes)
    print(f"\nhotloop ran in {len(processes)} processes: {compiled} traces compiled, {iterations} iterations compiled")
    print(
        f"\n{len(modules)} modules, {len(plain)} tests; plain {plain_seconds:.0f} s, {mode} {jit_seconds:.0f} s; "
        f"{len(excused_failures)} failures listed in {EXPECTED.name}, {len(new_failures)} new"
    )
    for test_id, now in excused_failures:
        print(f"  expected: {test_id} ({now}): {excused(test_id)}")
    for test_id, now in new_failures:
        print(f"  NEW: {test_id} ({now})")
    if args.keep or new_failures:
        print(f"logs and XML: {workdir}")
    sys.exit(1 if new_failures else 0)


if __name__ == "__main__":
    main()
