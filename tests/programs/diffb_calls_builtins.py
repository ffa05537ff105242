# Builtins called in hot loops: len, abs, min, max, sum, isinstance, int,
# float, divmod, sorted, round, pow, any/all, with argument types that change
# midway (int -> float -> bool -> big int), key= functions, and errors (max of
# an empty sequence, int of a float inf, float of a bad string).
import traceback


def numeric(n):
    t = 0
    for i in range(n):
        x = i - n // 2
        t += abs(x) + min(x, 3) + max(x, -3, 0) + divmod(x, 7)[0] + pow(x, 2, 11) + round(x / 3)
    return t


def changing_types(n):
    vals = []
    for i in range(n):
        x = i if i < 100 else (i * 0.5 if i < 200 else (i % 2 == 0 if i < 250 else 2 ** 65 + i))
        vals.append((abs(-x), int(x) % 7, float(x) > 10, isinstance(x, int)))
    return vals[99], vals[100], vals[200], vals[250], sum(1 for v in vals if v[3])


def containers(n):
    data = [(i * 37) % 101 for i in range(20)]
    t = 0
    for i in range(n):
        data[i % 20] = (data[i % 20] + i) % 101
        t += len(data) + sum(data) + min(data) + max(data, key=lambda v: -v)
        if any(v > 99 for v in data):
            t += 1
        if all(data):
            t += 2
    return t, sorted(data)[:5], sorted(data, reverse=True, key=lambda v: v % 10)[:5]


def conversions(n):
    t = 0.0
    errs = []
    for i in range(n):
        t += int("%d" % i) + float("%d.5" % i) + int(i * 1.7) + int(-i / 3)
        if i % 100 == 0:
            try:
                int(float("inf"))
            except OverflowError as e:
                errs.append(str(e))
            try:
                float("1.2.3")
            except ValueError as e:
                errs.append(str(e))
    return t, errs[:2], len(errs)


def empty_max(n):
    t = 0
    for i in range(n):
        seq = list(range(i % 5))
        try:
            t += max(seq)
        except ValueError as e:
            t -= 1
            msg = str(e)
    return t, msg, max([], default="d")


def sum_floats_and_start(n):
    t = 0
    for i in range(n):
        t += sum([0.1] * (i % 10)) + sum((i, i), start=1)
    return t, sum([[1], [2]], [])


def isinstance_subclasscheck(n):
    class Meta(type):
        calls = 0

        def __instancecheck__(cls, obj):
            Meta.calls += 1
            return obj == 7

    class Magic(metaclass=Meta):
        pass

    hits = 0
    for i in range(n):
        if isinstance(i % 10, Magic):
            hits += 1
    return hits, Meta.calls


for fn in (numeric, changing_types, containers, conversions, empty_max,
           sum_floats_and_start, isinstance_subclasscheck):
    print(fn.__name__, fn(300))
try:
    min(3, "a")
except TypeError:
    traceback.print_exc()
