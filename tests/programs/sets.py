# Sets in compiled loops: `in`, `not in`, add, len and set comprehensions, with
# int and str keys, stored keys whose __eq__ runs or raises, and the identity of
# the int objects a set or dict stores.

def dedupe(items):
    seen = set()
    out = []
    for x in items:
        if x not in seen:
            seen.add(x)
            out.append(x)
    return len(out), len(seen), out[:5]

print(dedupe([i % 37 for i in range(2000)]))
print(dedupe([f"w{i % 53}" for i in range(2000)]))
print(dedupe([i * 1000 % 3001 for i in range(2000)]))

def hits(words, stop):
    n = 0
    for w in words:
        if w in stop:
            n += 1
    return n

stop = {"a", "the", "of", 3, 2.5}
print(hits(["a", "b", "the", "x", 3, 2.5, 3.0, True, 1] * 100, stop))

class Weird:
    def __init__(self, v): self.v = v
    def __hash__(self): return hash(self.v)
    def __eq__(self, o):
        print("eq called", self.v, o)
        return self.v == o

def weird(keys, s):
    n = 0
    for k in keys:
        n += k in s
    return n

print(weird(list(range(50)), {Weird(7), 100, 200}))
print(len({x * 2 for x in range(300)}), sorted({w[:1] for w in ["ab", "cd", "ae"] * 50}))
def sizes(n):
    s = set()
    total = 0
    for i in range(n):
        s.add(i % 300)
        total += len(s)
    return total
print(sizes(2000))


class Raises:
    def __hash__(self):
        return 5

    def __eq__(self, other):
        raise RuntimeError(f"eq with {other!r}")


def raising(keys, s):
    n = 0
    for k in keys:
        try:
            n += k in s
        except RuntimeError as e:
            n += 100
            last = str(e)
    return n, last


print(raising(list(range(20)), {Raises(), 1000}))


def stored_identity(values):
    s = set()
    d = {}
    for v in values:
        s.add(v)
        d[v] = len(s)
    kept = sorted(s)
    return all(k is v for k, v in zip(kept, sorted(values))), all(k is v for k, v in zip(sorted(d), kept))


print(stored_identity([10**6 + i for i in range(200)]))
