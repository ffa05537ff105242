# Converting in hot loops: str(int) (small and big ints, negative), repr and
# f-strings with format specs and conversions, %-formatting, ord/chr round
# trips (ValueError past 0x10ffff, TypeError for a 2-char string), int(str)
# parsing with bases and errors, and a __format__/__str__ that changes midway.
import traceback


def str_of_int(n):
    total = 0
    last = ""
    for i in range(n):
        s = str(i * i - 5000)
        total += len(s)
        last = s
    big = str(3 ** (n // 2))
    return total, last, len(big), big[:8]


def fstrings(n):
    out = []
    for i in range(n):
        x = i / 7
        out.append(f"{i:>4}|{x:.3f}|{i:#x}|{i!r}|{'s'!r:>5}|{x:e}|{i:,}")
    return out[-2:]


def percent_format(n):
    acc = 0
    for i in range(n):
        s = "%d-%s-%05.1f-%x" % (i, "ab"[i % 2], i / 3, i)
        acc += len(s)
    return acc, s


def ord_chr(n):
    out = []
    acc = 0
    for i in range(n):
        c = chr(0x3b1 + i % 40)
        acc += ord(c)
        if i % 60 == 0:
            out.append(c)
    try:
        chr(0x110000)
    except ValueError as e:
        out.append(str(e))
    try:
        ord("ab")
    except TypeError as e:
        out.append(str(e))
    return acc, out


def parse_ints(n):
    acc = 0
    bad = 0
    for i in range(n):
        txt = ("%x" % i) if i % 3 else ("  %d " % i)
        try:
            acc += int(txt, 16) if i % 3 else int(txt)
        except ValueError:
            bad += 1
        try:
            acc += int("z%d" % i)
        except ValueError as e:
            bad += 1
            msg = str(e)
    return acc, bad, msg


class Money:
    def __init__(self, v):
        self.v = v

    def __format__(self, spec):
        return "$" + format(self.v, spec)

    def __str__(self):
        return "M(%d)" % self.v


def custom_format(n):
    out = []
    for i in range(n):
        m = Money(i)
        if i == n // 2:
            Money.__format__ = lambda self, spec: "EUR" + str(self.v)
            Money.__str__ = lambda self: "m%d" % self.v
        out.append(f"{m:>5}/{m}/{m!s}")
    return out[n // 2 - 1], out[n // 2]


def format_spec_error(n):
    out = []
    for i in range(n):
        spec = ".2f" if i < n - 1 else "q"
        out.append(format(i * 1.5, spec))
    return out[-1]


for f in (str_of_int, fstrings, percent_format, ord_chr, parse_ints, custom_format):
    print(f.__name__, f(300))
try:
    format_spec_error(300)
except ValueError:
    traceback.print_exc()
