# Sorting inside hot loops: sorted() of small lists each iteration, list.sort
# with key and reverse, stability with equal keys, sort of mixed int/float,
# a key function raising partway (list left in some order), comparison of
# incomparable types (TypeError), and a list mutated during sort (ValueError).
import traceback


def small_sorts(n):
    t = 0
    for i in range(n):
        xs = [(i * 7) % 11, (i * 3) % 5, i % 13, -(i % 4)]
        s = sorted(xs)
        t += s[0] * 1000 + s[-1] * 10 + s[1]
    return t


def with_key(n):
    xs = list(range(n))
    for r in range(5):
        xs.sort(key=lambda v: (v * (r + 3)) % 17, reverse=r % 2 == 1)
    return xs[:10], xs[-10:]


def stable(n):
    pairs = [(i % 5, i) for i in range(n)]
    for _ in range(3):
        pairs.sort(key=lambda p: p[0])
    return pairs[:6], pairs[-3:]


def mixed(n):
    xs = []
    for i in range(n):
        xs.append(i % 7 if i % 2 else (i % 7) + 0.5)
        if i % 50 == 49:
            xs.sort()
    return xs[:8], xs[-4:]


def key_raises(n):
    def key(v):
        if v == n // 2:
            raise KeyError(v)
        return -v

    xs = list(range(n))
    try:
        xs.sort(key=key)
    except KeyError as e:
        return "KeyError", e.args, xs[:4]
    return xs[:4]


def incomparable(n):
    out = []
    for i in range(n):
        xs = [i, i - 1, str(i) if i % 100 == 99 else i + 1]
        try:
            xs.sort()
            out.append(xs[0])
        except TypeError as e:
            out.append(str(e))
    return len(out), out[98:100]


class Meddler:
    def __init__(self, v, target):
        self.v = v
        self.target = target

    def __lt__(self, other):
        self.target.append(0)
        return self.v < other.v


def mutated_during_sort():
    xs = []
    xs.extend(Meddler(k, xs) for k in range(20, 0, -1))
    xs.sort()


print("small_sorts", small_sorts(500))
print("with_key", with_key(200))
print("stable", stable(300))
print("mixed", mixed(300))
print("key_raises", key_raises(300))
print("incomparable", incomparable(300))
try:
    mutated_during_sort()
except ValueError:
    traceback.print_exc()
