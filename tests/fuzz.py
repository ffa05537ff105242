"""Differential fuzzer for hotloop: generated programs must behave exactly the same
under plain CPython and under `python -m hotloop run --threshold N`.

    python tests/fuzz.py --count 200                 # seeds 0..199, 2 parallel workers
    python tests/fuzz.py --count 100000              # a long run
    python tests/fuzz.py --count 50 --seed 1000 --jobs 4 --stats
    python tests/fuzz.py --show 17                   # print the program of seed 17
    python tests/fuzz.py --shrink fuzz-failures/17.py   # cut a failing program down

Every seed makes one whole program (random.Random(seed) decides everything): a few
functions whose loops (`for ... in range`, `while`, nested, with break/continue and
early returns) compute over locals of declared kinds (int, float, bool, or "num" that
switches between int and float), with all the arithmetic, comparisons, branches,
globals, builtins and math functions the JIT compiles, plus the things it must
only survive: type changes midway, big ints, exceptions raised inside loops,
globals and builtins rebound between calls, lists/dicts/strings/user calls inside
loops, `del` of locals, and `is` between names bound to one computed object.
Module-level code calls each function several times with varied arguments, so
loops get hot at the chosen threshold and their exits and bridges are taken.

Each program runs twice in a subprocess (plain, then under hotloop with
`--stats`), and stdout, stderr and the exit status must be identical. A mismatch
is written to fuzz-failures/<seed>.py in the current directory. The stats tell
whether the program compiled anything, so a generator that stopped exercising the
JIT shows up in the summary (and fails tests/test_fuzz.py).
"""

import argparse
import ast
import concurrent.futures
import copy
import dataclasses
import difflib
import glob
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
PACKAGE_DIR = REPO / "python"

# A plain run takes well under a second; a JIT bug that hangs must not stall the run.
CHILD_TIMEOUT_SECONDS = 20
THRESHOLDS = (1, 2, 5)

# ---------------------------------------------------------------------------
# The generator
# ---------------------------------------------------------------------------

# Declared kinds of locals and globals. A value of kind INT may also be a bool at
# run time (bools are ints); NUM is "int or float, not known which", so bitwise
# operators never see it without a conversion.
INT, FLOAT, BOOL, NUM = "int", "float", "bool", "num"

# Small constants dominate so arithmetic stays interesting; the large ones sit at
# the edges the JIT cares about (i64 overflow, 2**53 float precision, small-int cache).
SMALL_INTS = [0, 1, 2, 3, 4, 5, 7, 9, 10, 13, -1, -2, -3, -7]
EDGE_INTS = [
    "100", "255", "256", "257", "1000", "12345", "65535", "1000003",
    "2**31 - 1", "2**31", "2**32", "2**53 + 1", "2**62", "2**63 - 1", "-2**63",
    "2**63", "2**64 + 1", "10**18", "-(10**18)", "10**20",
]
PLAIN_FLOATS = ["0.5", "1.0", "1.5", "2.0", "2.5", "3.0", "0.1", "0.25", "-1.5", "-2.75", "123.456", "7.0", "10.0"]
EDGE_FLOATS = [
    "0.0", "-0.0", "1e-300", "1e300", "1.7976931348623157e308", "5e-324",
    "9007199254740992.0", "9007199254740993.0", "1e16", "-1e16", "4.5e15", "0.1e-5",
    "math.pi", "math.e",
]
# Special floats come from globals or math attributes, as programs would write them.
SPECIAL_FLOATS = ["NAN", "INF", "-INF", "math.inf", "math.nan", "NEG_ZERO"]

# Moduli and bounds that keep ints bounded. Most fit in 64 bits: the JIT does not
# compile a loop that mentions a bigger constant, so those are rarer on purpose.
INT_MODULI = ["7", "97", "1000", "1009", "65536", "1000003", "(2**31 - 1)", "(2**61 - 1)"] * 3 + ["(2**64 + 13)", "(2**89 - 1)"]
INT_BOUNDS = ["2**20", "2**40", "2**62", "(2**63 - 1)"] * 3 + ["2**63", "2**64", "2**100"]
FLOAT_BOUNDS = ["1e6", "1e12", "1e15", "1e100", "1e300"]
FLOAT_MODULI = ["7.0", "1000.0", "0.5", "1e9", "2.5"]

MATH_FLOAT_FUNCTIONS = ["sqrt", "exp", "log", "log10", "sin", "cos", "tan", "atan", "fabs"]
MATH_INT_FUNCTIONS = ["floor", "ceil", "trunc"]


def weighted_choice(rng, weights):
    """A key of `weights` (a dict of key -> non-negative weight), drawn by weight."""
    keys = [key for key, weight in weights.items() if weight > 0]
    return rng.choices(keys, [weights[key] for key in keys])[0]


def strip_parens(text):
    """`(a + b)` -> `a + b` when the outer parentheses wrap the whole text."""
    if not (text.startswith("(") and text.endswith(")")):
        return text
    depth = 0
    for position, char in enumerate(text):
        depth += char == "("
        depth -= char == ")"
        if depth == 0 and position != len(text) - 1:
            return text
    return text[1:-1]


@dataclasses.dataclass
class Variable:
    name: str
    kind: str
    # How assignments keep the value bounded (see FunctionGenerator.clamp_lines):
    # "mod" wraps every assigned value, "cond_mod"/"cond_reset" fix it up only when
    # it leaves (-bound, bound), "none" lets floats run into inf and nan.
    clamp: str = "none"
    bound: str = ""
    modulus: str = ""
    reset: str = ""


@dataclasses.dataclass
class Loop:
    index: str  # readable inside the loop only (a `for` over an empty range leaves it unbound)
    is_while: bool


@dataclasses.dataclass
class GeneratedFunction:
    name: str
    params: list  # (name, kind, unclamped) for the value parameters after `n`
    source: list  # lines
    features: set


@dataclasses.dataclass
class GeneratedProgram:
    seed: int
    threshold: int
    source: str
    features: set


