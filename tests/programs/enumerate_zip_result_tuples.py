"""`enumerate` and `zip` cache their last result tuple and refill it each turn,
so it holds the turn's items until the next one: an item the loop body drops
its last other reference to lives until then, and its `__del__` runs in the
next `FOR_ITER`. Compiled turns must refill it too: `__del__` order, the
items' reference counts inside the loop, the collector seeing the tuple, a
tuple someone else holds (then each turn gets a new one), items that are
numbers or strs (freed from compiled code) and objects (freed by the
interpreter), and a `zip` of three iterators (not compiled)."""

import gc
import sys


class Noisy:
    def __init__(self, tag):
        self.tag = tag

    def __del__(self):
        if self.tag % 50 < 3:
            print("del", self.tag)


def drop_items(n):
    items = [Noisy(i) for i in range(n)]
    for i, item in enumerate(items):
        items[i] = None
        item = None
        if i % 50 == 1:
            print("turn", i)
    print("done", n)


drop_items(300)
drop_items(160)


def drop_zipped(n):
    left = [Noisy(i) for i in range(n)]
    right = [i * 0.5 for i in range(n)]
    total = 0.0
    for a, b in zip(left, right):
        total += b
        left[a.tag] = None
        a = None
        if int(b * 2) % 50 == 1:
            print("zip turn", total)
    return total


print(drop_zipped(200))


def refcounts(rows):
    seen = set()
    for k, row in enumerate(rows):
        seen.add(sys.getrefcount(row))
        for x in row:
            pass
    return sorted(seen)


print(refcounts([[k] for k in range(200)]))


def referrers(rows):
    seen = []
    for k, row in enumerate(rows):
        if k % 40 == 0:
            kinds = sorted(type(r).__name__ for r in gc.get_referrers(row) if not isinstance(r, (dict, list)))
            seen.append((k, kinds))
    return seen


print(referrers([[k, k + 1] for k in range(200)]))


def held_tuple(n):
    items = [str(i) * 3 for i in range(n)]
    held = None
    count = 0
    for i, s in enumerate(items):
        count += len(s)
        if i == 40:
            held = [r for r in gc.get_referrers(s) if type(r) is tuple]
    return count, held


print(held_tuple(150))


def numbers_and_strs(n):
    floats = [i * 1.5 for i in range(n)]
    words = [str(i) + "w" for i in range(n)]
    total = 0.0
    length = 0
    i = 0
    for x, w in zip(floats, words):
        floats[i] = x * 2.0
        total += x
        length += len(w)
        i += 1
    for i, x in enumerate(floats):
        floats[i] = x + 0.25
    return total, length, floats[-3:], words[-3:]


print(numbers_and_strs(300))


def over_ranges(n):
    total = 0
    for i, j in enumerate(range(5, 5 + n)):
        total += i * j
    for a, b in zip(range(n), range(n, 0, -1)):
        total -= a * b
    return total


print(over_ranges(400))


def index_objects(n):
    xs = [str(k) for k in range(n)]
    seen = []
    for i, x in enumerate(xs):
        if i in (5, 300, n - 1):
            pairs = [r for r in gc.get_referrers(x) if type(r) is tuple]
            seen.append([(type(p[0]).__name__, p[0], p[1]) for p in pairs])
    return i, seen


print(index_objects(400))


def three_way(n):
    a = [Noisy(i) for i in range(n)]
    b = list(range(n))
    c = [i * 2 for i in range(n)]
    total = 0
    for x, y, z in zip(a, b, c):
        a[y] = None
        x = None
        total += y + z
    return total


print(three_way(120))
