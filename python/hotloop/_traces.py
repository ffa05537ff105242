"""`hotloop.traces()`'s objects and `python -m hotloop dump`'s text: for each
compiled trace, the views LuaJIT's -jdump gives, as strings that refer back to
the source: the loop's source lines, its bytecode, the recorded IR, the IR
after each pass (on request), the optimized IR with each guard's exit count,
the snapshots with their source lines, and the machine code (on request)."""

from ._explain import line_of


class Trace:
    """One compiled trace. Its views are attributes (str, or None when not
    asked for): source, bytecode, recorded_ir, passes (a list of (pass name,
    IR)), optimized_ir, guards, snapshots, asm. `str(trace)` is all of them as
    `dump` prints them. Item access (trace["name"]) works as for a dict."""

    def __init__(self, native):
        self.name = native["name"]
        self.filename = native["filename"]
        self.line = native["line"]
        self.function = native["function"]
        self.header_offset = native["header_offset"]
        self.entries = native["entries"]
        self.exits = native["exits"]
        self.code_size = native["code_size"]
        self.recorded_ir = native["recorded_ir"]
        self.optimized_ir = native["optimized_ir"]
        self.passes = native.get("passes")
        self.asm = native.get("asm")
        self.code = native["code"]
        self._loop_end = None

    @property
    def loop_end(self):
        """The offset of the loop's back edge (found once, with `dis`)."""
        if self._loop_end is None:
            self._loop_end = loop_end(self.code, self.header_offset)
        return self._loop_end

    # The views that read the code object are made when first asked for:
    # `dis` and `linecache` have loops of their own, which hotloop would count.

    @property
    def source(self):
        return source_view(self.code, self.header_offset, self.loop_end)

    @property
    def bytecode(self):
        return bytecode_view(self.code, self.header_offset, self.loop_end)

    @property
    def guards(self):
        return guards_view(self.optimized_ir, self.exits, self.code)

    @property
    def snapshots(self):
        return snapshots_view(self.optimized_ir, self.exits, self.code)

    KEYS = (
        "name", "filename", "line", "function", "header_offset", "entries", "exits", "code_size", "code",
        "source", "bytecode", "recorded_ir", "passes", "optimized_ir", "guards", "snapshots", "asm",
    )

    def __getitem__(self, key):
        if key not in self.KEYS:
            raise KeyError(key)
        return getattr(self, key)

    def __iter__(self):
        return iter(self.KEYS)

    def keys(self):
        return self.KEYS

    def get(self, key, default=None):
        return getattr(self, key, default)

    def views(self):
        """(title, text) for every view there is, in reading order."""
        views = [("source", self.source), ("bytecode", self.bytecode), ("recorded IR", self.recorded_ir)]
        views += [(f"after {name}", ir) for name, ir in self.passes or ()]
        views += [("optimized IR", annotate_exits(self.optimized_ir, self.exits))]
        views += [("guards", self.guards), ("snapshots", self.snapshots)]
        if self.asm is not None:
            views.append(("machine code", self.asm))
        return views

    def header(self, number=None):
        taken = sum(self.exits.values())
        label = f"trace {number}: {self.name}" if number is not None else f"trace {self.name}"
        return (
            f"---- {label} in {self.function}() line {self.line}, entries {self.entries}, "
            f"exits taken {taken}, {self.code_size} bytes of machine code"
        )

    def __str__(self):
        return self.text()

    def text(self, number=None):
        """Every view under its title, as `dump` prints the trace numbered `number`."""
        parts = [self.header(number)]
        for title, text in self.views():
            parts.append(f"{title}:")
            parts.extend(f"    {line}" for line in text.rstrip("\n").splitlines())
        return "\n".join(parts) + "\n"

    def __repr__(self):
        return f"<hotloop trace {self.name} in {self.function}()>"


def loop_end(code, header):
    """The offset of the loop's back edge: the last jump back to `header`."""
    import dis

    ends = [i.offset for i in dis.get_instructions(code) if i.opname.startswith("JUMP_BACKWARD") and i.argval == header]
    return max(ends, default=header)


