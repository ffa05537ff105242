"""`python -m hotloop run|dump`: the script runs as under `python SCRIPT`, and the
command's own options, errors and reports behave as documented."""

import json
import os
import re

import pytest

from support import FLOAT_KERNEL, STATS_KEYS, child_environment, run_hotloop, run_python, write_script

pytestmark = pytest.mark.usefixtures("native")



INT_KERNEL = """
def count(n):
    i = s = 0
    while i < n:
        s += i
        i += 1
    return s

print(count(5000))
"""


def test_missing_script_is_reported_like_python(tmp_path):
    result = run_hotloop("run", "nowhere.py", cwd=tmp_path)
    missing = os.path.join(os.path.realpath(tmp_path), "nowhere.py")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"python -m hotloop: can't open file '{missing}': [Errno 2] No such file or directory\n"
    )


INTROSPECTION = """
import json, os, sys
import __main__
print(json.dumps({
    "argv": sys.argv,
    "path0": sys.path[0],
    "file": __file__,
    "name": __name__,
    "globals": list(globals())[:9],
    "loader": [type(__loader__).__name__, __loader__.name, __loader__.path],
    "spec": repr(__spec__),
    "main_is_this_module": __main__.__dict__ is globals(),
    "cwd": os.getcwd(),
}))
"""


@pytest.mark.parametrize(
    "args", [[], ["a", "b c"], ["--threshold", "7", "-x", "--stats", "f"]], ids=["none", "plain", "option-like"]
)
def test_script_sees_the_same_process_state_as_under_python(tmp_path, args):
    (tmp_path / "sub").mkdir()
    write_script(tmp_path / "sub", INTROSPECTION)
    plain = run_python("sub/script.py", *args, cwd=tmp_path)
    jitted = run_hotloop("run", "sub/script.py", *args, cwd=tmp_path)
    assert plain.returncode == 0, plain.stderr
    assert json.loads(jitted.stdout) == json.loads(plain.stdout)
    assert json.loads(jitted.stdout)["argv"] == ["sub/script.py", *args]
    assert jitted.stderr == plain.stderr == ""


TARGET_INTROSPECTION = """
import json, os, re, sys
import __main__
print(json.dumps({
    "argv": sys.argv,
    "path0": sys.path[0],
    "name": __name__,
    "globals": list(globals()),
    "loader": [type(__loader__).__name__, getattr(__loader__, "name", None)],
    "spec": re.sub(" at 0x[0-9a-f]+", "", repr(__spec__)),
    "main_is_this_module": __main__.__dict__ is globals(),
}))
"""


def test_a_module_run_with_dash_m_sees_the_same_process_state_as_under_python_dash_m(tmp_path):
    (tmp_path / "pkg").mkdir()
    write_script(tmp_path / "pkg", "", name="__init__.py")
    write_script(tmp_path / "pkg", TARGET_INTROSPECTION, name="intro.py")
    plain = run_python("-m", "pkg.intro", "a", "-x", cwd=tmp_path)
    jitted = run_hotloop("run", "--threshold", "7", "-m", "pkg.intro", "a", "-x", cwd=tmp_path)
    assert plain.returncode == 0, plain.stderr
    assert json.loads(jitted.stdout) == json.loads(plain.stdout)
    assert json.loads(jitted.stdout)["argv"] == [str(tmp_path / "pkg" / "intro.py"), "a", "-x"]
    assert jitted.stderr == plain.stderr == ""


def test_code_run_with_dash_c_sees_the_same_process_state_as_under_python_dash_c(tmp_path):
    plain = run_python("-c", TARGET_INTROSPECTION, "a", "-x", cwd=tmp_path)
    jitted = run_hotloop("run", "-c", TARGET_INTROSPECTION, "a", "-x", cwd=tmp_path)
    assert plain.returncode == 0, plain.stderr
    assert json.loads(jitted.stdout) == json.loads(plain.stdout)
    assert json.loads(jitted.stdout)["argv"] == ["-c", "a", "-x"]
    assert jitted.stderr == plain.stderr == ""


def test_dash_m_and_dash_c_compile_hot_loops_and_fail_as_python_does(tmp_path):
    write_script(tmp_path, INT_KERNEL + "print(1 / 0)\n", name="kernel.py")
    for target in [["-m", "kernel"], ["-c", INT_KERNEL + "print(1 / 0)\n"], ["-m", "no_such_module"]]:
        plain = run_python(*target, cwd=tmp_path)
        jitted = run_hotloop("run", "--threshold", "2", "--stats", tmp_path / "stats.json", *target, cwd=tmp_path)
        assert (jitted.returncode, jitted.stdout, jitted.stderr) == (plain.returncode, plain.stdout, plain.stderr)
        assert plain.returncode == 1
        stats = json.loads((tmp_path / "stats.json").read_text())
        compiled = [loop["function"] for loop in stats["loops"] if loop["state"] == "compiled"]
        assert ("count" in compiled) == ("no_such_module" not in target), (target, stats["loops"])


