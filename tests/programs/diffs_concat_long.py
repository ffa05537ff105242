# Very long strings built with +=: 100k and more characters one or a few at a
# time, which is only fast when the compiled append grows the string in place
# (linear) instead of copying it on every iteration (quadratic: this program
# would then take minutes). Also long wide strings, long strings at module
# level, and a long string whose hash was taken midway (must not be grown in
# place afterwards: the dict lookup below would then miss).
import sys


def build_ascii(n):
    s = ""
    for i in range(n):
        s += "abcdefghij"[i % 10]
    return s


def build_chunks(n):
    s = "begin"
    for i in range(n):
        s += str(i % 1000)
        s += ";"
    return s


def build_wide(n):
    s = "\u20ac"
    for i in range(n):
        s += "\u4e2d" if i % 3 else "w"
    return s


def build_astral(n):
    s = "\U0001f600"
    for i in range(n):
        s += "\U0001f601" if i % 5 == 0 else "."
    return s


def hashed_midway(n):
    s = "h"
    d = {}
    for i in range(n):
        s += "x"
        if i == n // 2:
            d[s] = "found"
            probe = s  # keep nothing? no: probe holds it
            del probe
    key = "h" + "x" * (n // 2 + 1)
    return len(s), d.get(key), len(d)


def hashed_then_dropped(n):
    s = "h"
    seen = set()
    hits = 0
    for i in range(n):
        s += "y"
        if i % 1000 == 0:
            # hashing s caches its hash; s is not kept anywhere else
            if s in seen:
                hits += 1
            seen.add(s[:])
    check = 0
    for t in seen:
        if hash(t) == hash(str(t)):
            check += 1
    return len(s), hits, len(seen), check, hash(s) == hash("h" + "y" * n)


def doubling(n, limit):
    # s = s + s: the string is both operands, so it must never be grown in
    # place (the right operand would be read from the old, freed block)
    s = "d"
    bad = 0
    for i in range(n):
        if len(s) > limit:
            s = s[:3]
        s = s + s
        if s[-1:] != "d" or s[len(s) // 2 - 1:len(s) // 2 + 1] != "dd":
            bad += 1
    return bad, len(s), s.count("d") == len(s)


print(doubling(300, 64))
print(doubling(60, 20000000))
a = build_ascii(150000)
print(len(a), a[:12], a[-12:], a.count("j"), sys.getrefcount(a))
b = build_chunks(60000)
print(len(b), b[:20], b[-20:], b.count(";"), sys.getrefcount(b))
w = build_wide(120000)
print(len(w), ascii(w[:6]), ascii(w[-6:]), w.count("w"), sys.getrefcount(w))
x = build_astral(100000)
print(len(x), ascii(x[:4]), x.count("."), sys.getrefcount(x))
print(hashed_midway(20000))
print(hashed_then_dropped(20000))

# the same at module level
m = ""
for i in range(120000):
    m += "0123456789"[i % 10]
print(len(m), m[-15:], sys.getrefcount(m))
m2 = "\xe9"
for i in range(50000):
    m2 += "ab"
print(len(m2), ascii(m2[:5]), sys.getrefcount(m2))
