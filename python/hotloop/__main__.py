"""Command line: run an unchanged script under hotloop, or show what it compiled.

    python -m hotloop run [--threshold N] [--stats FILE] [--verbose] TARGET [ARGS...]
    python -m hotloop dump [--threshold N] [--passes] [--asm] [--only FILE:LINE] TARGET [ARGS...]
    python -m hotloop explain [--threshold N] TARGET [ARGS...]
    python -m hotloop report [--threshold N] [-o FILE] TARGET [ARGS...]
    python -m hotloop reasons

TARGET is SCRIPT, `-m MODULE` or `-c CODE`. `run` behaves exactly like
`python TARGET ARGS...` (argv, sys.path[0], __main__, output, tracebacks, exit
status), with the JIT enabled from the first line.
"""

import builtins
import importlib.machinery
import io
import os
import sys
import types

import hotloop

# The script sees `sys.modules`: modules imported here before it runs would be
# there, which `python SCRIPT` does not do. `runpy`, `importlib.machinery` and
# `types` are imported by `python -m` itself; `argparse` only for help and
# errors (which end the process before the script runs), `json` and `atexit`
# only when asked for stats or a dump.

PROG = "python -m hotloop"
THRESHOLD_ENV = "HOTLOOP_THRESHOLD"


class BadThreshold(ValueError):
    pass


def parse_threshold(text):
    try:
        threshold = int(text)
    except ValueError:
        threshold = 0
    if not 1 <= threshold <= hotloop.MAX_THRESHOLD:
        raise BadThreshold(f"must be an integer from 1 to {hotloop.MAX_THRESHOLD}, got {text!r}")
    return threshold


# What `python` itself takes in place of a script: the flag and what it names.
TARGET_FLAGS = {"-m": "MODULE", "-c": "CODE"}


class Options:
    def __init__(self, command, script, args, **values):
        self.command, self.script, self.args = command, script, args
        self.module = values.get("module")
        self.code = values.get("code")
        self.threshold = values.get("threshold")
        self.stats = values.get("stats")
        self.verbose = values.get("verbose", False)
        self.passes = values.get("passes", False)
        self.asm = values.get("asm", False)
        self.only = values.get("only")
        self.output = values.get("output", DEFAULT_REPORT)


DEFAULT_REPORT = "hotloop-report.html"

# Each command's options: option -> (attribute, takes a value).
THRESHOLD_OPTION = {"--threshold": ("threshold", True)}
COMMAND_OPTIONS = {
    "run": {**THRESHOLD_OPTION, "--stats": ("stats", True), "--verbose": ("verbose", False)},
    "dump": {**THRESHOLD_OPTION, "--passes": ("passes", False), "--asm": ("asm", False), "--only": ("only", True)},
    "explain": THRESHOLD_OPTION,
    "report": {**THRESHOLD_OPTION, "-o": ("output", True), "--output": ("output", True)},
}
ONLY_FORMAT = "FILE:LINE"


def valid_only(text):
    filename, _, line = text.rpartition(":")
    return bool(filename) and line.isdigit()


def parse_plain_arguments(argv):
    """The options of a well-formed command line, read without argparse; None
    for anything else (help, errors, abbreviations), which argparse then reads
    and reports."""
    if not argv or argv[0] not in COMMAND_OPTIONS:
        return None
    command, rest = argv[0], argv[1:]
    known = COMMAND_OPTIONS[command]
    values = {}
    while rest and rest[0].startswith("-") and rest[0] not in TARGET_FLAGS:
        name, has_value, value = rest[0].partition("=")
        if name not in known:
            return None
        attribute, takes_value = known[name]
        if not takes_value:
            if has_value:
                return None
            values[attribute], rest = True, rest[1:]
            continue
        if not has_value and len(rest) < 2:
            return None
        if has_value:
            rest = rest[1:]
        else:
            value, rest = rest[1], rest[2:]
        values[attribute] = value
    if not rest:
        return None
    script = rest[0]
    if script in TARGET_FLAGS:
        if len(rest) < 2:
            return None
        values["module" if script == "-m" else "code"] = rest[1]
        script, rest = None, rest[1:]
    if "threshold" in values:
        try:
            values["threshold"] = parse_threshold(values["threshold"])
        except BadThreshold:
            return None
    if "only" in values and not valid_only(values["only"]):
        return None
    return Options(command, script, rest[1:], **values)


