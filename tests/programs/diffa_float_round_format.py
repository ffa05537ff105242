# round() and float formatting in hot loops: round with no digits (banker's
# rounding, returns int), with positive and negative ndigits, round of inf and
# nan (OverflowError/ValueError), f-strings with widths, precision, signs,
# percent and exponent formats, repr of floats, and format of -0.0 and nan.
import math
import traceback


def banker(n):
    t = 0
    kinds = set()
    for i in range(-n, n):
        r = round(i + 0.5)
        t += r
        kinds.add(type(r).__name__)
    return t, sorted(kinds)


def ndigits(n):
    out = []
    for i in range(n):
        x = i * 1.005
        out.append((round(x, 2), round(x, -1), round(i * 37, -2)))
    return out[-3:], sum(p[0] for p in out)


def specials(n):
    vals = [1.5, math.inf, math.nan, -math.inf, -2.5]
    out = []
    for i in range(n):
        try:
            out.append(round(vals[i % 5]))
        except (OverflowError, ValueError) as e:
            out.append(type(e).__name__)
    return out[:5], len(out)


def fstrings(n):
    lines = []
    for i in range(n):
        x = (i - n / 2) * 1.37
        lines.append(f"{x:8.3f}|{x:+.1e}|{x:>10.2%}|{i:05d}|{x!r:>12}")
    return lines[:3], lines[-1]


def specials_fmt(n):
    vals = [-0.0, math.nan, math.inf, -math.inf, 1e-7, 1e16, 123456789.0]
    out = []
    for i in range(n):
        v = vals[i % len(vals)]
        out.append(f"{v}|{v:.2f}|{v:g}|{v:,}")
    return out[:7]


def reprs(n):
    s = 0
    last = ""
    x = 0.0
    for i in range(n):
        x += 0.1
        last = repr(x)
        s += len(str(x))
    return s, last


def format_uncaught(n):
    out = []
    for i in range(n):
        v = i * 0.5 if i < n - 1 else "str"
        out.append(f"{v:.2f}")
    return out


print("banker", banker(300))
print("ndigits", ndigits(300))
print("specials", specials(300))
print("fstrings", fstrings(300))
print("specials_fmt", specials_fmt(300))
print("reprs", reprs(400))
try:
    format_uncaught(300)
except ValueError:
    traceback.print_exc()
