# Dict operations in hot loops with keys whose __hash__/__eq__ run Python code:
# __eq__ that mutates the dict during lookup, __hash__ that raises, __eq__ that
# raises, __hash__ that changes midway, and values whose __del__ mutates
# another dict when overwritten.
import traceback


class LoudKey:
    log = []

    def __init__(self, v):
        self.v = v

    def __hash__(self):
        return hash(self.v)

    def __eq__(self, other):
        LoudKey.log.append(self.v)
        if isinstance(other, LoudKey):
            return self.v == other.v
        return self.v == other


class Mutator:
    def __init__(self, v, target):
        self.v = v
        self.target = target

    def __hash__(self):
        return 7

    def __eq__(self, other):
        self.target[("added", len(self.target))] = 1
        return False


class BadHash:
    def __init__(self, ok):
        self.ok = ok

    def __hash__(self):
        if not self.ok:
            raise ValueError("no hash today")
        return 3


class Shifty:
    h = 1

    def __hash__(self):
        return Shifty.h

    def __eq__(self, other):
        return self is other


class Dying:
    log = []

    def __init__(self, k):
        self.k = k

    def __del__(self):
        Dying.log.append(self.k)


def loud_lookup(n):
    d = {LoudKey(i): i for i in range(5)}
    hits = 0
    for i in range(n):
        if LoudKey(i % 8) in d:
            hits += 1
    return hits, len(LoudKey.log)


def int_lookup_finds_user_key(n):
    d = {LoudKey(3): "three"}
    out = []
    for i in range(n):
        out.append(d.get(i % 5, "-"))
    return out[:10], out.count("three")


def mutate_during_lookup(n):
    d = {}
    d[Mutator(0, d)] = 0
    results = []
    for i in range(n):
        try:
            results.append(d.get(Mutator(i, d), "miss"))
        except RuntimeError as e:
            results.append("RT")
    return results[:5], len(d)


def bad_hash(n):
    d = {}
    errs = 0
    for i in range(n):
        try:
            d[BadHash(i % 9 != 4)] = i
        except ValueError:
            errs += 1
            if errs == 1:
                traceback.print_exc()
    return len(d), errs


def shifting_hash(n):
    s = Shifty()
    d = {s: "x"}
    found = 0
    for i in range(n):
        if i == n // 2:
            Shifty.h = 2
        if s in d:
            found += 1
    return found


def del_on_overwrite(n):
    d = {}
    for i in range(n):
        d[i % 4] = Dying(i)
    return len(Dying.log), Dying.log[:6], Dying.log[-2:]


for f in (loud_lookup, int_lookup_finds_user_key, mutate_during_lookup,
          bad_hash, shifting_hash, del_on_overwrite):
    print(f.__name__, f(300))
