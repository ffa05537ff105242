# An inlined callee that changes an object (a dict, a list, an instance) and
# then takes a branch the trace did not record: the call must not run twice
# (an exit re-runs the whole call in the interpreter).


def bump(d, k):
    d[k] = d.get(k, 0) + 1
    if k % 3 == 0:
        return 1
    return 0


def push(xs, v):
    xs.append(v)
    if v % 4 == 0:
        return -1
    return len(xs)


def store(xs, i, v):
    xs[i] = v
    return v if v > 10 else 0.5


class Counter:
    def __init__(self):
        self.n = 0

    def tick(self, step):
        self.n = self.n + step
        if step > 2:
            return "big"
        return "small"


def dicts(n):
    d = {}
    t = 0
    for i in range(n):
        t += bump(d, i % 5)
    return t, sorted(d.items())


def lists(n):
    xs = []
    t = 0
    for i in range(n):
        t += push(xs, i)
    return t, len(xs), xs[-3:]


def list_stores(n):
    xs = [0] * 8
    t = 0.0
    for i in range(n):
        t += store(xs, i % 8, i % 13)
    return t, xs


def methods(n):
    c = Counter()
    out = []
    for i in range(n):
        out.append(c.tick(i % 4))
    return c.n, out.count("big")


for f in (dicts, lists, list_stores, methods):
    print(f.__name__, f(300))
