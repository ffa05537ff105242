"""The windows into the JIT: `python -m hotloop dump` (every view of a trace),
`explain` and `run --verbose` (one line per event, and why loops are not
compiled), `reasons` (the docs of every reason), and `report` (HTML)."""

import json
import re
import textwrap

import pytest

from support import FLOAT_KERNEL, PROGRAMS, REPO, child_environment, run_hotloop, run_python, write_script

PROGRAM_NAMES = sorted(path.name for path in PROGRAMS.glob("*.py"))

pytestmark = pytest.mark.usefixtures("native")

# The float kernel, and a while loop (lines 8-12) after it.
KERNELS = FLOAT_KERNEL.replace("print(repr(series(5000)))", """def counts(n):
    k = 0
    while k < n:
        k += 1
    return k

print(repr(series(5000)), counts(3000))""")

# A loop that does not compile (formatting with a computed width has no fast
# path: generic instructions only, slower than the interpreter), next to one
# that does.
MIXED = """
import itertools

def unsupported(n):
    seen = []
    for i in range(n):
        seen.append(f"{i:>{i % 7}}")
    return len(seen)

def supported(n):
    t = 0
    for i in range(n):
        t += i
    return t

print(unsupported(3000), supported(3000))
"""


def sections(trace_text):
    """title -> body of each view in one trace's dump."""
    found = re.findall(r"^([a-zA-Z][\w ]*):\n((?:    .*\n?)*)", trace_text, flags=re.M)
    return {title: textwrap.dedent(body) for title, body in found}


def trace_of(dump, function):
    header = re.search(rf"^---- trace \d+: .*script\.py:(\d+) in {function}\(\) line \d+, entries \d+.*$", dump, re.M)
    assert header, dump
    return dump[header.start():].split("\n---- trace ", 1)[0]


def test_dump_of_a_float_kernel_shows_every_view(tmp_path):
    script = write_script(tmp_path, KERNELS)
    plain = run_python(script)
    result = run_hotloop("dump", "--asm", "--threshold", "2", script)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(plain.stdout)
    kernel = trace_of(result.stdout, "series")
    assert re.search(r"exits taken \d+, \d+ bytes of machine code", kernel.splitlines()[0])
    views = sections(kernel)
    assert list(views) == [
        "source", "bytecode", "recorded IR", "optimized IR", "guards", "snapshots", "machine code",
    ], list(views)
    # Source lines with their numbers; bytecode with line, offset, opname.
    assert re.search(r"^\s*4\s+for i in range\(n\):$", views["source"], re.M)
    assert re.search(r"^\s*5\s+x = x \* 0\.5 \+ i \* 1\.5$", views["source"], re.M)
    assert re.search(r"^\s*4\s+\d+\s+FOR_ITER\s+to \d+$", views["bytecode"], re.M)
    assert re.search(r"^\s*5\s+\d+\s+JUMP_BACKWARD\s+to \d+$", views["bytecode"], re.M)
    assert "---- loop ----" in views["optimized IR"] and "fmul" in views["optimized IR"]
    # Every instruction that can exit, with its snapshot, resume line and count.
    guards = views["guards"].splitlines()
    assert guards and all(re.search(r"#\d+ +resumes at line \d+ +exits \d+$", g) or g.lstrip().startswith("loop") for g in guards)
    # The exit that ended the loop was counted, in the guards and in the IR.
    assert re.search(r"exits [1-9]", views["guards"])
    assert re.search(r"; exits [1-9]", views["optimized IR"])
    snapshots = views["snapshots"].splitlines()
    assert all(re.search(r"^#\d+ +pc=\d+ .*; line \d+, exits \d+$", s) for s in snapshots), snapshots
    assert any(re.search(r"exits [1-9]\d*$", s) for s in snapshots)
    # Cranelift's listing of the machine code: x86-64 float arithmetic.
    assert re.search(r"\b(v?mulsd|v?addsd)\b", views["machine code"])


def test_dump_only_shows_the_loop_asked_for(tmp_path):
    script = write_script(tmp_path, KERNELS)
    result = run_hotloop("dump", "--only", "script.py:10", "--threshold", "2", script)
    assert result.returncode == 0, result.stderr
    assert re.findall(r"^---- trace \d+: \S+ in (\w+)\(\)", result.stdout, re.M) == ["counts"]
    missing = run_hotloop("dump", "--only", f"{script}:3", "--threshold", "2", script)
    assert "hotloop: no trace of a loop at " in missing.stdout and "script.py:4" in missing.stdout


@pytest.mark.parametrize("only", ["script.py", "script.py:x", ":4"])
def test_dump_only_needs_file_and_line(tmp_path, only):
    script = write_script(tmp_path, KERNELS)
    result = run_hotloop("dump", "--only", only, script)
    assert result.returncode == 2
    assert "must be FILE:LINE (a file and a line number)" in result.stderr