def build_parser():
    import argparse

    def threshold_argument(text):
        try:
            return parse_threshold(text)
        except BadThreshold as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    def only_argument(text):
        if not valid_only(text):
            raise argparse.ArgumentTypeError(f"must be {ONLY_FORMAT} (a file and a line number), got {text!r}")
        return text

    parser = argparse.ArgumentParser(
        prog=PROG, description="A tracing JIT for the hot loops of CPython 3.12."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add_script_command(name, help):
        command = commands.add_parser(name, help=help, description=help)
        command.add_argument(
            "--threshold",
            type=threshold_argument,
            metavar="N",
            help=f"back edges that make a loop hot (default: ${THRESHOLD_ENV}, "
            f"else {hotloop.DEFAULT_THRESHOLD})",
        )
        target = command.add_mutually_exclusive_group(required=True)
        target.add_argument("script", metavar="SCRIPT", nargs="?")
        target.add_argument("-m", dest="module", metavar="MODULE", help="run a module, as `python -m MODULE` would")
        target.add_argument("-c", dest="code", metavar="CODE", help="run CODE, as `python -c CODE` would")
        command.add_argument("args", nargs=argparse.REMAINDER, metavar="ARGS")
        return command

    run = add_script_command("run", "run SCRIPT (or -m MODULE, -c CODE) as `python` would, under hotloop")
    run.add_argument(
        "--stats", metavar="FILE", help="write hotloop.stats() to FILE as JSON at exit"
    )
    run.add_argument(
        "--verbose", action="store_true", help="print a line to stderr for each thing the JIT does, as it does it"
    )
    dump = add_script_command(
        "dump",
        "run SCRIPT like `run`, then print every trace: its source, bytecode, IR, guards, snapshots",
    )
    dump.add_argument(
        "--passes", action="store_true", help="also print each trace after every optimization pass"
    )
    dump.add_argument("--asm", action="store_true", help="also print each trace's machine code")
    dump.add_argument(
        "--only", type=only_argument, metavar=ONLY_FORMAT, help="only the trace of the loop at FILE:LINE"
    )
    add_script_command(
        "explain",
        "run SCRIPT like `run`, print a line to stderr for each thing the JIT does, "
        "and at exit why each hot loop that is not compiled is not",
    )
    report = add_script_command("report", "run SCRIPT like `run`, then write an HTML report of its hot loops")
    report.add_argument(
        "-o", "--output", metavar="FILE", default=DEFAULT_REPORT, help=f"the report's file (default {DEFAULT_REPORT})"
    )
    commands.add_parser("reasons", help="print why loops are not compiled, every reason with its hint (Markdown)")
    return parser


def threshold_from_environment():
    text = os.environ.get(THRESHOLD_ENV)
    if text is None:
        return None
    try:
        return parse_threshold(text)
    except BadThreshold as error:
        build_parser().error(f"{THRESHOLD_ENV} {error}")


def read_script(script):
    """The script's absolute path (CPython 3.9+ names __main__'s code by it) and
    source; exits with CPython's message and status when it cannot be read."""
    filename = os.path.abspath(script)
    try:
        with io.open_code(filename) as file:
            return filename, file.read()
    except OSError as error:
        print(
            f"{PROG}: can't open file {filename!r}: [Errno {error.errno}] {error.strerror}",
            file=sys.stderr,
        )
        sys.exit(2)


def fresh_main_module(filename):
    # The globals CPython gives a script's __main__, in the same order.
    main = types.ModuleType("__main__")
    main.__loader__ = importlib.machinery.SourceFileLoader("__main__", filename)
    main.__annotations__ = {}
    main.__builtins__ = builtins
    main.__file__ = filename
    main.__cached__ = None
    return main


# Warnings issued through the C API while compiling (constant folding `~True`)
# are attributed to the calling Python frame. `python SCRIPT` compiles with no
# frame at all, which the warnings module reports as "sys:1"; compiling from a
# frame that looks the same keeps such warnings, and their filtering, identical.
# `python SCRIPT` also keeps the syntax tree alive while the script runs, and
# with it a reference to each constant it parsed (`sys.getrefcount` of a
# non-ASCII str literal sees it): parsing first and keeping the tree does too.
# 1024 is `ast.PyCF_ONLY_AST` (importing `ast` would show in `sys.modules`).
compile_like_python = eval(
    compile(
        "lambda source, filename: (lambda tree: (tree, compile(tree, filename, 'exec', dont_inherit=True)))"
        "(compile(source, filename, 'exec', 1024, dont_inherit=True))",
        "sys",
        "eval",
    ),
    {"__name__": "sys"},
)


def run_script(script, args):
    filename, source = read_script(script)
    sys.argv = [script, *args]
    if not sys.flags.safe_path:
        # `-m` put the working directory first; `python SCRIPT` puts the script's.
        sys.path[0] = os.path.dirname(os.path.realpath(filename))
    main = fresh_main_module(filename)
    sys.modules["__main__"] = main
    code = None
    try:
        tree, code = compile_like_python(source, filename)
        exec(code, main.__dict__)
        del tree
    except SystemExit:
        raise
    except BaseException as error:
        raise_as_uncaught(error, code)


def startup_main_module():
    """`__main__` as CPython makes it at startup, before `-c` or `-m` run in it."""
    main = types.ModuleType("__main__")
    main.__loader__ = importlib.machinery.BuiltinImporter
    main.__annotations__ = {}
    main.__builtins__ = builtins
    return main


def run_code(code_text, args):
    """As `python -c CODE ARGS...`: argv[0] is '-c', sys.path[0] is ''."""
    sys.argv = ["-c", *args]
    if not sys.flags.safe_path:
        sys.path[0] = ""
    main = sys.modules["__main__"] = startup_main_module()
    code = None
    try:
        code = compile(code_text, "<string>", "exec", dont_inherit=True)
        exec(code, main.__dict__)
    except SystemExit:
        raise
    except BaseException as error:
        raise_as_uncaught(error, code)


def run_module(module, args):
    """As `python -m MODULE ARGS...`, through the function of `runpy` that
    `python -m` calls: it finds the module, sets argv[0] to its file and runs
    it as `__main__` (sys.path[0] is the working directory already)."""
    import runpy

    sys.argv = ["-m", *args]
    # runpy runs the module in the namespace of `__main__`, which is this
    # module until then.
    sys.modules["__main__"] = startup_main_module()
    try:
        runpy._run_module_as_main(module)
    except SystemExit:
        raise
    except BaseException as error:
        raise_as_uncaught(error, runpy._run_module_as_main.__code__)


def raise_as_uncaught(error, first_code):
    """Print `error` exactly as CPython prints an exception that escapes a script,
    i.e. without this module's frames (the traceback starts at `first_code`),
    then end the process as CPython would."""
    traceback = error.__traceback__
    while traceback is not None and traceback.tb_frame.f_code is not first_code:
        traceback = traceback.tb_next
    sys.excepthook(type(error), error.with_traceback(traceback), traceback)
    # Propagating the exception makes CPython pick the exit (status 1, or death by
    # SIGINT for KeyboardInterrupt); its hook must not print a second time.
    sys.excepthook = lambda *exc_info: None
    raise error


def print_traces(passes=False, asm=False, only=None):
    from hotloop import _traces

    traces = hotloop.traces(passes=passes, asm=asm)
    if not traces:
        aborts = hotloop.stats()["aborts"]
        reasons = ", ".join(f"{reason} x{count}" for reason, count in sorted(aborts.items()))
        print(f"hotloop: no trace was compiled (recordings aborted: {reasons or 'none'})")
        return
    chosen = [trace for trace in traces if only is None or _traces.matches(trace, only)]
    if not chosen:
        names = ", ".join(trace.name for trace in traces)
        print(f"hotloop: no trace of a loop at {only}; the traces are of {names}")
    for number, trace in enumerate(traces, 1):
        if trace in chosen:
            print(trace.text(number))


def write_report(path):
    from hotloop import _report

    try:
        _report.write(path, hotloop.stats(), hotloop.traces())
    except OSError as error:
        print(f"hotloop: cannot write the report to {path}: {error.strerror or error}", file=sys.stderr)
    else:
        print(f"hotloop: report written to {path}", file=sys.stderr)


def main():
    if sys.argv[1:] == ["reasons"]:
        from hotloop import _explain

        print(_explain.reasons_markdown())
        return
    options = parse_plain_arguments(sys.argv[1:]) or build_parser().parse_args()
    threshold = options.threshold
    if threshold is None:
        threshold = threshold_from_environment()
    modules = None
    if os.environ.get("HOTLOOP_MODULES"):
        from hotloop import _environ

        modules = _environ.modules()
        if modules == ():
            build_parser().error("HOTLOOP_MODULES names no valid module")
    if options.command == "report" and not _writable(options.output):
        print(f"hotloop: cannot write the report to {options.output}; the script runs without one", file=sys.stderr)
        options.output = None
    # Registered before the script's own handlers, so these run after them.
    if options.command in ("dump", "explain", "report"):
        import atexit

        if options.command == "dump":
            atexit.register(print_traces, options.passes, options.asm, options.only)
        elif options.command == "explain":
            from hotloop import _explain

            atexit.register(_explain.print_summary)
        elif options.output is not None:
            atexit.register(write_report, os.path.abspath(options.output))
    if options.stats is not None or os.environ.get("HOTLOOP_STATS"):
        from hotloop import _environ

        path = os.path.abspath(options.stats) if options.stats is not None else _environ.stats_path()
        if path is not None:
            _environ.write_stats_at_exit(path)
    if options.command == "explain" or options.verbose:
        from hotloop import _explain

        _explain.start()
    if options.command == "report":
        hotloop._native.set_timing(True)
    if modules is None:
        hotloop.enable(threshold)
    else:
        _environ.enable_for_modules(threshold, modules)
    if options.module is not None:
        run_module(options.module, options.args)
    elif options.code is not None:
        run_code(options.code, options.args)
    else:
        run_script(options.script, options.args)


def _writable(path):
    from hotloop import _environ

    return _environ.writable(os.path.abspath(path))


if __name__ == "__main__":
    main()
