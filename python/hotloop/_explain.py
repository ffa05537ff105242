"""`python -m hotloop explain` and `run --verbose`: one line per JIT event as it
happens (a trace compiled, a recording aborted, a loop blacklisted, a trace
thrown away, an exit hot enough for a bridge), and with `explain` a summary at
exit of every hot loop that is not running compiled, with the reason, what it
means and what to do about it (docs/why-not-compiled.md lists them all)."""

import itertools
import sys

PREFIX = "hotloop:"


def reason_docs():
    """kind -> (explanation, hint), from the native module's table."""
    from . import _native

    return {kind: (explanation, hint) for kind, explanation, hint in _native.abort_reasons()}


def line_of(code, offset):
    """The source line of the instruction at byte `offset` of `code` (or of
    the nearest instruction before it that has one)."""
    lines = [line for line, _, _, _ in itertools.islice(code.co_positions(), offset // 2 + 1)]
    return next((line for line in reversed(lines) if line is not None), code.co_firstlineno)


def opname_at(code, offset):
    import dis

    raw = code.co_code
    return dis.opname[raw[offset]] if 0 <= offset < len(raw) else "?"


def where(code, offset):
    return f"{code.co_filename}:{line_of(code, offset)}"


def format_event(event):
    """The line shown for one event (see src/events.rs for the fields)."""
    code, what = event["code"], event["event"]
    loop = f"{where(code, event['loop_offset'])} ({code.co_qualname})"
    kind = f" [{event['kind']}]" if event["kind"] else ""
    at = f"line {line_of(code, event['offset'])} {opname_at(code, event['offset'])}"
    if what in ("compiled", "bridge compiled"):
        noun = "trace" if what == "compiled" else "bridge"
        return f"{PREFIX} {noun} compiled for loop {loop} in {event['ms']:.2f} ms"
    if what in ("aborted", "bridge aborted", "not inlined", "left loop"):
        return f"{PREFIX} {what}: loop {loop} at {at}: {event['reason']}{kind}"
    if what == "exit hot":
        return f"{PREFIX} exit hot: loop {loop}, guard {event['reason']} (resumes at line {line_of(code, event['offset'])}): recording a bridge"
    return f"{PREFIX} {what}: loop {loop}: {event['reason']}{kind}"


class Printer:
    """The event hook: prints each event's line to `stream` as it comes."""

    def __init__(self, stream=None):
        self.stream = stream

    def __call__(self, event):
        print(format_event(event), file=self.stream or sys.stderr, flush=True)


def start(stream=None):
    from . import _native

    _native.set_event_hook(Printer(stream))


def summary(stats):
    """Lines about every hot loop not running compiled: why, and the hint."""
    docs = reason_docs()
    waiting = [loop for loop in stats["loops"] if loop["state"] != "compiled"]
    if not waiting:
        return [f"{PREFIX} every hot loop ran compiled ({len(stats['loops'])} loops)"]
    lines = [f"{PREFIX} {len(waiting)} of {len(stats['loops'])} hot loops are not running compiled:"]
    for loop in waiting:
        kind = loop.get("why_kind")
        why = loop.get("why") or "it became hot, but no recording of it finished before the program ended"
        lines.append(f"  {loop['loop']} ({loop['function']}): {loop['state']}: {why}" + (f" [{kind}]" if kind else ""))
        if kind in docs:
            explanation, hint = docs[kind]
            lines.append(f"      means: {explanation}")
            lines.append(f"      hint:  {hint}")
    return lines


def print_summary(stream=None):
    import hotloop

    for line in summary(hotloop.stats()):
        print(line, file=stream or sys.stderr)


def reasons_markdown():
    """docs/why-not-compiled.md, generated from the native table."""
    lines = [
        "# Why a loop is not compiled",
        "",
        "Every reason `python -m hotloop explain` gives, by kind (the name in square",
        "brackets), with what it means and what you can do. Generated from",
        "`tracer/src/abort.rs` by `python -m hotloop reasons`.",
        "",
    ]
    for kind, (explanation, hint) in reason_docs().items():
        lines += [f"## `{kind}`", "", f"{explanation[0].upper()}{explanation[1:]}.", "", f"**Hint:** {hint}.", ""]
    return "\n".join(lines)