def test_explain_prints_events_as_they_happen_and_why_loops_are_not_compiled(tmp_path):
    script = write_script(tmp_path, MIXED)
    plain = run_python(script)
    result = run_hotloop("explain", "--threshold", "2", script)
    assert result.returncode == 0, result.stderr
    assert result.stdout == plain.stdout
    lines = result.stderr.splitlines()
    compiled = [line for line in lines if "trace compiled for loop" in line and "script.py:12 (supported)" in line]
    assert compiled and re.search(r" in \d+\.\d\d ms$", compiled[0])
    aborted = [line for line in lines if line.startswith("hotloop: aborted: loop") and "script.py:6 (unsupported)" in line]
    # Where (line and bytecode), the named reason, and its kind.
    assert aborted and re.search(r"at line 7 [A-Z_]+: .+ \[[a-z-]+\]$", aborted[0]), aborted
    summary = lines[lines.index(next(line for line in lines if "hot loops are not running compiled" in line)):]
    entry = next(i for i, line in enumerate(summary) if "script.py:6 (unsupported)" in line)
    assert summary[entry + 1].startswith("      means: ") and summary[entry + 2].startswith("      hint:  ")
    assert not any("script.py:12" in line for line in summary)


@pytest.mark.parametrize("program", PROGRAM_NAMES[::8])
def test_explain_gives_a_reason_for_every_loop_of_the_corpus_not_compiled(program, tmp_path):
    stats_file = tmp_path / "stats.json"
    result = run_hotloop(
        "explain", "--threshold", "2", program, cwd=PROGRAMS, env=child_environment(HOTLOOP_STATS=str(stats_file))
    )
    # The program's own loops: the standard library's may still change after
    # the stats are written (writing them imports json).
    loops = json.loads(stats_file.read_text())["loops"]
    waiting = [loop for loop in loops if loop["state"] != "compiled" and loop["filename"].endswith(program)]
    for loop in waiting:
        line = f"  {loop['loop']} ({loop['function']}): {loop['state']}: {loop['why']} [{loop['why_kind']}]"
        assert line in result.stderr.splitlines(), (line, result.stderr[-3000:])


def test_run_verbose_prints_the_events_only(tmp_path):
    script = write_script(tmp_path, MIXED)
    result = run_hotloop("run", "--verbose", "--threshold", "2", script)
    assert result.returncode == 0, result.stderr
    assert "hotloop: trace compiled for loop" in result.stderr
    assert "hot loops are not running compiled" not in result.stderr
    quiet = run_hotloop("run", "--threshold", "2", script)
    assert quiet.stderr == ""


def test_explain_names_a_reason_for_blacklisted_and_invalidated_loops(tmp_path):
    script = write_script(
        tmp_path,
        """
        SCALE = 2

        def scaled(n):
            total = 0
            for i in range(n):
                total += i * SCALE
            return total

        print(scaled(2000))
        SCALE = 3  # the trace relied on SCALE: it goes
        print(scaled(2000))
        """,
    )
    result = run_hotloop("explain", "--threshold", "2", script)
    assert result.returncode == 0, result.stderr
    assert re.search(r"hotloop: invalidated: loop .*script\.py:6 \(scaled\): 'SCALE' was assigned, which it relied on \[global-changed\]", result.stderr), result.stderr


def test_explain_places_a_call_it_cannot_inline_at_that_call_in_the_loop(tmp_path):
    script = write_script(
        tmp_path,
        """
        counter = 0

        def bump(x):
            global counter
            counter += x

        def run(values):
            for v in values:
                bump(v)

        run(range(3000))
        print(counter)
        """,
    )
    result = run_hotloop("explain", "--threshold", "2", script)
    assert result.returncode == 0, result.stderr
    # The instruction that failed is in `bump` (line 6), but the line is shown
    # as a line of the loop's function: the call that led there.
    not_inlined = [line for line in result.stderr.splitlines() if "not inlined" in line]
    assert not_inlined, result.stderr
    assert all("(run) at line 10 CALL: NYI: inlined call:" in line for line in not_inlined), not_inlined


def test_the_reasons_docs_are_the_ones_explain_gives():
    result = run_hotloop("reasons")
    assert result.returncode == 0, result.stderr
    docs = (REPO / "docs" / "why-not-compiled.md").read_text()
    assert result.stdout == docs, "regenerate with: python -m hotloop reasons > docs/why-not-compiled.md"
    kinds = re.findall(r"^## `([a-z-]+)`$", docs, re.M)
    assert len(kinds) >= 20 and "not-yet-implemented" in kinds and "short-trips" in kinds
    assert docs.count("**Hint:**") == len(kinds)


def test_report_writes_one_html_page(tmp_path):
    script = write_script(tmp_path, KERNELS)
    plain = run_python(script)
    result = run_hotloop("report", "--threshold", "2", "-o", tmp_path / "out.html", script)
    assert result.returncode == 0, result.stderr
    assert result.stdout == plain.stdout
    page = (tmp_path / "out.html").read_text()
    assert page.startswith("<!DOCTYPE html>") and "script.py:4" in page and "<svg" in page
    # The time each loop spent in compiled code was measured for it.
    assert "not measured" not in page


def test_report_to_an_unwritable_place_warns_and_the_script_still_runs(tmp_path):
    script = write_script(tmp_path, KERNELS)
    plain = run_python(script)
    result = run_hotloop("report", "-o", tmp_path / "no" / "such" / "dir" / "r.html", script)
    assert result.returncode == 0
    assert result.stdout == plain.stdout
    assert "hotloop: cannot write the report to" in result.stderr


def test_hotloop_log_debug_reaches_pythons_logging(tmp_path):
    script = write_script(tmp_path, KERNELS)
    result = run_hotloop("run", "--threshold", "2", script, env=child_environment(HOTLOOP_LOG="debug"))
    assert re.search(r"^hotloop: DEBUG: compiled trace .*script\.py:4 in ", result.stderr, re.M)
