"""Per-module activation: `hotloop.enable(modules=[...])` and `hotloop.activate()`.
Each test runs a small program in a child process, where modules are imported
fresh; the child prints what it saw as JSON."""

import json
import re
import textwrap

import pytest

import hotloop
from support import run_python

pytestmark = pytest.mark.usefixtures("native")

LOOP = """
def work(n):
    total = 0
    for i in range(n):
        total += i
    return total
"""

# What the child reports: the hot loops by file name and state, and the local
# events hotloop's tool has on each module's `work` (0: no callback at all).
REPORT = """
import json, sys, hotloop
def events(module):
    return sys.monitoring.get_local_events(5, sys.modules[module].work.__code__)
loops = {l["loop"].rsplit("/", 1)[-1]: l["state"] for l in hotloop.stats()["loops"]}
print(json.dumps({"loops": loops, "events": {m: events(m) for m in MODULES}}))
"""


def write_modules(tmp_path, **sources):
    for name, source in sources.items():
        path = tmp_path.joinpath(*name.split(".")).with_suffix(".py")
        path.parent.mkdir(parents=True, exist_ok=True)
        for parent in path.relative_to(tmp_path).parents:
            if parent.name:
                tmp_path.joinpath(parent, "__init__.py").touch()
        path.write_text(textwrap.dedent(source))


def run_program(tmp_path, main, modules):
    tmp_path.joinpath("main.py").write_text(
        textwrap.dedent(main) + f"\nMODULES = {modules!r}\n" + REPORT
    )
    completed = run_python("main.py", cwd=tmp_path)
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout.splitlines()[-1]), completed.stderr


def test_only_the_named_modules_and_their_submodules_are_counted_and_compiled(tmp_path):
    write_modules(tmp_path, before=LOOP, after=LOOP, other=LOOP, **{"pkg.sub": LOOP, "pkgx": LOOP})
    report, stderr = run_program(
        tmp_path,
        """
        import hotloop, before, other, pkgx
        hotloop.enable(modules=["before", "after", "pkg"])
        import after, pkg.sub
        for module in (before, after, other, pkg.sub, pkgx):
            assert module.work(3000) == 4498500
        """,
        ["before", "after", "other", "pkg.sub", "pkgx"],
    )
    assert report["loops"] == {"before.py:4": "compiled", "after.py:4": "compiled", "sub.py:4": "compiled"}
    # Loops elsewhere never had a callback: no events, so nothing to count.
    assert report["events"]["other"] == 0 and report["events"]["pkgx"] == 0
    assert report["events"]["before"] != 0 and report["events"]["after"] != 0
    assert stderr == ""


def test_code_no_file_claims_is_decided_by_the_module_it_runs_in(tmp_path):
    write_modules(tmp_path, chosen=LOOP)
    report, _ = run_program(
        tmp_path,
        """
        import hotloop, chosen
        hotloop.enable(modules=["chosen"])
        chosen_ns = {"__name__": "chosen"}
        other_ns = {"__name__": "elsewhere"}
        source = "def work(n):\\n    t = 0\\n    for i in range(n):\\n        t += i\\n    return t\\n"
        exec(compile(source, "<generated>", "exec"), chosen_ns)
        exec(compile(source, "<generated>", "exec"), other_ns)
        assert chosen_ns["work"](3000) == other_ns["work"](3000) == 4498500
        import sys
        # Its first back edge turned its events off.
        assert sys.monitoring.get_local_events(5, other_ns["work"].__code__) == 0
        """,
        ["chosen"],
    )
    assert report["loops"] == {"<generated>:3": "compiled"}


def test_a_module_activates_itself_without_enable(tmp_path):
    write_modules(
        tmp_path,
        selfish="import hotloop\nhotloop.activate()\n" + LOOP,
        plain=LOOP,
    )
    report, _ = run_program(
        tmp_path,
        """
        import hotloop, plain
        assert not hotloop.is_enabled()
        import selfish
        assert hotloop.is_enabled()
        assert selfish.work(3000) == plain.work(3000) == 4498500
        """,
        ["selfish", "plain"],
    )
    assert report["loops"] == {"selfish.py:6": "compiled"}
    assert report["events"]["plain"] == 0


def test_activated_modules_stay_selected_when_enable_names_others(tmp_path):
    write_modules(tmp_path, selfish="import hotloop\nhotloop.activate(__name__)\n" + LOOP, named=LOOP, plain=LOOP)
    report, _ = run_program(
        tmp_path,
        """
        import hotloop, selfish, plain
        hotloop.enable(modules=["named"])
        import named
        for module in (selfish, named, plain):
            assert module.work(3000) == 4498500
        """,
        ["selfish", "named", "plain"],
    )
    assert report["loops"] == {"selfish.py:6": "compiled", "named.py:4": "compiled"}


def test_enable_without_modules_widens_the_selection_again(tmp_path):
    write_modules(tmp_path, first=LOOP, second=LOOP)
    report, _ = run_program(
        tmp_path,
        """
        import hotloop, first, second
        hotloop.enable(modules=["first"])
        assert second.work(3000) == 4498500
        hotloop.enable()
        assert first.work(3000) == second.work(3000) == 4498500
        """,
        ["first", "second"],
    )
    # Every module counts again (the standard library's loops too).
    ours = {loop: state for loop, state in report["loops"].items() if loop.startswith(("first.", "second."))}
    assert ours == {"first.py:4": "compiled", "second.py:4": "compiled"}


def test_unknown_module_names_warn_and_the_program_goes_on(tmp_path):
    write_modules(tmp_path, real=LOOP, **{"pkg.inner": LOOP})
    report, stderr = run_program(
        tmp_path,
        """
        import hotloop, real
        hotloop.enable(modules=["real", "no_such_module", "pkg.missing", "pkg.inner"])
        import sys
        assert "pkg" not in sys.modules  # nothing was imported to find out
        assert real.work(3000) == 4498500
        """,
        ["real"],
    )
    assert report["loops"] == {"real.py:4": "compiled"}
    warning = next(line for line in stderr.splitlines() if "RuntimeWarning" in line)
    assert "RuntimeWarning: hotloop: no module named 'no_such_module', 'pkg.missing' can be found" in warning


@pytest.mark.parametrize(
    "modules, error, message",
    [
        ("pkg", TypeError, "did you mean modules=['pkg']"),
        ([1], TypeError, "module names (str), got int 1"),
        (["a b"], ValueError, "'a b' is not a module name"),
        (["pkg."], ValueError, "'pkg.' is not a module name"),
        ([], ValueError, "pass None to accelerate every module"),
        (42, TypeError, "must be a list of module names, got int"),
    ],
)
def test_bad_modules_raise_a_clear_error(modules, error, message):
    with pytest.raises(error, match=re.escape(message)):
        hotloop.enable(modules=modules)
    assert not hotloop.is_enabled()


def test_activate_rejects_a_bad_name():
    with pytest.raises(ValueError, match="not a module name"):
        hotloop.activate("not a name")
    with pytest.raises(TypeError, match="module names"):
        hotloop.activate(3)
