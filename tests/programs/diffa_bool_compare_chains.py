# bool arithmetic and comparison chains in hot loops: sums of comparisons,
# bools multiplied and negated, True/False as list indices, chains a < b < c
# with the middle evaluated once, chains mixing int/float/bool, chains over
# objects whose comparisons count calls or return non-bools, and a chain that
# raises TypeError partway.
import traceback


class Cmp:
    calls = 0

    def __init__(self, v):
        self.v = v

    def __lt__(self, other):
        Cmp.calls += 1
        o = other.v if isinstance(other, Cmp) else other
        return self.v < o

    def __gt__(self, other):
        Cmp.calls += 1
        o = other.v if isinstance(other, Cmp) else other
        return self.v > o


class Weird:
    def __lt__(self, other):
        return [] if other % 2 else [0]


def bool_sums(n):
    t = 0
    for i in range(n):
        t += (i % 3 == 0) + (i % 5 == 0) * 2 - (i > n // 2) + -(i % 7 == 0) + ~(i & 1 == 1)
    return t


def bool_index(n):
    names = ["odd", "even"]
    counts = [0, 0]
    for i in range(n):
        counts[i % 2 == 0] += 1
        counts[-(i % 3 == 0)] += 2
    return counts, names[True]


def chains(n):
    t = 0
    for i in range(n):
        a = i % 10
        b = i % 7
        if 0 < a < b < 6:
            t += 1
        if a == b == 3:
            t += 10
        if a != b != a:
            t += 100
        if 2 <= a <= 4 > b >= 1:
            t += 1000
    return t


def mixed_chains(n):
    t = 0
    for i in range(n):
        x = i * 0.5
        if 0.5 <= x < 100 <= i * 1 < 2 ** 64:
            t += 1
        if False < (i % 2 == 1) <= True:
            t += 10
        if -1.5 < -i // 3 < 0 == False:
            t += 100
    return t


def counted(n):
    t = 0
    Cmp.calls = 0
    for i in range(n):
        if Cmp(1) < Cmp(i % 4) < 3:
            t += 1
    return t, Cmp.calls


def non_bool(n):
    t = 0
    w = Weird()
    for i in range(n):
        if w < i:
            t += 1
        r = (w < i) if i < 5 else None
        if r is not None:
            t += len(r) * 100
    return t


def raising_chain(n):
    t = 0
    for i in range(n):
        mid = i if i < n - 3 else "mid"
        if 0 <= mid < n:
            t += 1
    return t


print("bool_sums", bool_sums(600))
print("bool_index", bool_index(600))
print("chains", chains(700))
print("mixed_chains", mixed_chains(500))
print("counted", counted(400))
print("non_bool", non_bool(300))
try:
    raising_chain(300)
except TypeError:
    traceback.print_exc()
