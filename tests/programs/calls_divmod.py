# divmod of ints in hot loops: taken apart at once (no tuple in the trace),
# kept as a tuple, with negative operands, a zero divisor, big ints, and the
# identity CPython gives the remainder (the dividend itself when it is smaller).
import sys


def unpacked(n):
    t = 0
    for i in range(n):
        q, r = divmod(i * 37 - 500, 7)
        t += q * 3 + r
    return t


def subscripted(n):
    t = 0
    for i in range(n):
        t += divmod(i, 7)[1] - divmod(i, -3)[0] + divmod(-i, 5)[-1] + divmod(i, 11)[-2]
    return t


def kept(n):
    pairs = []
    for i in range(n):
        p = divmod(i, 4)
        pairs.append(p)
    return pairs[-3:], len(pairs)


def zero_divisor(n):
    out = []
    for i in range(n):
        d = 3 - i % 4
        try:
            q, r = divmod(100 + i, d)
            out.append(q + r)
        except ZeroDivisionError as e:
            out.append(str(e))
    return out[:10], len(out)


def grows_big(n):
    x = 1
    t = 0
    for i in range(n):
        x = x * 1000 + 7
        q, r = divmod(x, 1000003)
        t ^= r
    return t, q % 1000


def identity(n):
    big = 10**40
    seen = []
    for i in range(n):
        a = 10**6 + i
        q, r = divmod(a, big if i > n - 3 else 7)
        seen.append(r is a)
    return seen[-4:]


def floats_and_mixed(n):
    t = 0.0
    for i in range(n):
        q, r = divmod(i + 0.5, 3)
        t += q + r
        q, r = divmod(i, 2.5)
        t += q - r
    return t


def rebound(n):
    global divmod
    t = 0
    for i in range(n):
        if i == n // 2:
            divmod = lambda a, b: (b, a)
        q, r = divmod(i, 9)
        t += q * 2 + r
    del divmod
    return t


for f in (unpacked, subscripted, kept, zero_divisor, grows_big, identity, floats_and_mixed, rebound):
    print(f.__name__, f(300))
print(divmod(7, 2), file=sys.stderr)
