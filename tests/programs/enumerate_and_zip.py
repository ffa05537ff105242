# `for i, x in enumerate(...)` and `for a, b in zip(...)` over lists, tuples and
# ranges, with exits partway, uneven zips (CPython consumes an item of the first
# iterator before it finds a later one exhausted), strict zips, and nesting.


def weighted(xs):
    total = 0.0
    for i, x in enumerate(xs):
        total += i * x
    return total


def with_start(xs):
    total = 0
    for i, x in enumerate(xs, 10):
        total += i - x
    return total


def dot(xs, ys):
    total = 0
    for a, b in zip(xs, ys):
        total += a * b
    return total


def triple(xs, ys, n):
    total = 0
    for a, b, c in zip(xs, ys, range(n)):
        if c % 5 == 0:
            total -= a
        else:
            total += b * c
    return total


def uneven(n):
    it = iter(range(n))
    pairs = 0
    for a, b in zip(it, [0] * (n // 2)):
        pairs += a - b
    return pairs, next(it)


def strict(xs, ys):
    total = 0
    for a, b in zip(xs, ys, strict=True):
        total += a + b
    return total


def nested(rows):
    total = 0
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            total += r * c * value
    return total


def keep_pairs(xs):
    last = None
    for pair in enumerate(xs):
        last = pair
    return last


floats = [k * 0.5 for k in range(3000)]
ints = list(range(3000))
print(weighted(floats), weighted(tuple(ints)), with_start(ints))
print(dot(ints, floats), dot(tuple(ints), ints[::-1]))
print(triple(ints, floats, 2500), triple(floats, ints, 4000))
print(uneven(3001))
print(strict(ints, ints))
try:
    strict(ints, ints[:-1])
except ValueError as error:
    print("ValueError:", error)
print(nested([[c + r for c in range(60)] for r in range(50)]))
print(keep_pairs(ints))