class ProgramGenerator:
    """Builds one program's source from one seed."""

    def __init__(self, seed, identity=True):
        self.seed = seed
        self.rng = random.Random(seed)
        # `is` / `is not` between names, or `==` / `!=` in their place: the same
        # program otherwise, for hunting other bugs while identity bugs are known.
        self.identity_operators = ("is", "is not") if identity else ("==", "!=")
        self.globals = []  # Variables at module level, read (and sometimes written) by functions
        self.helpers = []  # names of user functions that loops may call (the JIT falls back)
        self.features = set()

    def generate(self):
        rng = self.rng
        threshold = rng.choice(THRESHOLDS)
        header = [
            f"# hotloop fuzz program, seed {self.seed} (generated by tests/fuzz.py)",
            f"# compare: python prog.py  vs  python -m hotloop run --threshold {threshold} prog.py",
            "import math",
            "",
            'NAN = float("nan")',
            'INF = float("inf")',
            "NEG_ZERO = -0.0",
        ]
        for number in range(rng.randint(1, 4)):
            kind = rng.choice([INT, INT, FLOAT, NUM, BOOL])
            variable = Variable(f"G{number}", kind)
            self.globals.append(variable)
            header.append(f"{variable.name} = {self.global_value(variable)}")
        header.append("")
        if rng.random() < 0.35:
            header += self.helper_functions()
        header += [
            "",
            "def show(label, function, *args):",
            "    # Exceptions are part of the behaviour compared: print type and message.",
            "    try:",
            "        result = function(*args)",
            "    except Exception as error:",
            '        print(label, "raised", type(error).__name__, error)',
            "    else:",
            "        print(label, repr(result))",
            "",
        ]

        functions = []
        for number in range(rng.randint(1, 4)):
            generator = FunctionGenerator(self, f"f{number}")
            functions.append(generator.generate())
            self.features |= generator.features
        body = []
        for function in functions:
            body += function.source + [""]
        body += self.module_calls(functions)
        source = "\n".join(header + [""] + body) + "\n"
        return GeneratedProgram(self.seed, threshold, source, self.features)

    # -- module level -------------------------------------------------------

    def global_value(self, variable, keep_kind=True):
        rng = self.rng
        kind = variable.kind
        if not keep_kind:
            return self.small_value_of_any_kind()
        if kind == INT:
            return str(rng.choice(SMALL_INTS + ["100", "1000003", "2**62", "2**64 + 1"]))
        if kind == FLOAT:
            return rng.choice(PLAIN_FLOATS + ["-0.0", "1e300", "NAN", "INF"])
        if kind == BOOL:
            return rng.choice(["True", "False"])
        return rng.choice([str(rng.choice(SMALL_INTS)), rng.choice(PLAIN_FLOATS)])

    def small_value_of_any_kind(self):
        """A value for a variable of another kind, to trip the type guards. Small, since
        `y ** y` meant for floats must not meet 2**53 + 1."""
        return self.rng.choice([str(self.rng.choice(SMALL_INTS)), self.rng.choice(PLAIN_FLOATS), "True", "False"])

    def helper_functions(self):
        """User functions called from loops: a call of one makes the JIT fall back."""
        lines = []
        for number in range(self.rng.randint(1, 2)):
            name = f"helper{number}"
            self.helpers.append(name)
            if self.rng.random() < 0.5:
                lines += [f"def {name}(a, b):", f"    return (a * {self.rng.choice([2, 3, 5])} - b) % 1009", ""]
            else:
                # A helper with its own loop: hot loops in a callee of a hot loop.
                lines += [
                    f"def {name}(a, b):",
                    "    total = 0",
                    f"    for q in range({self.rng.randint(2, 6)}):",
                    "        total += (a - q * b) % 101",
                    "    return total",
                    "",
                ]
        return lines

    def call_arguments(self, function):
        """Arguments for one call: a loop count and a value for each parameter, mostly
        of its declared kind, sometimes not (the type guards must catch that)."""
        rng = self.rng
        # Mostly short and medium loops; now and then a long one, where compiled code
        # runs long enough for late exits and bridges.
        count = rng.choice([0, 1, 2, 3, 5, 8, 13, 20, 30, 50, 64, 100, 150, 200, 300, 300, 600, 1000])
        arguments = [str(count)]
        for _, kind, unclamped in function.params:
            # An unclamped float given an int could square itself into a huge int.
            if rng.random() < 0.08 and not unclamped:
                arguments.append(self.small_value_of_any_kind())
            elif kind == INT:
                arguments.append(rng.choice([str(rng.choice(SMALL_INTS))] * 3 + EDGE_INTS))
            elif kind == FLOAT:
                arguments.append(rng.choice(PLAIN_FLOATS * 2 + EDGE_FLOATS + SPECIAL_FLOATS))
            elif kind == BOOL:
                arguments.append(rng.choice(["True", "False"]))
            else:
                arguments.append(rng.choice([str(rng.choice(SMALL_INTS)), rng.choice(PLAIN_FLOATS), "2**63", "-0.0"]))
        return arguments

    def module_calls(self, functions):
        rng = self.rng
        lines = []
        shadowing = rng.random() < 0.2
        shadow_at = rng.randint(1, 3)
        uncaught_last = rng.random() < 0.12
        calls = []
        for round_number in range(rng.randint(3, 6)):
            for function in functions:
                calls.append((round_number, function))
        rng.shuffle(calls)
        calls.sort(key=lambda call: call[0])  # rounds in order, functions mixed within each
        shadowed = None
        for position, (round_number, function) in enumerate(calls):
            if shadowing and shadowed is None and round_number == shadow_at:
                shadowed = self.shadow_builtin(lines)
            elif shadowed is not None and round_number == shadow_at + 2 and shadowed != "done":
                lines += self.unshadow_builtin(shadowed)
                shadowed = "done"
            if self.globals and rng.random() < 0.15:
                # Rebinding a global between calls: compiled loops that read it must see the new value.
                variable = rng.choice(self.globals)
                value = self.global_value(variable, keep_kind=rng.random() < 0.85)
                lines.append(f"{variable.name} = {value}")
                self.features.add("global rebound")
            deleted = None
            if self.globals and rng.random() < 0.01:
                # A global the loops read is gone for one call: NameError from inside the loop.
                deleted = rng.choice(self.globals)
                lines.append(f"del {deleted.name}")
                self.features.add("global deleted")
            arguments = ", ".join(self.call_arguments(function))
            label = f"{function.name}#{position}"
            if uncaught_last and position == len(calls) - 1:
                # No handler: the traceback itself is compared.
                lines.append(f"print({label!r}, repr({function.name}({arguments})))")
                self.features.add("uncaught")
            else:
                lines.append(f"show({label!r}, {function.name}, {arguments})")
            if deleted is not None:
                lines.append(f"{deleted.name} = {self.global_value(deleted)}")
        if rng.random() < 0.1:
            lines += self.module_level_loop()
        return lines

    def shadow_builtin(self, lines):
        """Define a global that shadows a builtin the functions may call (or replace a
        math function), after the functions' loops have compiled against the original."""
        self.features.add("builtin shadowed")
        name = self.rng.choice(["abs", "min", "max", "float", "int", "isinstance", "math.sqrt", "math.floor"])
        replacements = {
            "abs": "def abs(x):\n    return -x",
            "min": "def min(a, b):\n    return b",
            "max": "def max(a, b):\n    return a if a > b else b + 0",
            "float": "def float(x):\n    return x * 1.0 + 0.0",
            "int": "def int(x):\n    return math.trunc(x)",
            "isinstance": "def isinstance(x, kind):\n    return type(x) is kind",
            "math.sqrt": "saved_sqrt = math.sqrt\nmath.sqrt = lambda x: abs(x) ** 0.5",
            "math.floor": "saved_floor = math.floor\nmath.floor = lambda x: math.ceil(x) - 1",
        }
        lines += replacements[name].split("\n")
        return name

    def unshadow_builtin(self, name):
        if name == "math.sqrt":
            return ["math.sqrt = saved_sqrt"]
        if name == "math.floor":
            return ["math.floor = saved_floor"]
        return [f"del {name}"]

    def module_level_loop(self):
        """A loop at module level: its variables are globals (LOAD_NAME/STORE_NAME)."""
        self.features.add("module loop")
        generator = FunctionGenerator(self, "module", module_level=True)
        return generator.generate_module_loop()


