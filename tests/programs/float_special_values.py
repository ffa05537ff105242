# -0.0, nan and inf flowing through hot float loops, printed with repr so the
# sign of zero and the kind of infinity are visible.
import math

inf = float("inf")
nan = float("nan")


def negative_zero(n):
    z = 0.0
    signs = 0
    for i in range(n):
        z = z * -1.0
        w = -z
        if math.copysign(1.0, z) < 0:
            signs += 1
        z = z - 0.0 if i % 2 else z + 0.0
    return z, w, signs


def overflow_to_inf(n):
    x = 1.0
    steps = 0
    for i in range(n):
        x = x * 1.5
        if x == inf:
            steps += 1
    return x, steps


def nan_propagation(n):
    x = 0.0
    count_eq = count_ne = count_lt = 0
    for i in range(n):
        y = x + (nan if i == n // 2 else 1.0)
        if y == y:
            count_eq += 1
        if y != y:
            count_ne += 1
        if y < 1e300:
            count_lt += 1
        x = y
    return x, count_eq, count_ne, count_lt


def inf_arith(n):
    results = []
    a = inf
    b = -inf
    for i in range(n):
        c = a + b
        d = a * 0.0
        e = 1.0 / a
        f = -1.0 / a
        g = a - a
        if i % 1000 == 0:
            results.append((c, d, e, f, g, a * -1.0, b * b))
    return results


z, w, signs = negative_zero(3001)
print(repr(z), repr(w), signs)
print([repr(v) for v in overflow_to_inf(3000)])
x, *counts = nan_propagation(4000)
print(repr(x), counts)
for row in inf_arith(3000):
    print([repr(v) for v in row])
print(repr(-0.0 + 0.0), repr(-0.0 - 0.0), repr(-0.0 * 5), repr(0.0 * -5), repr(-0.0 / 1))