def source_view(code, header, end):
    import linecache

    first, last = line_of(code, header), line_of(code, end)
    lines = []
    for number in range(min(first, last), max(first, last) + 1):
        text = linecache.getline(code.co_filename, number).rstrip()
        lines.append(f"{number:5}  {text}")
    if not any(line[7:].strip() for line in lines):
        return f"(source of {code.co_filename} not available)"
    return "\n".join(lines)


def bytecode_view(code, header, end):
    import dis

    lines = []
    for instruction in dis.get_instructions(code):
        if header <= instruction.offset <= end:
            line = instruction.positions.lineno if instruction.positions else None
            argument = instruction.argrepr or ("" if instruction.arg is None else str(instruction.arg))
            where = f"{line:5}" if line is not None else "     "
            lines.append(f"{where}  {instruction.offset:5}  {instruction.opname:<24} {argument}".rstrip())
    return "\n".join(lines)


def snapshot_line(line):
    """(number, pc) of a snapshot line ("#3    pc=150 depth=4 [...]"), or None."""
    number, _, rest = line.partition(" ")
    pc = rest.strip().split(" ", 1)[0]
    if number[1:].isdigit() and number.startswith("#") and pc.startswith("pc=") and pc[3:].isdigit():
        return int(number[1:]), int(pc[3:])
    return None


def guard_line(line):
    """(ref, snapshot) of an instruction that can exit ("%6  guard_true %5 #0"), or None."""
    words = line.split()
    if len(words) > 1 and words[0].startswith("%") and words[-1].startswith("#") and words[-1][1:].isdigit():
        return words[0], int(words[-1][1:])
    return None


def snapshot_pcs(ir):
    return dict(filter(None, map(snapshot_line, ir_lines(ir))))


def ir_lines(ir):
    return [line.strip() for line in ir.splitlines()]


def guards_view(ir, exits, code):
    """Every instruction that can exit, with its snapshot, the source line the
    interpreter resumes at, and how often it exited."""
    pcs = snapshot_pcs(ir)
    lines = []
    for line in ir_lines(ir):
        guard = guard_line(line)
        if not guard:
            continue
        ref, snap = guard
        pc = pcs.get(snap)
        resumes = f"line {line_of(code, pc)}" if pc is not None else "?"
        operation = line[len(ref):].rsplit("#", 1)[0].split()
        if operation and operation[0] in ("i64", "f64", "bool", "obj"):
            operation = operation[1:]  # the result's type: the view is about the check
        lines.append(f"{ref:>6}  {' '.join(operation):<40} #{snap:<4} resumes at {resumes:<10} exits {exits.get(ref, 0)}")
    if "loop" in exits:
        lines.append(f"{'loop':>6}  {'eval breaker at the loop top':<40} {'':6} {'':21} exits {exits['loop']}")
    return "\n".join(lines)


def snapshots_view(ir, exits, code):
    """Every snapshot with the source line it resumes at, and how often the
    instructions that exit through it did."""
    taken = {}
    for guard in filter(None, map(guard_line, ir_lines(ir))):
        ref, snap = guard
        taken[snap] = taken.get(snap, 0) + exits.get(ref, 0)
    lines = []
    for line in ir_lines(ir):
        snapshot = snapshot_line(line)
        if snapshot:
            number, pc = snapshot
            lines.append(f"{line}    ; line {line_of(code, pc)}, exits {taken.get(number, 0)}")
    return "\n".join(lines)


def annotate_exits(ir, exits):
    """The IR with `; exits N` after each instruction that exited."""
    annotated = []
    for line in ir.rstrip("\n").splitlines():
        ref = line.split(maxsplit=1)[0] if line.strip() else ""
        taken = exits.get(ref)
        annotated.append(f"{line}    ; exits {taken}" if taken else line)
    return "\n".join(annotated)


def matches(trace, where):
    """Whether `trace` is of the loop `where` names: FILE:LINE, where FILE is
    the file's path or its tail (`kernel.py`, `pkg/kernel.py`) and LINE any
    line of the loop, from its header to its back edge."""
    filename, _, line = where.rpartition(":")
    path = trace.filename.replace("\\", "/")
    if not (path == filename or path.endswith("/" + filename.lstrip("/"))):
        return False
    first = line_of(trace.code, trace.header_offset)
    last = line_of(trace.code, trace.loop_end)
    return int(line) == trace.line or min(first, last) <= int(line) <= max(first, last)
