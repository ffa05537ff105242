# Concatenation across string widths: ASCII += latin-1 / BMP / astral (the
# in-place append must not be used when the result needs a wider kind), wide
# += ASCII (in place is fine), mixing kinds in one accumulator over the loop,
# empty strings on either side, and slicing/comparing/`in` on wide strings.
import sys

PIECES = ["a", "\xe9", "\u20ac", "\U0001f600", "", "bc", "\xff\xfe", "\u4e2d\u6587", "\U00010348x"]


def show(s):
    return ascii(s[:12]) + "..." + ascii(s[-12:]) + " len=%d max=%d" % (len(s), max(map(ord, s)) if s else -1)


def ascii_then_wider(n):
    s = "ascii"
    for i in range(n):
        s += "x"
        if i == n // 2:
            s += "\xe9"  # latin-1 arrives midway
    for i in range(n):
        s += "y"
        if i == n // 3:
            s += "\u20ac"
    for i in range(n):
        s += "z"
        if i == n // 4:
            s += "\U0001f600"
    return s


def wide_then_ascii(n):
    outs = []
    for start in ("\xe9", "\u20ac", "\U0001f600"):
        s = start
        for i in range(n):
            s += "ab"[i % 2]
        outs.append(s)
    return outs


def rotating_pieces(n):
    s = ""
    for i in range(n):
        s += PIECES[i % len(PIECES)]
    return s


def ascii_onto_wide_each(n):
    s = ""
    for i in range(n):
        s = PIECES[i % 4] + s + "."
    return s


def empties(n):
    e = ""
    s = ""
    c = 0
    for i in range(n):
        s = s + e
        s = e + s
        s += e
        if s == "":
            c += 1
        s += "" if i % 2 else "q"
        e = e + ""
    return s, c, e == "", len(e)


def wide_slices(n):
    w = "\u00e9\u20ac\U0001f600abc\u4e2d" * 3
    acc = ""
    hits = 0
    for i in range(n):
        k = i % len(w)
        acc += w[k:k + 2]
        if "\U0001f600a" in w[k:]:
            hits += 1
        if w[k:k + 1] > "\u20ac":
            hits += 10
    return acc, hits


def surrogates(n):
    s = "lo"
    for i in range(n):
        s += "\ud800" if i % 50 == 0 else "-"
    return ascii(s[:60]), len(s), s.count("\ud800")


print(show(ascii_then_wider(400)))
for w in wide_then_ascii(500):
    print(show(w), sys.getrefcount(w))
r = rotating_pieces(900)
print(show(r), sys.getrefcount(r))
r = ascii_onto_wide_each(300)
print(show(r), sys.getrefcount(r))
print(empties(500))
acc, hits = wide_slices(700)
print(show(acc), hits, sys.getrefcount(acc))
print(surrogates(600))

# module-level mixing of widths
m = ""
for i in range(1200):
    m += PIECES[(i * 7) % len(PIECES)]
    if i % 300 == 299:
        m = m[-5:]
print(show(m), sys.getrefcount(m))
