# Sets in hot loops: add/discard/remove, `in` / `not in` with ints, strs,
# tuples and floats, KeyError from remove, iterating a set that is mutated
# (RuntimeError), and elements whose type changes midway.
import traceback


def add_discard(n):
    s = set()
    for i in range(n):
        s.add(i % 37)
        if i % 5 == 0:
            s.discard(i % 11)
        s.discard(-1)
    return sorted(s)


def membership_mixed(n):
    s = {1, 2.5, "a", (1, 2), frozenset({3})}
    hits = []
    for i in range(n):
        x = (1, 2) if i % 5 == 0 else ("a" if i % 5 == 1 else (i % 4) * 1.25)
        if x in s:
            hits.append(i % 5)
        if frozenset({i % 4}) not in s:
            hits.append(-1)
    return len(hits), hits[:12]


def remove_keyerror(n):
    s = set(range(0, n, 2))
    errs = 0
    for i in range(n):
        try:
            s.remove(i)
        except KeyError:
            errs += 1
    return len(s), errs


def mutate_while_iterating(n):
    caught = 0
    for rnd in range(n):
        s = set(range(10))
        try:
            for x in s:
                if x == rnd % 10:
                    s.add(100 + x)
        except RuntimeError as e:
            caught += 1
            msg = str(e)
    return caught, msg


def int_then_str(n):
    s = set()
    for i in range(n):
        v = i % 20 if i < n // 2 else "v%d" % (i % 20)
        if v not in s:
            s.add(v)
    return len(s), sorted(x for x in s if isinstance(x, int))[:5], sorted(x for x in s if isinstance(x, str))[:5]


def unhashable_add(n):
    s = set()
    for i in range(n):
        try:
            s.add([i] if i % 97 == 13 else i % 9)
        except TypeError:
            traceback.print_exc()
    return sorted(s)


def bool_int_alias(n):
    s = set()
    for i in range(n):
        s.add(i % 2 == 0)
        s.add(i % 3)
        s.add(float(i % 2))
    return sorted(s), [type(x).__name__ for x in sorted(s)]


for f in (add_discard, membership_mixed, remove_keyerror, mutate_while_iterating,
          int_then_str, unhashable_add, bool_int_alias):
    print(f.__name__, f(300))