def test_a_dash_m_or_dash_c_without_its_argument_is_an_error(tmp_path):
    for flag in ["-m", "-c"]:
        result = run_hotloop("run", flag, cwd=tmp_path)
        assert result.returncode == 2
        assert f"argument {flag}: expected one argument" in result.stderr


MODULES = "import sys; print(' '.join(sorted(sys.modules)))"

# Imported by `python -m` itself, for any module it runs.
PYTHON_DASH_M_MODULES = {"runpy", "types", "warnings"} | {
    "importlib", "importlib._abc", "importlib._bootstrap", "importlib._bootstrap_external",
    "importlib.machinery", "importlib.util",
}
# hotloop's own, and the small C modules it reads at import (what `math` and
# `opcode` hold, the live code objects).
HOTLOOP_MODULES = {"hotloop", "hotloop._hotloop", "hotloop._discover", "hotloop._select", "hotloop._environ", "gc", "math", "opcode", "_opcode"}


@pytest.mark.parametrize(
    "options, for_options",
    [([], set()), (["--threshold", "5", "--stats", "s.json"], {"atexit"})],
    ids=["plain", "stats"],
)
def test_script_sees_only_the_modules_python_dash_m_and_hotloop_import(tmp_path, options, for_options):
    script = write_script(tmp_path, MODULES)
    plain = set(run_python(script).stdout.split())
    jitted = run_hotloop("run", *options, script, cwd=tmp_path)
    assert jitted.returncode == 0, jitted.stderr
    allowed = PYTHON_DASH_M_MODULES | HOTLOOP_MODULES | for_options
    extra = set(jitted.stdout.split()) - plain
    assert extra <= allowed, sorted(extra - allowed)
    assert "hotloop._hotloop" in extra


def test_importing_hotloop_imports_no_logging_or_warnings_machinery(tmp_path):
    result = run_python("-c", f"import hotloop; hotloop.enable(); hotloop.disable(); {MODULES}")
    assert result.returncode == 0, result.stderr
    assert not {"logging", "warnings", "platform", "dis", "argparse", "json"} & set(result.stdout.split())


@pytest.mark.parametrize(
    "ending, status",
    [("sys.exit(3)", 3), ("sys.exit('bye')", 1), ("sys.exit()", 0), ("raise SystemExit(7)", 7)],
)
def test_exit_status_is_the_scripts(tmp_path, ending, status):
    script = write_script(tmp_path, f"import sys\n{INT_KERNEL}\n{ending}\n")
    plain = run_python(script)
    jitted = run_hotloop("run", script)
    assert plain.returncode == jitted.returncode == status
    assert (jitted.stdout, jitted.stderr) == (plain.stdout, plain.stderr)


UNCAUGHT = """
def kernel(n):
    total = 0.0
    for i in range(n, -1, -1):
        total += 1.0 / i
    return total

def handler():
    try:
        kernel(4000)
    except ZeroDivisionError:
        raise LookupError("while handling")

print("start")
handler()
"""

SYNTAX_ERROR = """
x = 1
def broken(:
    pass
"""


@pytest.mark.parametrize("source", [UNCAUGHT, SYNTAX_ERROR], ids=["chained-exception", "syntax-error"])
def test_uncaught_error_prints_the_same_traceback_as_python(tmp_path, source):
    write_script(tmp_path, source)
    plain = run_python("script.py", cwd=tmp_path)
    jitted = run_hotloop("run", "--threshold", "2", "script.py", cwd=tmp_path)
    assert plain.returncode == jitted.returncode == 1
    assert jitted.stdout == plain.stdout
    assert jitted.stderr == plain.stderr
    assert "hotloop" not in jitted.stderr


@pytest.mark.parametrize(
    "ending, status", [("", 0), ("sys.exit(5)", 5), ("raise RuntimeError('boom')", 1)], ids=["normal", "sys.exit", "exception"]
)
def test_stats_file_is_written_however_the_program_ends(tmp_path, ending, status):
    script = write_script(tmp_path, f"import sys\n{FLOAT_KERNEL}\n{ending}\n")
    stats_file = tmp_path / "stats.json"
    result = run_hotloop("run", "--threshold", "2", "--stats", "stats.json", script, cwd=tmp_path)
    assert result.returncode == status, result.stderr
    stats = json.loads(stats_file.read_text())
    assert STATS_KEYS <= set(stats)
    assert stats["traces_compiled"] >= 1


def test_threshold_comes_from_the_environment_when_not_given(tmp_path):
    script = write_script(tmp_path, INT_KERNEL)

    def loops_hot(threshold):
        env = child_environment(HOTLOOP_THRESHOLD=threshold)
        result = run_hotloop("run", "--stats", tmp_path / "stats.json", script, env=env)
        assert result.returncode == 0, result.stderr
        return json.loads((tmp_path / "stats.json").read_text())["loops_hot"]

    assert loops_hot("2") >= 1
    assert loops_hot("1000000") == 0


