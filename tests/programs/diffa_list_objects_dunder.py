# Lists holding objects with misbehaving special methods in hot loops:
# __del__ that prints when an element is overwritten or popped (order must
# match CPython), __index__ that mutates the list it indexes, __eq__ used by
# list.index/count/remove that raises or mutates, and __hash__ raising for
# objects put in a list and then in a dict key lookup.
import traceback


class Noisy:
    def __init__(self, tag):
        self.tag = tag

    def __del__(self):
        print("del", self.tag)


class Sneaky:
    def __init__(self, target, v):
        self.target = target
        self.v = v

    def __index__(self):
        if len(self.target) > 5:
            self.target.pop()
        return self.v


class EqCount:
    calls = 0

    def __init__(self, v):
        self.v = v

    def __eq__(self, other):
        EqCount.calls += 1
        if isinstance(other, EqCount):
            return self.v == other.v
        if other == "boom":
            raise KeyError("compared with boom")
        return NotImplemented

    def __hash__(self):
        if self.v < 0:
            raise TypeError("negative not hashable")
        return self.v % 7


def overwrite(n):
    xs = [Noisy(k) for k in range(3)]
    for i in range(n):
        xs[i % 3] = Noisy("n%d" % i) if i % 100 == 0 else i
    print("loop done")
    return len(xs)


def pops(n):
    xs = [Noisy("p%d" % k) if k % 60 == 0 else k for k in range(n)]
    t = 0
    while xs:
        x = xs.pop()
        if isinstance(x, int):
            t += x
    print("pops done")
    return t


def sneaky_index(n):
    xs = list(range(50))
    t = 0
    for i in range(n):
        try:
            t += xs[Sneaky(xs, i % 50)]
        except IndexError:
            t -= 1
    return t, len(xs)


def index_count(n):
    EqCount.calls = 0
    xs = [EqCount(k % 10) for k in range(40)]
    t = 0
    for i in range(n):
        probe = EqCount(i % 12)
        t += xs.count(probe)
        try:
            t += xs.index(probe) * 10
        except ValueError:
            t -= 1
    return t, EqCount.calls


def raising_eq(n):
    xs = [EqCount(k) for k in range(10)] + ["boom"]
    t = 0
    for i in range(n):
        try:
            t += xs.index(EqCount(i % 15))
        except KeyError:
            t += 1000
        except ValueError:
            t -= 1
    return t


def hash_in_loop(n):
    d = {}
    xs = [EqCount(k - 3) for k in range(20)]
    t = 0
    for i in range(n):
        key = xs[i % 20]
        try:
            d[key] = d.get(key, 0) + 1
        except TypeError:
            t += 1
    return t, sorted(k.v for k in d)


def hash_uncaught(n):
    d = {}
    for i in range(n):
        d[EqCount(n // 2 - i)] = i
    return len(d)


print("overwrite", overwrite(300))
print("pops", pops(300))
print("sneaky_index", sneaky_index(300))
print("index_count", index_count(300))
print("raising_eq", raising_eq(300))
print("hash_in_loop", hash_in_loop(300))
try:
    hash_uncaught(300)
except TypeError:
    traceback.print_exc()