class FunctionGenerator:
    """Builds one function: locals of declared kinds, loops over them, a result tuple."""

    def __init__(self, program, name, module_level=False):
        self.program = program
        self.rng = program.rng
        self.name = name
        self.module_level = module_level
        self.locals = []
        self.loops = []  # enclosing loops while generating a body
        self.lines = []
        self.features = set()
        self.excluded = set()  # names an expression must not read (just deleted)
        self.aliases = []  # (alias, variable): `alias is variable` is part of the result
        self.uses_list = self.uses_dict = self.uses_text = False
        self.written_globals = []
        self.loop_names = 0
        rng = self.rng
        # Optional features, decided once per function so most functions stay
        # fully compilable and the rest each stress one fallback path.
        self.allow_fallback = rng.random() < 0.15
        self.allow_type_change = rng.random() < 0.2
        self.allow_del = rng.random() < 0.08
        self.allow_try = rng.random() < 0.1
        self.allow_global_write = not module_level and program.globals and rng.random() < 0.1

    # -- output ---------------------------------------------------------------

    def emit(self, indent, text):
        for line in text.split("\n"):
            self.lines.append("    " * indent + line)

    # -- variables --------------------------------------------------------------

    def new_local(self, kind):
        rng = self.rng
        prefix = {INT: "x", FLOAT: "y", BOOL: "b", NUM: "z"}[kind]
        name = f"{prefix}{len(self.locals)}"
        if self.module_level:
            name = "m_" + name
        variable = Variable(name, kind)
        if kind == INT:
            variable.clamp = rng.choice(["mod", "cond_mod", "cond_mod", "cond_reset"])
            variable.bound = rng.choice(INT_BOUNDS)
            variable.modulus = rng.choice(INT_MODULI)
            variable.reset = str(rng.choice(SMALL_INTS))
        elif kind == FLOAT:
            variable.clamp = rng.choice(["none", "cond_reset", "cond_reset", "mod"])
            variable.bound = rng.choice(FLOAT_BOUNDS)
            variable.modulus = rng.choice(FLOAT_MODULI)
            variable.reset = rng.choice(PLAIN_FLOATS)
        elif kind == NUM:
            variable.clamp = rng.choice(["cond_reset", "cond_mod"])
            variable.bound = rng.choice(["1000", "2**40", "2**64", "1e15"])
            variable.modulus = rng.choice(["1000", "7", "2.5", "65536"])
            variable.reset = rng.choice([str(rng.choice(SMALL_INTS)), rng.choice(PLAIN_FLOATS)])
        self.locals.append(variable)
        return variable

    def readable(self, kinds):
        return [v for v in self.locals if v.kind in kinds and v.name not in self.excluded]

    def loop_indices(self):
        return [loop.index for loop in self.loops]

    # -- expressions ------------------------------------------------------------

    def constant(self, kind):
        rng = self.rng
        if kind == NUM:
            kind = rng.choice([INT, FLOAT])
        if kind == INT:
            if rng.random() < 0.8:
                value = str(rng.choice(SMALL_INTS))
            else:
                value = rng.choice(EDGE_INTS)
        else:
            roll = rng.random()
            if roll < 0.7:
                value = rng.choice(PLAIN_FLOATS)
            elif roll < 0.93:
                value = rng.choice(EDGE_FLOATS)
            else:
                value = rng.choice(SPECIAL_FLOATS)
        if value.startswith("-") or "*" in value or " " in value:
            value = f"({value})"
        return value

    def leaf(self, want):
        """A variable, loop index, global or constant of kind `want`."""
        rng = self.rng
        # Bools are ints too, and arithmetic on them is compiled; now and then one joins.
        bools = [v.name for v in self.readable({BOOL})]
        if want == INT:
            candidates = [v.name for v in self.readable({INT})]
            if bools and rng.random() < 0.3:
                candidates.append(rng.choice(bools))
            candidates += self.loop_indices() * 2
            candidates += [g.name for g in self.program.globals if g.kind == INT]
        elif want == FLOAT:
            candidates = [v.name for v in self.readable({FLOAT})]
            candidates += [g.name for g in self.program.globals if g.kind == FLOAT]
        else:
            candidates = [v.name for v in self.readable({INT, FLOAT, NUM})]
            candidates += self.loop_indices()
            candidates += [g.name for g in self.program.globals if g.kind != BOOL]
            if bools and rng.random() < 0.2:
                candidates.append(rng.choice(bools))
        if candidates and rng.random() < 0.75:
            return rng.choice(candidates)
        return self.constant(want)

    def expr(self, want, depth=None):
        """Source of an expression of kind `want` (INT, FLOAT or NUM), at most `depth`
        operators deep so values and their printing stay bounded."""
        rng = self.rng
        if depth is None:
            depth = rng.choice([1, 1, 2, 2, 2, 3])
        if depth <= 0 or rng.random() < 0.2:
            return self.leaf(want)
        if want == NUM:
            roll = rng.random()
            if roll < 0.4:
                want = INT
            elif roll < 0.8:
                want = FLOAT
            else:
                return self.mixed_expr(depth)
        if want == INT:
            return self.int_expr(depth)
        return self.float_expr(depth)

    def divisor(self, kind, depth):
        """Mostly divisors that cannot be zero; sometimes ones that can, so
        ZeroDivisionError is raised from inside loops now and then."""
        rng = self.rng
        roll = rng.random()
        if roll < 0.5:
            if kind == INT:
                value = rng.choice([2, 3, 4, 7, 10, 16, 97, 1000, -3, -8])
                return f"({value})" if value < 0 else str(value)
            return rng.choice(["2.0", "0.5", "3.0", "1.5", "(-2.5)", "7.0", "1e-3", "1e10"])
        if roll < 0.8:
            if kind == INT:
                return f"({self.expr(INT, depth - 1)} | 1)"
            return f"(abs({self.expr(NUM, depth - 1)}) + 1)"
        if roll < 0.96:
            return self.leaf(kind)
        return self.expr(kind, depth - 1)

    def int_expr(self, depth):
        rng = self.rng
        sub = depth - 1
        form = weighted_choice(rng, {
            "arith": 10, "floordiv": 2, "mod": 3, "pow": 1.5, "shift": 2, "bitwise": 3,
            "unary": 1.5, "abs": 1, "minmax": 1.5, "from_float": 1.5, "bool_arith": 1, "ternary": 0.4,
        })
        if form == "arith":
            op = rng.choice(["+", "-", "*", "+", "-"])
            return f"({self.expr(INT, sub)} {op} {self.expr(INT, sub)})"
        if form == "floordiv":
            return f"({self.expr(INT, sub)} // {self.divisor(INT, depth)})"
        if form == "mod":
            return f"({self.expr(INT, sub)} % {self.divisor(INT, depth)})"
        if form == "pow":
            # Small exponents only: repeated squaring of a loop-carried value would
            # grow without bound between clamps.
            base = self.expr(INT, min(sub, 1))
            exponent = rng.choice(["0", "1", "2", "2", "3", f"({self.leaf(INT)} % 4)", f"({self.leaf(INT)} & 3)"])
            return f"({base} ** {exponent})"
        if form == "shift":
            if rng.random() < 0.5:
                amount = rng.choice(["0", "1", "2", "3", "7", "13", "31", "32", "62", "63", "64", "65"])
            else:
                # `% 67 - 2` is negative now and then: ValueError('negative shift count').
                amount = rng.choice([f"({self.leaf(INT)} & 15)", f"({self.leaf(INT)} % 64)", f"({self.leaf(INT)} % 67 - 2)"])
            op = rng.choice(["<<", ">>", ">>"])
            if op == ">>" and rng.random() < 0.2:
                amount = self.leaf(INT)  # any size is fine to the right, negative raises
            return f"({self.expr(INT, sub)} {op} {amount})"
        if form == "bitwise":
            op = rng.choice(["&", "|", "^"])
            return f"({self.expr(INT, sub)} {op} {self.expr(INT, sub)})"
        if form == "unary":
            op = rng.choice(["-", "-", "~"])
            return f"({op}{self.expr(INT, sub)})"
        if form == "abs":
            return f"abs({self.expr(INT, sub)})"
        if form == "minmax":
            return f"{rng.choice(['min', 'max'])}({self.expr(INT, sub)}, {self.expr(INT, sub)})"
        if form == "from_float":
            # int(nan) and floor(inf) raise: that is behaviour to compare too.
            convert = rng.choice(["int", "int", "math.floor", "math.ceil", "math.trunc"])
            return f"{convert}({self.expr(FLOAT, sub)})"
        if form == "bool_arith":
            op = rng.choice(["+", "*", "-"])
            return f"(({self.condition(1, for_value=True)}) {op} {self.expr(INT, sub)})"
        return f"({self.expr(INT, sub)} if {self.condition(1)} else {self.expr(INT, sub)})"

    def float_expr(self, depth):
        rng = self.rng
        sub = depth - 1
        form = weighted_choice(rng, {
            "arith": 10, "truediv": 3, "floordiv_mod": 2, "pow": 1.5, "unary": 1.5, "abs": 1,
            "minmax": 1.5, "float": 1.5, "math": 4, "ternary": 0.4,
        })
        if form == "arith":
            op = rng.choice(["+", "-", "*"])
            left, right = self.expr(FLOAT, sub), self.expr(NUM, sub)
            if rng.random() < 0.5:
                left, right = right, left
            return f"({left} {op} {right})"
        if form == "truediv":
            return f"({self.expr(NUM, sub)} / {self.divisor(NUM, depth)})"
        if form == "floordiv_mod":
            op = rng.choice(["//", "%", "%"])
            return f"({self.expr(FLOAT, sub)} {op} {self.divisor(NUM, depth)})"
        if form == "pow":
            roll = rng.random()
            if roll < 0.5:
                return f"({self.expr(FLOAT, min(sub, 1))} ** {rng.choice(['2', '3', '(-1)', '(-2)', '2.0', '0'])})"
            if roll < 0.8:
                # Fractional powers of negative floats are complex: keep the base non-negative.
                return f"(abs({self.expr(NUM, min(sub, 1))}) ** {rng.choice(['0.5', '1.5', '0.25', '(-0.5)', '(1/3)'])})"
            if roll < 0.95:
                # int ** negative int is a float (0 ** -1 raises ZeroDivisionError).
                return f"({self.expr(INT, min(sub, 1))} ** {rng.choice(['(-1)', '(-2)', '(-3)'])})"
            return f"({self.leaf(FLOAT)} ** {self.leaf(FLOAT)})"  # anything goes, complex included
        if form == "unary":
            return f"(-{self.expr(FLOAT, sub)})"
        if form == "abs":
            return f"abs({self.expr(FLOAT, sub)})"
        if form == "minmax":
            return f"{rng.choice(['min', 'max'])}({self.expr(FLOAT, sub)}, {self.expr(FLOAT, sub)})"
        if form == "float":
            return f"float({self.expr(INT, sub)})"
        if form == "math":
            function = rng.choice(MATH_FLOAT_FUNCTIONS)
            argument = self.expr(NUM, sub)
            guarded = rng.random() < 0.75
            if function in ("sqrt", "log", "log10") and guarded:
                argument = f"abs({argument}) + 1"  # inside the domain, mostly
            elif function == "exp" and guarded:
                argument = f"-abs({argument})"
            elif function in ("sin", "cos", "tan") and guarded:
                argument = f"{argument} % 100.0"
            return f"math.{function}({argument})"
        return f"({self.expr(FLOAT, sub)} if {self.condition(1)} else {self.expr(FLOAT, sub)})"

    def mixed_expr(self, depth):
        """An expression whose kind depends on the data: int or float."""
        rng = self.rng
        sub = depth - 1
        roll = rng.random()
        if roll < 0.4:
            return f"{rng.choice(['min', 'max'])}({self.expr(INT, sub)}, {self.expr(FLOAT, sub)})"
        if roll < 0.7:
            return f"({self.expr(INT, sub)} if {self.condition(1)} else {self.expr(FLOAT, sub)})"
        op = rng.choice(["+", "-", "*"])
        return f"({self.leaf(NUM)} {op} {self.expr(NUM, sub)})"

    def condition(self, depth=2, for_value=False):
        """A condition for `if`/`while`; with `for_value`, one whose value is a bool."""
        rng = self.rng
        form = weighted_choice(rng, {
            "compare": 8, "chained": 2, "index": 3 if self.loops else 0, "bool_var": 1.5 if self.readable({BOOL}) else 0,
            "isinstance": 1, "not": 1 if depth > 0 else 0, "and_or": 1.5 if depth > 0 else 0,
            "truth": 0 if for_value else 0.7, "bool_bitwise": 0.5 if depth > 0 else 0,
            "identity": 1 if self.aliases else 0, "identity_any": 0.3 if len(self.readable({INT, FLOAT, NUM})) > 1 else 0,
        })
        ops = ["<", "<=", ">", ">=", "==", "!="]
        if form == "compare":
            return f"{self.expr(NUM, 1)} {rng.choice(ops)} {self.expr(NUM, rng.choice([0, 1]))}"
        if form == "chained":
            return f"{self.leaf(NUM)} {rng.choice(ops)} {self.expr(NUM, 1)} {rng.choice(ops)} {self.leaf(NUM)}"
        if form == "index":
            # Alternating, periodic, rare, or switching once midway.
            index = rng.choice(self.loop_indices())
            return rng.choice([
                f"{index} % 2 == 0",
                f"{index} % 3 == 1",
                f"{index} % {rng.choice([17, 29, 50, 97])} == {rng.randint(0, 16)}",
                f"{index} > {rng.choice([3, 10, 40, 100])}",
                f"{index} == {rng.choice([0, 1, 5, 60])}",
            ])
        if form == "bool_var":
            variable = rng.choice(self.readable({BOOL})).name
            return variable if rng.random() < 0.7 else f"not {variable}"
        if form == "isinstance":
            candidates = [v.name for v in self.readable({INT, FLOAT, NUM, BOOL})]
            candidates += [g.name for g in self.program.globals]
            return f"isinstance({rng.choice(candidates)}, {rng.choice(['int', 'float', 'bool'])})"
        if form == "not":
            return f"not ({self.condition(depth - 1, for_value)})"
        if form == "and_or":
            op = rng.choice(["and", "or"])
            return f"({self.condition(depth - 1, for_value)}) {op} ({self.condition(depth - 1, for_value)})"
        if form == "bool_bitwise":
            op = rng.choice(["&", "|", "^"])
            return f"({self.condition(0, True)}) {op} ({self.condition(0, True)})"
        if form == "identity":
            # An alias bound to a computed value: still the same object after exits?
            alias, variable = rng.choice(self.aliases)
            if variable.name not in self.excluded:
                return f"{alias} {rng.choice(self.program.identity_operators)} {variable.name}"
        if form == "identity_any":
            # `is` between two locals: CPython's answer depends on the small-int cache
            # and on which operations return an operand itself; the JIT must agree.
            first, second = rng.sample(self.readable({INT, FLOAT, NUM}), 2)
            return f"{first.name} {rng.choice(self.program.identity_operators)} {second.name}"
        return self.expr(NUM, 1)  # truthiness of a number

    # -- statements -------------------------------------------------------------

    def value_for(self, variable, depth=None):
        if variable.kind == BOOL:
            return self.condition(2, for_value=True)
        if variable.kind == NUM:
            return self.expr(self.rng.choice([INT, FLOAT, NUM]), depth)
        return self.expr(variable.kind, depth)

    def clamp_lines(self, variable):
        """Statements after an assignment that keep `variable` bounded, so big ints and
        long loops stay cheap: a data-dependent, mostly-untaken branch in the loop."""
        name, bound = variable.name, variable.bound
        if variable.clamp == "mod":
            return [f"{name} %= {variable.modulus}"]
        if variable.clamp == "cond_mod":
            return [f"if not -{bound} < {name} < {bound}:", f"    {name} = {name} % {variable.modulus}"]
        if variable.clamp == "cond_reset":
            return [f"if not -{bound} < {name} < {bound}:", f"    {name} = {variable.reset}"]
        return []

    def assign(self, indent, variable, value=None):
        if value is None:
            value = self.value_for(variable)
        self.emit(indent, f"{variable.name} = {strip_parens(value)}")
        for line in self.clamp_lines(variable):
            self.emit(indent, line)

    def statement(self, indent, depth):
        rng = self.rng
        in_loop = bool(self.loops)
        assignable = [v for v in self.locals if v.name not in self.excluded]
        numeric = [v for v in assignable if v.kind != BOOL]
        kind = weighted_choice(rng, {
            "assign": 10,
            "augassign": 5 if numeric else 0,
            "math": 2 if numeric else 0,
            "grow": 1 if any(v.kind == INT and v.clamp != "mod" for v in assignable) else 0,
            "if": 3.5 if depth < 3 else 0,
            # Nested loops compile as one tree with bridges round the outer loop:
            # the richest source of JIT bugs so far, so they are common.
            "loop": 3 if depth < 3 and len(self.loops) < 2 else 0,
            "break": 0.6 if in_loop else 0,
            "continue": 0.6 if in_loop else 0,
            "return": 0.4 if in_loop and not self.module_level else 0,
            "alias": 1.2 if in_loop and self.aliases else 0,
            "fallback": 2 if self.allow_fallback and in_loop else 0,
            "type_change": 1.2 if self.allow_type_change and in_loop else 0,
            "del": 0.8 if self.allow_del and assignable else 0,
            "try": 1 if self.allow_try and numeric else 0,
            "global_write": 1 if self.written_globals else 0,
            "unpack": 1 if len(assignable) > 1 else 0,
            "chained": 0.7 if len(assignable) > 1 else 0,
        })
        if kind == "assign":
            self.assign(indent, rng.choice(assignable))
        elif kind == "augassign":
            variable = rng.choice(numeric)
            if variable.kind == INT:
                op = rng.choice(["+=", "-=", "*=", "//=", "%=", "&=", "|=", "^=", "<<=", ">>=", "**="])
            else:
                op = rng.choice(["+=", "-=", "*=", "/=", "//=", "%=", "**="])
            if op in ("//=", "%=", "/="):
                value = self.divisor(INT if variable.kind == INT else NUM, 2)
            elif op in ("<<=", ">>="):
                value = rng.choice(["1", "2", "3", "5", "31"])
            elif op == "**=":
                value = rng.choice(["2", "2", "3", "1"])
            else:
                value = self.expr(variable.kind if variable.kind != NUM else NUM)
            self.emit(indent, f"{variable.name} {op} {strip_parens(value)}")
            for line in self.clamp_lines(variable):
                self.emit(indent, line)
        elif kind == "math":
            variable = rng.choice(numeric)
            if variable.kind == INT:
                value = f"math.{rng.choice(MATH_INT_FUNCTIONS)}({self.expr(FLOAT, 2)})"
            else:
                value = self.float_expr(2) if rng.random() < 0.3 else f"math.{rng.choice(MATH_FLOAT_FUNCTIONS)}(abs({self.expr(NUM, 2)}) + 1)"
            self.assign(indent, variable, value)
        elif kind == "grow":
            # Repeated multiplication: crosses 2**63 into big ints after a few dozen rounds.
            self.features.add("big int growth")
            variable = rng.choice([v for v in assignable if v.kind == INT and v.clamp != "mod"])
            factor = rng.choice(["3", "7", "1000003", "2", "-5"])
            self.assign(indent, variable, f"{variable.name} * {factor} + {self.leaf(INT)}")
        elif kind == "if":
            self.if_statement(indent, depth)
        elif kind == "loop":
            self.loop(indent, depth + 1)
        elif kind in ("break", "continue"):
            self.emit(indent, f"if {self.condition()}:")
            self.emit(indent + 1, kind)
        elif kind == "return":
            self.emit(indent, f"if {self.condition()}:")
            self.emit(indent + 1, f"return {self.result_tuple()}")
        elif kind == "alias":
            alias, variable = rng.choice(self.aliases)
            if variable.name not in self.excluded:
                self.emit(indent, f"{alias} = {variable.name}")
        elif kind == "fallback":
            self.fallback(indent)
        elif kind == "type_change":
            self.type_change(indent)
        elif kind == "del":
            self.delete(indent)
        elif kind == "try":
            self.try_statement(indent)
        elif kind == "global_write":
            self.global_write(indent)
        elif kind in ("unpack", "chained"):
            self.multiple_assignment(indent, kind, assignable)

    def multiple_assignment(self, indent, kind, assignable):
        """`a, b = b, a` or `a, b = e1, e2` (tuple packing and unpacking), or
        `a = b = e` (two names bound to one object, which `is` can tell)."""
        rng = self.rng
        first, second = rng.sample(assignable, 2)
        if kind == "unpack":
            if first.kind == second.kind and rng.random() < 0.5:
                values = f"{second.name}, {first.name}"
            else:
                values = f"{strip_parens(self.value_for(first))}, {strip_parens(self.value_for(second))}"
            self.emit(indent, f"{first.name}, {second.name} = {values}")
        else:
            kinds = {first.kind, second.kind}
            if len(kinds) > 1 and (NUM not in kinds or BOOL in kinds):
                return  # no one value has both kinds
            specific = second if first.kind == NUM else first  # an int or float value suits a NUM too
            self.emit(indent, f"{first.name} = {second.name} = {strip_parens(self.value_for(specific))}")
        for variable in (first, second):
            for line in self.clamp_lines(variable):
                self.emit(indent, line)

    def block(self, indent, depth, count):
        emitted_before = len(self.lines)
        for _ in range(count):
            self.statement(indent, depth)
        if len(self.lines) == emitted_before:
            self.emit(indent, "pass")  # every statement kind may decline; a body must not be empty

    def if_statement(self, indent, depth):
        rng = self.rng
        self.emit(indent, f"if {self.condition()}:")
        self.block(indent + 1, depth + 1, rng.randint(1, 3))
        for _ in range(rng.choice([0, 0, 1, 2])):
            self.emit(indent, f"elif {self.condition()}:")
            self.block(indent + 1, depth + 1, rng.randint(1, 2))
        if rng.random() < 0.5:
            self.emit(indent, "else:")
            self.block(indent + 1, depth + 1, rng.randint(1, 2))

    def loop(self, indent, depth):
        """A `for` over a range or a `while` with a counter: always finite."""
        rng = self.rng
        nested = bool(self.loops)
        self.loop_names += 1
        if self.module_level:
            index = f"m_i{self.loop_names}"
        else:
            index = f"i{self.loop_names}"
        if nested:
            # Inner trip counts are small and vary between outer iterations, so inner
            # loops exit often and at different points.
            outer = self.loops[-1].index
            count = rng.choice(["3", "5", "12", f"{outer} % 7", f"{outer} % 4 + 1", "2"])
        else:
            count = "n" if not self.module_level else str(rng.choice([50, 200, 400]))
        if rng.random() < 0.65:
            ranges = [
                f"range({count})", f"range({count})", f"range(1, {count})",
                f"range({count}, 0, -1)", f"range(2, {count}, 3)", f"range(-3, {count})",
            ]
            if not nested:
                ranges.append(f"range({count} // 2, {count} + 20)")
                if rng.random() < 0.1:
                    # Indices at the edge of i64: `i + 1`, `i * 2` overflow into big ints,
                    # and a stop past 2**63 makes CPython iterate with a longrange_iterator.
                    start = rng.choice(["2**62", "2**63 - 50", "2**63 - 5", "-2**63", "2**63"])
                    ranges = [f"range({start}, {start} + {count})"]
            self.emit(indent, f"for {index} in {rng.choice(ranges)}:")
            self.loops.append(Loop(index, is_while=False))
            body_indent = indent + 1
        else:
            self.emit(indent, f"{index} = 0")
            self.loops.append(Loop(index, is_while=True))
            if rng.random() < 0.6:
                condition = f"{index} < {count}"
                if rng.random() < 0.3:
                    condition = f"{condition} and ({self.condition(1)})"  # parenthesized: an `or` inside must not bypass the counter
                self.emit(indent, f"while {condition}:")
                # The counter goes first so `continue` can never skip it.
                self.emit(indent + 1, f"{index} += 1")
            else:
                self.emit(indent, "while True:")
                self.emit(indent + 1, f"{index} += 1")
                self.emit(indent + 1, f"if {index} > {count}:")
                self.emit(indent + 2, "break")
            body_indent = indent + 1
        self.block(body_indent, depth, rng.randint(2, 6 if not nested else 4))
        loop = self.loops.pop()
        if not loop.is_while and rng.random() < 0.05:
            # Rebinding a for loop's index does not change the iteration.
            self.emit(body_indent, f"{index} = {strip_parens(self.expr(INT, 1))}")
        if rng.random() < 0.08:
            # for-else / while-else: runs only when no `break` left the loop.
            self.emit(indent, "else:")
            self.block(indent + 1, depth, 1)

    def fallback(self, indent):
        """Code the JIT does not compile, inside a loop that otherwise would be."""
        rng = self.rng
        self.features.add("fallback")
        form = rng.choice(["list", "dict", "text", "helper", "round", "len_str"])
        numeric = [v for v in self.locals if v.kind != BOOL and v.name not in self.excluded]
        if form == "list":
            self.uses_list = True
            self.emit(indent, f"items.append({strip_parens(self.expr(NUM, 1))})")
        elif form == "dict":
            self.uses_dict = True
            self.emit(indent, f"table[{self.leaf(INT)} % 5] = {strip_parens(self.expr(NUM, 1))}")
        elif form == "text":
            self.uses_text = True
            self.emit(indent, f"text = (text + str({self.leaf(NUM)}))[-24:]")
        elif form == "helper" and self.program.helpers:
            variable = rng.choice([v for v in numeric if v.kind == INT] or [None])
            if variable is not None:
                call = f"{rng.choice(self.program.helpers)}({self.leaf(INT)}, {self.leaf(INT)})"
                self.assign(indent, variable, call)
        elif form == "round":
            variable = rng.choice([v for v in numeric if v.kind == INT] or [None])
            if variable is not None:
                self.assign(indent, variable, f"round({self.expr(FLOAT, 1)})")
        else:
            variable = rng.choice([v for v in numeric if v.kind == INT] or [None])
            if variable is not None:
                self.assign(indent, variable, f"{variable.name} + len(str({self.leaf(INT)}))")

    def type_change(self, indent):
        """At one iteration a variable changes type: int->float, int->big int,
        int->str, number->bool. Later operations may raise TypeError, which is fine."""
        rng = self.rng
        self.features.add("type change")
        candidates = [v for v in self.locals if v.kind != BOOL and v.name not in self.excluded]
        if not candidates:
            return
        variable = rng.choice(candidates)
        name = variable.name
        conversions = [f"{name} * 1.5", f"float({name})", f"{name} > 0", f"{name} + 2**64", f"({name} + 1) * 2**40"]
        if variable.clamp != "none":
            # A str only where the next assignment's clamp raises TypeError at once,
            # so `s = s * 3` cannot grow a string exponentially (and `(s + 1) * 2**40`
            # above raises before it could repeat a string 2**40 times).
            conversions += [f"str({name})", f"str({name})"]
        if variable.kind == FLOAT:
            conversions = [c for c in conversions if "2**" not in c]
            if variable.clamp != "none":
                # An unclamped float turned int could square itself into a huge int.
                conversions += [f"int({name})", f"math.floor({name})"]
        index = self.loops[-1].index
        moment = rng.choice(["0", "1", "2", "3", "7", "20", "50", "120"])
        self.emit(indent, f"if {index} == {moment}:")
        self.emit(indent + 1, f"{name} = {rng.choice(conversions)}")

    def delete(self, indent):
        """`del` a local; usually bound again at once, rarely left unbound so a later
        read raises UnboundLocalError."""
        rng = self.rng
        self.features.add("del")
        variable = rng.choice([v for v in self.locals if v.name not in self.excluded])
        if rng.random() < 0.15 and self.loops:
            self.emit(indent, f"if {self.condition()}:")
            self.emit(indent + 1, f"del {variable.name}")
            return
        self.emit(indent, f"del {variable.name}")
        self.excluded.add(variable.name)
        value = self.value_for(variable)
        self.excluded.discard(variable.name)
        self.assign(indent, variable, value)

    def try_statement(self, indent):
        rng = self.rng
        self.features.add("try")
        variable = rng.choice([v for v in self.locals if v.kind in (INT, FLOAT, NUM) and v.name not in self.excluded])
        self.emit(indent, "try:")
        if variable.kind == INT:
            risky = f"{self.expr(INT, 1)} // {self.leaf(INT)}"
        else:
            risky = rng.choice([f"{self.expr(NUM, 1)} / {self.leaf(NUM)}", f"math.log({self.leaf(NUM)})", f"math.sqrt({self.leaf(NUM)})"])
        self.assign(indent + 1, variable, risky)
        errors = rng.choice(["ZeroDivisionError", "(ZeroDivisionError, ValueError)", "ArithmeticError", "Exception"])
        self.emit(indent, f"except {errors}:")
        if self.loops and rng.random() < 0.3:
            self.emit(indent + 1, rng.choice(["continue", "break"]))
        else:
            self.emit(indent + 1, f"{variable.name} = {variable.reset or '0'}")

    def global_write(self, indent):
        """STORE_GLOBAL inside a loop: every trace that read the global is stale."""
        self.features.add("global write")
        variable = self.rng.choice(self.written_globals)
        if variable.kind == INT:
            self.emit(indent, f"{variable.name} = ({self.expr(INT, 1)} + {variable.name}) % 1009")
        elif variable.kind == BOOL:
            self.emit(indent, f"{variable.name} = not {variable.name}")
        else:
            self.emit(indent, f"{variable.name} = ({self.expr(NUM, 1)} + {variable.name}) % 7.5")

    # -- the function ----------------------------------------------------------

    def result_tuple(self):
        parts = [v.name for v in self.locals]
        parts += [f"{alias} {self.program.identity_operators[0]} {variable.name}" for alias, variable in self.aliases]
        if self.uses_list:
            parts += ["len(items)", "items[-3:]"]
        if self.uses_dict:
            parts.append("table")
        if self.uses_text:
            parts.append("text")
        return "(" + ", ".join(parts) + ",)"

    def declare_locals(self, indent, params):
        """Locals of random kinds, some initialised from parameters."""
        rng = self.rng
        kinds = [rng.choice([INT, INT, INT, FLOAT, FLOAT, NUM, BOOL]) for _ in range(rng.randint(2, 5))]
        if INT not in kinds and FLOAT not in kinds:
            kinds[0] = rng.choice([INT, FLOAT])
        for kind in kinds:
            variable = self.new_local(kind)
            if params is not None and len(params) < 3 and rng.random() < 0.5:
                param = f"a{len(params)}"
                params.append((param, kind, variable.clamp == "none"))
                self.emit(indent, f"{variable.name} = {param}")
            else:
                self.emit(indent, f"{variable.name} = {self.constant(kind) if kind != BOOL else rng.choice(['True', 'False'])}")
        # Aliases bound to a computed value inside the loop; `alias is var` afterwards
        # must agree with CPython (exits must box each value once).
        for variable in rng.sample(self.locals, k=min(len(self.locals), rng.choice([0, 1, 1, 2]))):
            alias = f"same_{variable.name}"
            self.aliases.append((alias, variable))
            self.emit(indent, f"{alias} = {variable.name}")

    def generate(self):
        rng = self.rng
        params = []
        body_start = len(self.lines)
        if self.allow_global_write:
            self.written_globals = rng.sample(self.program.globals, k=1)
            self.emit(1, f"global {self.written_globals[0].name}")
        self.declare_locals(1, params)
        if self.allow_fallback:
            self.emit(1, "items = []\ntable = {}\ntext = ''")
        for _ in range(rng.choice([1, 1, 1, 2])):
            self.loop(1, depth=1)
            if rng.random() < 0.3:
                self.block(1, 2, 1)  # something between or after loops
        self.emit(1, f"return {self.result_tuple()}")
        signature = ", ".join(["n"] + [name for name, _, _ in params])
        source = [f"def {self.name}({signature}):"] + self.lines[body_start:]
        return GeneratedFunction(self.name, params, source, self.features)

    def generate_module_loop(self):
        self.allow_del = False
        self.allow_try = False
        self.declare_locals(0, None)
        self.emit(0, "try:")
        self.loop(1, depth=1)
        self.emit(0, "except Exception as error:")
        self.emit(1, 'print("module loop raised", type(error).__name__, error)')
        self.emit(0, f"print('module loop', repr({self.result_tuple()}))")
        if self.uses_list or self.uses_dict or self.uses_text:
            self.lines[0:0] = ["items = []", "table = {}", "text = ''"]
        return self.lines


