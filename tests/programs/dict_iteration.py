# for over a dict's keys, values and items in hot loops: holes left by
# deletions, changing a dict while iterating it (CPython raises), stores to
# existing keys while iterating, instance __dict__s (split tables), pairs kept
# as tuples, and values released by stores while the loop holds them.
import traceback


def sums(n):
    d = {i: i * 3 for i in range(n)}
    for k in range(0, n, 7):
        del d[k]
    a = b = c = 0
    for k in d:
        a += k
    for v in d.values():
        b += v
    for k, v in d.items():
        c += v - k
    return a, b, c


def str_keys(n):
    d = {f"k{i}": i for i in range(n)}
    out = []
    for k, v in d.items():
        if v % 50 == 0:
            out.append(k)
    for k in d.keys():
        if k.endswith("99"):
            out.append(k)
    return out


def stores_while_iterating(n):
    d = {i: 0 for i in range(n)}
    for k in d:
        d[k] = k * 2
    for k, v in d.items():
        d[k] = v + 1.5
    return sum(d.values())


def grows_while_iterating(n):
    d = {i: i for i in range(n)}
    try:
        for k in d:
            if k == n // 2:
                d[-1] = 0
    except RuntimeError:
        traceback.print_exc()
    return len(d)


def shrinks_while_iterating(n):
    d = {i: i for i in range(n)}
    try:
        for k, v in d.items():
            if v == n - 10:
                del d[0]
    except RuntimeError as e:
        print("caught:", e)
    return len(d)


def same_size_other_keys(n):
    d = {i: i for i in range(n)}
    seen = 0
    try:
        for k in d:
            seen += 1
            if k == n // 3:
                del d[n - 1]
                d[n + 5] = 1
    except RuntimeError as e:
        print("caught:", e)
    return seen


class Point:
    def __init__(self, i):
        self.x = i
        self.y = i * 2
        self.z = -i


def instance_dicts(n):
    t = 0
    for i in range(n):
        for name, v in vars(Point(i)).items():
            t += v if name != "z" else 0
    return t


def pairs_kept(n):
    d = {i: str(i) for i in range(n)}
    last = None
    for pair in d.items():
        last = pair
    return last


class Noisy:
    log = []

    def __init__(self, name):
        self.name = name

    def __del__(self):
        Noisy.log.append(self.name)


def values_released(n):
    d = {i: Noisy(i) for i in range(n)}
    kept = []
    for k, v in d.items():
        d[k] = k
        kept.append(v.name)
    return kept[-3:], Noisy.log[-3:]


def nested(n):
    outer = {i: {j: i * j for j in range(10)} for i in range(n // 10)}
    t = 0
    for i, inner in outer.items():
        for j, v in inner.items():
            t += v - i - j
    return t


for f in (sums, str_keys, stores_while_iterating, grows_while_iterating, shrinks_while_iterating,
          same_size_other_keys, instance_dicts, pairs_kept, values_released, nested):
    print(f.__name__, f(300))
