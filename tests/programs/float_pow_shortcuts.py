# `x ** 0.5` and `x ** 2` (compiled code computes most of them inline as a
# square root and a product): results must be the C library's `pow`, bit for
# bit, also where the true result lies at or near the midpoint between two
# floats, where a correctly rounded root or product may differ from `pow`.

import random


def roots(values):
    out = []
    for x in values:
        out.append(x ** 0.5)
    return out


def squares(values):
    out = []
    for x in values:
        out.append(x ** 2)
    return out


def distances(points):
    total = 0.0
    for x, y in points:
        d2 = x * x + y * y
        total += d2 * d2 ** 0.5 + (x - y) ** 2.0
    return total


def exponent_changes(n):
    total = 0.0
    e = 2.0
    for i in range(n):
        total += (i + 0.5) ** e
        if i == n // 2:
            e = 0.5
    return total


# Squares of odd 27-bit integers above 2**26.5 have 54 bits: ties, which
# `pow` and a product round differently about every third time. Roots of
# random floats land near a midpoint about once in a thousand.
values = [i * 0.37 + 1e-3 for i in range(3000)]
values += [(94906267 + 2 * 7919 * k) * 2.0 ** (k % 90 - 45) for k in range(3000)]
generator = random.Random(5)
values += [generator.uniform(1.0, 1e6) for _ in range(20000)]
values += [-(i * 1.5) for i in range(200)] + [0.0, -0.0, 1.0, -1.0, 4.0, 0.25, 1e-310, 5e-324, 1e150]
print(hash(tuple(squares(values))), squares(values)[-12:])
positive = [v for v in values if v >= 0.0] + [1e300, float("inf")]
print(hash(tuple(roots(positive))), roots(positive)[-9:])
print(repr(distances([(i * 0.25 - 30.0, 17.0 - i * 0.125) for i in range(4000)])))
print(repr(exponent_changes(3000)))
print(roots([4.0] * 500 + [-4.0])[-1])  # complex
try:
    squares([1e100] * 500 + [1e200])
except OverflowError as error:
    print("OverflowError:", error)