def generate_program(seed, identity=True):
    """The program of `seed`: same seed, same program, on every machine."""
    return ProgramGenerator(seed, identity).generate()


# ---------------------------------------------------------------------------
# Running and comparing
# ---------------------------------------------------------------------------


def find_python312():
    """The CPython 3.12 to run programs with: this one if it is 3.12, else pyenv's
    newest 3.12, else python3.12 on PATH (as tests/env.sh finds it)."""
    if sys.version_info[:2] == (3, 12) and sys.implementation.name == "cpython":
        return sys.executable
    try:
        root = subprocess.run(["pyenv", "root"], capture_output=True, text=True, check=True).stdout.strip()
        candidates = sorted(
            glob.glob(os.path.join(root, "versions", "3.12.*", "bin", "python3.12")),
            key=lambda path: [int(part) for part in re.findall(r"\d+", path.split("versions")[-1])],
        )
        if candidates:
            return candidates[-1]
    except (OSError, subprocess.CalledProcessError):
        pass
    found = shutil.which("python3.12")
    if found:
        return found
    raise SystemExit("fuzz: CPython 3.12 not found (pyenv install 3.12, or put python3.12 on PATH)")


def child_environment():
    """The same environment for both runs: no HOTLOOP_* settings but traces
    compiled on the main thread (a seed then compiles the same traces every
    run, and short programs compile at all), hotloop importable."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("HOTLOOP_")}
    env["HOTLOOP_BACKGROUND_COMPILE"] = "0"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PACKAGE_DIR), env.get("PYTHONPATH")]))
    env["PYTHONHASHSEED"] = "0"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


@dataclasses.dataclass
class Run:
    stdout: str
    stderr: str
    returncode: object  # int, "timeout", or "not run" (hotloop after a plain timeout)
    seconds: float


def run_child(python, args, cwd, timeout):
    started = time.monotonic()
    try:
        completed = subprocess.run(
            [python, *args], cwd=cwd, env=child_environment(), capture_output=True, timeout=timeout
        )
    except subprocess.TimeoutExpired as expired:
        return Run(decode(expired.stdout), decode(expired.stderr), "timeout", time.monotonic() - started)
    return Run(decode(completed.stdout), decode(completed.stderr), completed.returncode, time.monotonic() - started)


def decode(data):
    return (data or b"").decode("utf-8", errors="backslashreplace")


@dataclasses.dataclass
class Outcome:
    seed: int
    threshold: int
    status: str  # "ok", "mismatch", or "invalid" (the generator made a bad program)
    detail: str  # the diff, or why the program is invalid
    source: str
    stats: dict  # hotloop.stats() of the JIT run ({} if it wrote none)
    plain_seconds: float = 0.0
    jit_seconds: float = 0.0
    features: frozenset = frozenset()

    @property
    def compiled_traces(self):
        return self.stats.get("traces_compiled", 0)


def describe_difference(plain, jitted):
    """A readable diff of two runs, stream by stream."""
    parts = []
    for stream in ("stdout", "stderr"):
        expected, actual = getattr(plain, stream), getattr(jitted, stream)
        if expected != actual:
            diff = difflib.unified_diff(
                expected.splitlines(keepends=True), actual.splitlines(keepends=True),
                f"{stream} (CPython)", f"{stream} (hotloop)", n=2,
            )
            parts.append("".join(line if line.endswith("\n") else line + "\n" for line in diff))
    if plain.returncode != jitted.returncode:
        parts.append(f"exit status: CPython {plain.returncode}, hotloop {jitted.returncode}\n")
    return "".join(parts)


def invalid_reason(plain):
    """Why a plain CPython run shows the generator made a program unfit to compare."""
    if plain.returncode == "timeout":
        return "plain CPython timed out"
    for marker in ("SyntaxError", "IndentationError", "MemoryError", "RecursionError"):
        if marker in plain.stderr or marker in plain.stdout:
            return f"plain CPython run shows {marker}"
    return None


def compare_source(source, threshold, python, directory, name="prog.py", timeout=CHILD_TIMEOUT_SECONDS,
                   parallel=False):
    """Run `source` plain and under hotloop in `directory`; (plain, jitted, stats).
    With `parallel` both runs go at once (for the shrinker, which waits on each
    answer); otherwise the hotloop run is skipped when the plain one timed out."""
    path = Path(directory) / name
    path.write_text(source)
    stats_path = Path(directory) / (name + ".stats.json")
    if stats_path.exists():
        stats_path.unlink()
    jit_args = ["-m", "hotloop", "run", "--threshold", str(threshold), "--stats", stats_path.name, name]
    if parallel:
        with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
            plain_future = pool.submit(run_child, python, [name], directory, timeout)
            jitted = run_child(python, jit_args, directory, timeout)
            plain = plain_future.result()
    else:
        plain = run_child(python, [name], directory, timeout)
        if plain.returncode == "timeout":
            return plain, Run("", "", "not run", 0.0), {}
        jitted = run_child(python, jit_args, directory, timeout)
    stats = {}
    if stats_path.exists():
        try:
            stats = json.loads(stats_path.read_text())
        except ValueError:
            stats = {}
    return plain, jitted, stats


def check_seed(seed, python, timeout=CHILD_TIMEOUT_SECONDS, identity=True):
    """Generate the program of `seed`, run it both ways, and compare."""
    program = generate_program(seed, identity)
    with tempfile.TemporaryDirectory(prefix=f"hotloop-fuzz-{seed}-") as directory:
        plain, jitted, stats = compare_source(program.source, program.threshold, python, directory, timeout=timeout)
    reason = invalid_reason(plain)
    if reason is not None:
        status, detail = "invalid", reason
    else:
        detail = describe_difference(plain, jitted)
        status = "mismatch" if detail else "ok"
    return Outcome(
        seed, program.threshold, status, detail, program.source, stats,
        plain.seconds, jitted.seconds, frozenset(program.features),
    )


def check_seeds(seeds, python=None, jobs=2, timeout=CHILD_TIMEOUT_SECONDS, identity=True):
    """Yield the Outcome of every seed as it finishes, `jobs` programs at a time.
    Threads are enough: each worker spends its time waiting for its subprocesses."""
    python = python or find_python312()
    seeds = iter(seeds)
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        # A bounded window of pending work, so a long run does not queue 100000 futures.
        pending = set()
        for seed in seeds:
            pending.add(pool.submit(check_seed, seed, python, timeout, identity))
            if len(pending) >= jobs * 4:
                done, pending = concurrent.futures.wait(pending, return_when=concurrent.futures.FIRST_COMPLETED)
                yield from (future.result() for future in done)
        for future in concurrent.futures.as_completed(pending):
            yield future.result()


def save_failure(outcome, directory="fuzz-failures"):
    """Write the failing program, with how to reproduce and the diff as comments."""
    os.makedirs(directory, exist_ok=True)
    path = Path(directory) / f"{outcome.seed}.py"
    commented_diff = "".join(f"# {line}\n" for line in outcome.detail.splitlines())
    path.write_text(
        f"# fuzz {outcome.status}, seed {outcome.seed}: "
        f"python -m hotloop run --threshold {outcome.threshold} {path.name}\n"
        f"{commented_diff}{outcome.source}"
    )
    return path


# ---------------------------------------------------------------------------
# Shrinking a failing program
# ---------------------------------------------------------------------------


def threshold_of(source):
    match = re.search(r"--threshold (\d+)", source)
    return int(match.group(1)) if match else 2


def failure_class(plain, jitted):
    """What kind of mismatch this is, so shrinking does not wander off to another bug."""
    if plain.returncode == "timeout" or invalid_reason(plain):
        return None
    if jitted.returncode == "timeout":
        return "hang"
    if isinstance(jitted.returncode, int) and jitted.returncode < 0:
        return "crash"
    return "differs" if describe_difference(plain, jitted) else None


def expression_replacements(node):
    """Simpler expressions that could stand for `node`: its operands, or a constant."""
    if isinstance(node, ast.BinOp):
        yield from (node.left, node.right)
    elif isinstance(node, ast.UnaryOp):
        yield node.operand
    elif isinstance(node, ast.BoolOp):
        yield from node.values
    elif isinstance(node, ast.Compare):
        yield from [node.left, *node.comparators]
        if len(node.comparators) > 1:  # a chain loses its last link
            yield ast.Compare(node.left, node.ops[:-1], node.comparators[:-1])
    elif isinstance(node, ast.IfExp):
        yield from (node.body, node.orelse, node.test)
    elif isinstance(node, ast.Call):
        yield from node.args
    if not isinstance(node, (ast.Constant, ast.Name)):
        yield from (ast.Constant(0), ast.Constant(1), ast.Constant(0.5))


def statement_edits(tree):
    """Edits of a module (functions that change a copy in place, given its nodes in
    ast.walk order): remove one statement, or replace a compound statement by its body."""
    for index, node in enumerate(ast.walk(tree)):
        for field, value in ast.iter_fields(node):
            if not (isinstance(value, list) and value and isinstance(value[0], ast.stmt)):
                continue
            for position, statement in enumerate(value):
                def remove(nodes, index=index, field=field, position=position):
                    body = getattr(nodes[index], field)
                    del body[position]
                    if not body and field == "body":
                        body.append(ast.Pass())  # a body must not be empty; an else may
                yield remove
                if getattr(statement, "body", None) and not isinstance(statement, (ast.FunctionDef, ast.ClassDef)):
                    def inline(nodes, index=index, field=field, position=position):
                        body = getattr(nodes[index], field)
                        body[position:position + 1] = body[position].body
                    yield inline


def expression_edits(tree):
    """Edits that replace one expression by one of its operands or a constant."""
    def loaded(value):
        return isinstance(value, ast.expr) and not isinstance(getattr(value, "ctx", None), (ast.Store, ast.Del))

    for index, node in enumerate(ast.walk(tree)):
        for field, value in ast.iter_fields(node):
            slots = [(None, value)] if loaded(value) else []
            if isinstance(value, list):
                slots = [(position, item) for position, item in enumerate(value) if loaded(item)]
            for position, expression in slots:
                for number, _ in enumerate(expression_replacements(expression)):
                    def replace(nodes, index=index, field=field, position=position, number=number):
                        if position is None:
                            old = getattr(nodes[index], field)
                            setattr(nodes[index], field, list(expression_replacements(old))[number])
                        else:
                            items = getattr(nodes[index], field)
                            items[position] = list(expression_replacements(items[position]))[number]
                    yield replace
        if isinstance(node, (ast.Tuple, ast.List)) and len(node.elts) > 1:
            for position in range(len(node.elts)):
                def drop(nodes, index=index, position=position):
                    del nodes[index].elts[position]
                yield drop


def shrink(source, python, threshold=None, timeout=10, log=print):
    """Greedily simplify a failing program while it keeps failing the same way
    (crash, hang, or different output): first whole statements, then expressions.
    Returns the smallest program found."""
    threshold = threshold or threshold_of(source)
    with tempfile.TemporaryDirectory(prefix="hotloop-shrink-") as directory:
        def classify(text):
            try:
                compile(text, "prog.py", "exec")
            except (SyntaxError, ValueError):
                return None
            plain, jitted, _ = compare_source(text, threshold, python, directory, timeout=timeout, parallel=True)
            return failure_class(plain, jitted)

        tree = ast.parse(source)
        current = ast.unparse(tree) + "\n"
        wanted = classify(current)
        if wanted is None:
            log("shrink: the program does not fail (any more); nothing to do")
            return source
        log(f"shrink: failure class {wanted!r}", flush=True)
        for edits in (statement_edits, expression_edits, statement_edits):
            # Sweep the edits in order, keeping each one after which the program still
            # fails; after a kept edit the sweep goes on from the same position.
            position = 0
            while True:
                pending = list(edits(tree))[position:]
                if not pending:
                    break
                for offset, edit in enumerate(pending):
                    candidate = copy.deepcopy(tree)
                    edit(list(ast.walk(candidate)))
                    text = ast.unparse(ast.fix_missing_locations(candidate)) + "\n"
                    # Only strictly shorter programs count, so shrinking ends (removing
                    # the `pass` of a body leaves the same program, for one).
                    if len(text) < len(current) and classify(text) == wanted:
                        tree, current = candidate, text
                        position += offset
                        log(f"shrink: {len(text.splitlines())} lines, {len(text)} characters", flush=True)
                        break
                else:
                    break
    header = f"# shrunk ({wanted}); compare: python prog.py  vs  python -m hotloop run --threshold {threshold} prog.py\n"
    return header + ast.unparse(tree) + "\n"


# ---------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------


def harness_aborts(python):
    """Recording aborts per threshold that hotloop's own exit code causes (writing
    the stats as JSON runs hot loops in the json module): subtracted from the
    summary so it shows what the generated programs themselves did."""
    baseline = {}
    with tempfile.TemporaryDirectory(prefix="hotloop-fuzz-baseline-") as directory:
        for threshold in THRESHOLDS:
            _, _, stats = compare_source("pass\n", threshold, python, directory)
            baseline[threshold] = Counter(stats.get("aborts", {}))
    return baseline


def summarize_stats(outcomes, baseline=None):
    compared = [o for o in outcomes if o.status != "invalid"]
    compiled = sum(1 for o in compared if o.compiled_traces > 0)
    traces = sum(o.compiled_traces for o in compared)
    bridges = sum(o.stats.get("bridges_compiled", 0) for o in compared)
    invalidated = sum(o.stats.get("traces_invalidated", 0) for o in compared)
    entries = sum(o.stats.get("trace_entries", 0) for o in compared)
    exits = sum(o.stats.get("exits", 0) for o in compared)
    slowest = max((o.plain_seconds for o in compared), default=0.0)
    aborts = Counter()
    for outcome in compared:
        aborts.update(outcome.stats.get("aborts", {}))
        if baseline:
            aborts.subtract(baseline.get(outcome.threshold, {}))
    features = Counter(feature for o in compared for feature in o.features)
    lines = [
        f"stats: {compiled}/{len(compared)} programs compiled at least one trace; {traces} traces, "
        f"{bridges} bridges, {invalidated} invalidated, {entries} entries, {exits} exits",
        f"stats: slowest plain CPython run {slowest:.2f}s",
        "stats: programs per feature: " + ", ".join(f"{name} {count}" for name, count in sorted(features.items())),
        "stats: most common recording aborts" + (" (beyond hotloop's own exit code)" if baseline else "") + ":",
    ]
    lines += [f"    {count:7d}  {reason}" for reason, count in aborts.most_common(15) if count > 0]
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=200, help="programs to generate and compare")
    parser.add_argument("--seed", type=int, default=0, help="first seed (seeds are SEED..SEED+COUNT-1)")
    parser.add_argument("--jobs", type=int, default=2, help="programs compared in parallel")
    parser.add_argument("--timeout", type=float, default=CHILD_TIMEOUT_SECONDS, help="seconds per run")
    parser.add_argument("--stats", action="store_true", help="report what the JIT compiled and why it aborted")
    parser.add_argument("--python", help="CPython 3.12 to use (default: found as tests/env.sh does)")
    parser.add_argument("--show", type=int, metavar="SEED", help="print the program of SEED and exit")
    parser.add_argument(
        "--no-identity", dest="identity", action="store_false",
        help="write == / != where programs would test identity with is / is not (to look past known identity bugs)",
    )
    parser.add_argument("--shrink", metavar="FILE", help="shrink a failing program; writes FILE.min.py")
    options = parser.parse_args(argv)

    if options.show is not None:
        program = generate_program(options.show, options.identity)
        sys.stdout.write(program.source)
        return 0
    python = options.python or find_python312()
    if options.shrink:
        source = Path(options.shrink).read_text()
        smaller = shrink(source, python)
        target = Path(options.shrink).with_suffix(".min.py")
        target.write_text(smaller)
        print(smaller, end="")
        print(f"fuzz: wrote {target}")
        return 0

    started = time.monotonic()
    outcomes = []
    mismatches = invalid = 0
    seeds = range(options.seed, options.seed + options.count)
    for done, outcome in enumerate(check_seeds(seeds, python, options.jobs, options.timeout, options.identity), 1):
        # Long runs keep only what the summary needs.
        outcomes.append(dataclasses.replace(outcome, source="", detail=""))
        if outcome.status != "ok":
            path = save_failure(outcome)
            if outcome.status == "mismatch":
                mismatches += 1
                print(f"MISMATCH seed {outcome.seed} (threshold {outcome.threshold}): saved {path}")
                print("    " + outcome.detail.rstrip("\n").replace("\n", "\n    ")[:3000])
            else:
                invalid += 1
                print(f"INVALID seed {outcome.seed}: {outcome.detail} (generator problem; saved {path})")
            sys.stdout.flush()
        if done % 100 == 0 or done == options.count:
            elapsed = time.monotonic() - started
            compiled = sum(1 for o in outcomes if o.compiled_traces > 0)
            print(
                f"fuzz: {done}/{options.count} programs, {mismatches} mismatches, {invalid} invalid, "
                f"{compiled} compiled a trace, {elapsed:.0f}s",
                flush=True,
            )
    if options.stats:
        print(summarize_stats(outcomes, harness_aborts(python)))
    compiled = sum(1 for o in outcomes if o.compiled_traces > 0)
    if compiled < len(outcomes) / 2:
        print(f"fuzz: warning: only {compiled} of {len(outcomes)} programs compiled a trace; the JIT is barely tested")
    if invalid:
        print(f"fuzz: {invalid} programs were invalid (generator problems, see fuzz-failures/)")
    print(f"fuzz: {len(outcomes)} programs, {mismatches} mismatches")
    return 1 if mismatches or invalid else 0


if __name__ == "__main__":
    sys.exit(main())
