# Inlined calls of functions with default arguments.
def scale(x, factor=2.0, offset=1):
    return x * factor + offset


def uses_defaults(n):
    t = 0.0
    for i in range(n):
        t += scale(i) + scale(i, 0.5) + scale(i, 3.0, -1)
    return t


print(uses_defaults(1000))


def pick(xs, default=None):
    return xs[0] if xs else default


def firsts(rows):
    out = []
    for r in rows:
        out.append(pick(r))
    return out[-3:], out.count(None)


print(firsts([[i] if i % 3 else [] for i in range(600)]))


def changes_defaults(n):
    t = 0
    for i in range(n):
        t += scale(i)
        if i == n // 2:
            scale.__defaults__ = (10.0, 0)
    return t


print(changes_defaults(1000))


def mutable_default(v, acc=[]):
    acc.append(v)
    return len(acc)


def grows(n):
    s = 0
    for i in range(n):
        s += mutable_default(i)
    return s


print(grows(500), len(mutable_default.__defaults__[0]))
