# List indexing in hot loops with negative and out-of-range indices: reads from
# the end, indices that walk off either end (IndexError caught inside the loop
# and uncaught with a traceback), bool and __index__ objects used as indices,
# and an index that changes type midway (int -> float -> TypeError).
import sys
import traceback


class Idx:
    def __init__(self, v):
        self.v = v

    def __index__(self):
        if self.v == 13:
            raise RuntimeError("bad index 13")
        return self.v


def from_end(xs):
    t = 0
    for i in range(1, len(xs) + 1):
        t += xs[-i] * i
    return t


def walk_off(xs, n):
    hits = 0
    misses = []
    for i in range(-n, n):
        try:
            hits += xs[i]
        except IndexError as e:
            if len(misses) < 3:
                misses.append((i, str(e)))
            else:
                misses.append(i)
    return hits, misses[:5], len(misses)


def bool_indices(xs, n):
    t = 0
    for i in range(n):
        t += xs[i % 2 == 0] + xs[-(i % 3 == 1)]
    return t


def index_objects(xs, n):
    t = 0
    errs = 0
    for i in range(n):
        try:
            t += xs[Idx(i % 20)]
        except RuntimeError:
            errs += 1
    return t, errs


def type_change(xs, n):
    t = 0
    k = 0
    for i in range(n):
        if i == n // 2:
            k = 1.0
        try:
            t += xs[k]
        except TypeError as e:
            return t, i, str(e)
        k = (k + 1) % len(xs) if isinstance(k, int) else k
    return t


def uncaught(xs):
    t = 0
    i = 0
    while True:
        t += xs[i]
        i -= 1


data = list(range(1, 101))
print("from_end", from_end(data), from_end([x * 0.5 for x in data]))
print("walk_off", walk_off(data, 150))
print("bool_indices", bool_indices(data, 400))
print("index_objects", index_objects(data, 400))
print("type_change", type_change(data, 400))
try:
    uncaught(data)
except IndexError:
    traceback.print_exc()
print("done", file=sys.stderr)