@pytest.mark.parametrize(
    "args, env, message",
    [
        (["run"], {}, "one of the arguments SCRIPT -m -c is required"),
        ([], {}, "the following arguments are required: COMMAND"),
        (["compile", "x.py"], {}, "invalid choice: 'compile'"),
        (["run", "--threshold", "0", "x.py"], {}, "argument --threshold: must be an integer from 1 to 4294967295, got '0'"),
        (["run", "--threshold", "ten", "x.py"], {}, "argument --threshold: must be an integer from 1 to 4294967295, got 'ten'"),
        (["run", "--threshold", "4294967296", "x.py"], {}, "got '4294967296'"),
        (["run", "x.py"], {"HOTLOOP_THRESHOLD": "-3"}, "HOTLOOP_THRESHOLD must be an integer from 1 to 4294967295, got '-3'"),
    ],
)
def test_usage_errors_exit_2_with_a_message(tmp_path, args, env, message):
    result = run_hotloop(*args, cwd=tmp_path, env=child_environment(**env))
    assert result.returncode == 2
    assert "usage: python -m hotloop" in result.stderr
    assert message in result.stderr


def test_dump_prints_recorded_and_optimized_ir_of_a_float_kernel(tmp_path):
    script = write_script(tmp_path, FLOAT_KERNEL)
    plain = run_python(script)
    result = run_hotloop("dump", "--threshold", "2", script)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(plain.stdout)
    dump = result.stdout[len(plain.stdout):]
    # The runner's own loops (runpy, posixpath) may come first.
    header = re.search(r"^---- trace \d+: .*script\.py:\d+ in series\(\) line \d+, entries \d+", dump, re.M)
    assert header
    kernel = dump[header.start():].split("\n---- trace ", 1)[0]
    assert "\nrecorded IR:\n" in kernel
    optimized = kernel.split("\noptimized IR:\n", 1)[1]
    assert re.search(r"\b(fmul|fadd)\b", optimized)


def kernel_dump(dump):
    """The part of a dump about `series()`."""
    header = re.search(r"^---- trace \d+: .*script\.py:\d+ in series\(\) line \d+", dump, re.M)
    assert header, dump
    return dump[header.start():].split("\n---- trace ", 1)[0]


def test_dump_passes_shows_the_trace_after_every_pass_ending_with_the_optimized_ir(tmp_path):
    script = write_script(tmp_path, FLOAT_KERNEL)
    result = run_hotloop("dump", "--passes", "--threshold", "2", script)
    assert result.returncode == 0, result.stderr
    kernel = kernel_dump(result.stdout)
    titles = re.findall(r"^(recorded IR|after \w+|optimized IR):$", kernel, re.M)
    assert titles == [
        "recorded IR", "after peel", "after dce", "after identity", "after phi_types", "after carry", "after strengthen",
        "after own",
        "after dce",
        "optimized IR",
    ], titles
    sections = dict(re.findall(r"^(recorded IR|after \w+|optimized IR):\n((?:    .*\n)*)", kernel, flags=re.M))
    assert "---- loop ----" not in sections["recorded IR"] and "---- loop ----" in sections["after peel"]
    # The optimized IR notes how often each instruction exited.
    optimized = re.sub(r"    ; exits \d+$", "", sections["optimized IR"], flags=re.M)
    assert sections["after dce"] == optimized, "the last pass gives the trace that was compiled"


def test_passes_switched_off_by_the_environment_leave_their_work_undone(tmp_path):
    script = write_script(tmp_path, FLOAT_KERNEL.replace("i * 1.5", "i * 1.5 + len(xs)").replace(
        "def series(n):", "xs = [1, 2]\ndef series(n):"))
    plain = run_python(script)
    on = run_hotloop("dump", "--threshold", "2", script)
    off = run_hotloop("dump", "--threshold", "2", script, env=child_environment(HOTLOOP_DISABLE_PASSES="memory"))
    assert on.returncode == off.returncode == 0, (on.stderr, off.stderr)
    assert on.stdout.startswith(plain.stdout) and off.stdout.startswith(plain.stdout)
    body = lambda dump: kernel_dump(dump).split("\noptimized IR:\n", 1)[1].split("---- loop ----", 1)[1]
    # `len(xs)` reads the list's size: before the loop with load forwarding,
    # every turn without it.
    assert "seq.size" not in body(on.stdout), body(on.stdout)
    assert "seq.size" in body(off.stdout), body(off.stdout)


def test_an_unknown_pass_to_switch_off_is_a_value_error_naming_the_known_ones():
    result = run_python("-c", "import hotloop; hotloop.enable()", env=child_environment(HOTLOOP_DISABLE_PASSES="memory,nope"))
    assert result.returncode != 0
    assert "ValueError: HOTLOOP_DISABLE_PASSES='memory,nope': unknown pass \"nope\"" in result.stderr, result.stderr
    assert "memory, bounds, phi_types" in result.stderr
