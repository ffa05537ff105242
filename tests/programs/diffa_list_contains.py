# `in` / `not in` on lists in hot loops: ints found and missing, floats equal
# to ints (1.0 in [1]), nan (identity beats equality), objects whose __eq__
# counts calls, raises, or returns a non-bool, and a list mutated by __eq__
# during the search.
import math
import traceback


class Counter:
    calls = 0

    def __init__(self, v):
        self.v = v

    def __eq__(self, other):
        Counter.calls += 1
        return isinstance(other, Counter) and self.v == other.v

    __hash__ = None


class Raising:
    def __init__(self, v):
        self.v = v

    def __eq__(self, other):
        if self.v == 7 and other == 7:
            raise ValueError("eq refused for 7")
        return self.v == other


class Truthy:
    def __eq__(self, other):
        return "yes" if other == 3 else ""


class Mutator:
    def __init__(self, target):
        self.target = target

    def __eq__(self, other):
        if len(self.target) > 2:
            self.target.pop()
        return False


def ints(n):
    xs = list(range(0, 100, 3))
    found = 0
    for i in range(n):
        if i % 120 in xs:
            found += 1
        if i not in xs:
            found -= 1
    return found


def floats_vs_ints(n):
    xs = [1, 2, 3, 4]
    t = 0
    for i in range(n):
        if (i % 8) * 0.5 in xs:
            t += 1
    return t


def nans(n):
    nan = math.nan
    xs = [nan, 1.0]
    t = 0
    for i in range(n):
        if nan in xs:
            t += 1
        if float("nan") in xs:
            t += 100
    return t


def counting(n):
    xs = [Counter(k) for k in range(10)]
    t = 0
    for i in range(n):
        if Counter(i % 15) in xs:
            t += 1
    return t, Counter.calls


def raising(n):
    xs = [Raising(k) for k in range(10)]
    t = 0
    errs = 0
    for i in range(n):
        try:
            if i % 12 in xs:
                t += 1
        except ValueError:
            errs += 1
    return t, errs


def truthy(n):
    xs = [0, 1, Truthy(), 5]
    return sum(1 for i in range(n) if i % 6 in xs)


def mutator(n):
    t = 0
    for i in range(n):
        xs = list(range(10))
        xs[0] = Mutator(xs)
        if 9 in xs:
            t += 1
        t += len(xs)
    return t


def uncaught(n):
    xs = [Raising(k) for k in range(10)]
    for i in range(n):
        _ = (i % 50) in xs


print("ints", ints(600))
print("floats_vs_ints", floats_vs_ints(400))
print("nans", nans(300))
print("counting", counting(300))
print("raising", raising(300))
print("truthy", truthy(300))
print("mutator", mutator(300))
try:
    uncaught(300)
except ValueError:
    traceback.print_exc()
