# Dict reads, writes, `in` and `get` with int and str keys compiled as
# helpers that never run Python code, and str indexing; plus every stored
# key or value that would make them run some.
import gc


class Key:
    """Hashes like an int and compares equal to it, loudly."""

    calls = []

    def __init__(self, v):
        self.v = v

    def __hash__(self):
        return hash(self.v)

    def __eq__(self, other):
        Key.calls.append(("eq", self.v, other))
        return self.v == other


class Noisy:
    log = []

    def __init__(self, k):
        self.k = k

    def __del__(self):
        Noisy.log.append(self.k)


def counting(n):
    counts = {}
    names = {"a": 0, "b": 0, "c": 0}
    for i in range(n):
        k = (i * 7) % 101
        counts[k] = counts.get(k, 0) + 1
        key = "abc"[i % 3]
        names[key] += i
        if k in names or key not in names:
            names[key] -= 1
    return sorted(counts.items())[:5], names


def big_int_keys(n):
    d = {}
    for i in range(n):
        k = 1000 + i % 50
        d[k] = d.get(k, 0) + i
    return sum(d.values()), [type(k) for k in list(d)[:2]]


def user_key_with_equal_hash(n):
    d = {Key(5): "user", 6: "int"}
    out = []
    for i in range(n):
        out.append(d.get(i % 8, "-"))
    return out[:16], len(Key.calls)


def missing_key_raises(n):
    d = {i: i for i in range(n - 3)}
    total = 0
    for i in range(n):
        total += d[i]
    return total


def replaced_value_with_del(n):
    d = {"x": Noisy(-1), "y": 0}
    for i in range(n):
        if i % 25 == 0:
            d["x"] = Noisy(i)
        d["y"] = d["y"] + 1
    gc.collect()
    return Noisy.log[:4], d["y"]


def mutated_while_iterating(n):
    d = {i: i for i in range(10)}
    try:
        for k in d:
            d[k + 100] = n
    except RuntimeError as e:
        return "RuntimeError: %s" % e


def float_and_bool_keys(n):
    d = {1.0: "one", True: "true?", 2: "two"}
    out = []
    for i in range(n):
        out.append(d.get(i % 4))
    return out[:8], d


def namespace_dict_store(n):
    g = globals()
    for i in range(n):
        g["counter_from_loop"] = i
    return counter_from_loop  # noqa: F821


def strings(n):
    s = "héllo wörld ☃ snow"
    out = []
    for i in range(n):
        c = s[i % len(s)]
        out.append(c)
        if s[-1 - i % 3] == "w":
            out.append("!")
    return "".join(out[:40])


def index_errors(n):
    s = "abc"
    out = 0
    for i in range(n):
        out += len(s[i - n + 4])
    return out


print(counting(3000))
print(big_int_keys(400))
print(user_key_with_equal_hash(300))
try:
    print(missing_key_raises(300))
except KeyError as e:
    print("KeyError:", e)
print(replaced_value_with_del(300))
print(mutated_while_iterating(300))
print(float_and_bool_keys(300))
print(namespace_dict_store(300))
print(strings(300))
try:
    print(index_errors(300))
except IndexError as e:
    print("IndexError:", e)
