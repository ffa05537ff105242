# Set algebra (|, &, -, ^, in-place forms, issubset, comparisons) inside hot
# loops, and set elements whose __eq__/__hash__ run Python code that logs,
# raises, or mutates the set being probed.
import traceback


class Elem:
    eqs = 0

    def __init__(self, v):
        self.v = v

    def __hash__(self):
        return self.v % 4

    def __eq__(self, other):
        Elem.eqs += 1
        return isinstance(other, Elem) and self.v == other.v

    def __repr__(self):
        return "E%d" % self.v


class Grower:
    def __init__(self, target):
        self.target = target

    def __hash__(self):
        return 1

    def __eq__(self, other):
        self.target.add(len(self.target) + 1000)
        return False


class Raiser:
    def __hash__(self):
        return 5

    def __eq__(self, other):
        raise LookupError("cannot compare")


def algebra(n):
    a = set()
    b = set()
    acc = []
    for i in range(n):
        a.add(i % 13)
        b.add(i % 7 * 2)
        u = a | b
        x = a & b
        d = a - b
        s = a ^ b
        acc.append((len(u), len(x), len(d), len(s)))
    return acc[-1], sorted(x), a <= u, b < a, a.isdisjoint({100})


def inplace(n):
    s = set(range(50))
    for i in range(n):
        if i % 3 == 0:
            s |= {i % 60}
        elif i % 3 == 1:
            s -= {i % 45}
        else:
            s ^= {i % 10, 70}
        s &= set(range(80))
    return sorted(s)


def user_elems(n):
    s = {Elem(i) for i in range(8)}
    hits = 0
    for i in range(n):
        if Elem(i % 12) in s:
            hits += 1
    return hits, Elem.eqs > 0


def grows_during_probe(n):
    first = Grower(None)
    s = {first}
    first.target = s
    for i in range(n):
        g = Grower(s)
        try:
            g in s
        except RuntimeError:
            pass
    return len(s) > 1, min(x for x in s if isinstance(x, int))


def raising_eq(n):
    s = {Raiser()}
    caught = 0
    for i in range(n):
        try:
            if i % 50 == 0:
                Raiser() in s
            else:
                (i in s)
        except LookupError:
            caught += 1
            if caught == 2:
                traceback.print_exc()
    return caught


def frozensets_as_keys(n):
    seen = {}
    for i in range(n):
        k = frozenset({i % 3, i % 5})
        seen[k] = seen.get(k, 0) + 1
    return sorted((sorted(k), v) for k, v in seen.items())


for f in (algebra, inplace, user_elems, grows_during_probe, raising_eq, frozensets_as_keys):
    print(f.__name__, f(300))
