"""Inner `for` loops over lists and ranges started again on every turn of the
outer loop, where a bridge ends one inner loop and starts the next: the
iterator the runtime makes for the next loop may be the last one's, kept at
its end. Nothing may tell: the lists' reference counts after and during the
loops, which list each loop walks (the lists change, grow, shrink and empty
between turns), an inner loop left by `break` (its iterator is the
interpreter's to drop), lists freed at their loop's end, and the garbage
collector asked for referrers and run in the middle."""

import gc
import sys


class Noisy:
    def __init__(self, tag):
        self.tag = tag

    def __del__(self):
        if self.tag % 40 == 0:
            print("del", self.tag)


def walk_lists(rows):
    total = 0
    counts = []
    for k, row in enumerate(rows):
        for x in row:
            total += x
        counts.append(sys.getrefcount(row))
        if k % 25 == 0:
            print("turn", k, total, sys.getrefcount(row))
    return total, sorted(set(counts))


rows = [list(range(k % 6)) for k in range(200)]
print(walk_lists(rows))


def walk_changing(rows):
    total = 0
    for k in range(150):
        row = rows[k % len(rows)]
        for x in row:
            total += x * k
        if k % 3 == 0:
            row.append(k)
        elif k % 3 == 1 and row:
            row.pop(0)
        if k % 50 == 0:
            inside = [sys.getrefcount(row) for _ in row]
            print("refcounts inside", k, inside[:3], sys.getrefcount(row))
    return total, rows


print(walk_changing([[1, 2, 3], [], [4.5, 5.5], [7] * 5]))


def walk_with_breaks(rows):
    total = 0
    for k, row in enumerate(rows):
        for x in row:
            if x == 3:
                break
            total += x
        for i in range(k % 4, 5):
            total += i
    return total


print(walk_with_breaks([list(range(k % 7)) for k in range(300)]))


def walk_fresh_lists(count):
    total = 0
    for k in range(count):
        for item in [Noisy(k), Noisy(k + 1)]:
            total += item.tag
        if k % 60 == 0:
            gc.collect()
            print("collected", k, total)
    return total


print(walk_fresh_lists(200))


def walk_and_ask_the_collector(rows):
    seen = []
    for k in range(len(rows)):
        row = rows[k]
        for x in row:
            pass
        if k % 40 == 0:
            referrers = [type(r).__name__ for r in gc.get_referrers(row) if not isinstance(r, (dict, list))]
            seen.append((k, sorted(referrers), gc.is_tracked(row)))
    return seen


print(walk_and_ask_the_collector([[k, k + 1] for k in range(160)]))


def nested_ranges(n):
    total = 0
    for i in range(n):
        for j in range(i % 5, i % 9):
            total += j
        for j in range(i, i + 2):
            total -= j
    return total


print(nested_ranges(400))
