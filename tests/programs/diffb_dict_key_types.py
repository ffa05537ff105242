# Dicts keyed by ints, strs, tuples, floats, bools and big ints in hot loops;
# keys that are equal across types (1 == 1.0 == True, 0.0 == -0.0), NaN keys
# (found only by identity), and unhashable keys raising TypeError.
import traceback


def int_float_bool_aliases(n):
    d = {}
    for i in range(n):
        m = i % 4
        if m == 0:
            d[1] = d.get(1, 0) + 1
        elif m == 1:
            d[1.0] = d.get(1.0, 0) + 10
        elif m == 2:
            d[True] = d.get(True, 0) + 100
        else:
            d[0.0 if i % 8 == 3 else -0.0] = i
    return [(repr(k), v) for k, v in d.items()]


def tuple_keys(n):
    grid = {}
    for i in range(n):
        p = (i % 9, i % 5)
        grid[p] = grid.get(p, 0) + i
        q = (p, "x")
        if q in grid:
            grid[q] += 1
        else:
            grid[q] = 0
    return len(grid), grid[(3, 3)], grid[((0, 0), "x")]


def float_keys(n):
    d = {}
    for i in range(n):
        x = i * 0.25
        d[x] = i
    hits = 0
    for i in range(n * 2):
        if i / 8 in d:
            hits += 1
    return len(d), hits, d[2.5]


def nan_keys(n):
    nan = float("nan")
    d = {nan: "same"}
    found = 0
    fresh = 0
    for i in range(n):
        if nan in d:
            found += 1
        if float("nan") in d:
            fresh += 1
        d[float("nan")] = i
    return found, fresh, len(d)


def big_and_str_keys(n):
    d = {}
    for i in range(n):
        d[2 ** 70 + i % 5] = i
        d[str(i % 7)] = i
        d["k" * (i % 3)] = i
    return sorted(d.items(), key=repr)


def unhashable(n):
    d = {}
    bad = 0
    for i in range(n):
        k = [i] if i % 50 == 7 else i % 10
        try:
            d[k] = d.get(k, 0) + 1
        except TypeError as e:
            bad += 1
            msg = str(e)
    return sorted(d.items()), bad, msg


def key_type_switch(n):
    d = {}
    for i in range(n):
        k = i % 10 if i < n // 2 else str(i % 10)
        d[k] = d.get(k, 0) + 1
    return d


for f in (int_float_bool_aliases, tuple_keys, float_keys, nan_keys,
          big_and_str_keys, unhashable, key_type_switch):
    print(f.__name__, f(400))
try:
    {}[[1]] = 2
except TypeError:
    traceback.print_exc()
