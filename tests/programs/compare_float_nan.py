# Float comparisons, nan (every ordering false, != true), and mixed int/float
# comparisons, which CPython does exactly even beyond 2**53.
nan = float("nan")
inf = float("inf")


def compare_all(xs, y):
    counts = [0, 0, 0, 0, 0, 0]
    for x in xs:
        counts[0] += x < y
        counts[1] += x <= y
        counts[2] += x == y
        counts[3] += x != y
        counts[4] += x > y
        counts[5] += x >= y
    return counts


def sweep(n, threshold):
    below = above = equal = 0
    x = -n / 4.0
    for i in range(n):
        if x < threshold:
            below += 1
        elif x > threshold:
            above += 1
        elif x == threshold:
            equal += 1
        x += 0.5
    return below, above, equal


def exact_mixed(n):
    big = 2**53
    hits = 0
    for i in range(n):
        f = float(big) + 2.0 * i
        if big + 2 * i + 1 > f:
            hits += 1
        if big + 2 * i == f:
            hits += 100
    return hits


floats = [float(i) - 1500.25 for i in range(3000)] + [nan, inf, -inf, 0.0, -0.0]
for y in (0.0, -0.0, 3.5, nan, inf, -inf, 7, 2**53 + 1):
    print(repr(y), compare_all(floats, y))
ints = list(range(-1500, 1500))
for y in (0.5, -0.5, 100.0, nan, inf, 2.0**62):
    print(repr(y), compare_all(ints, y))
print(sweep(6000, 10.0), sweep(6000, nan), sweep(6000, 10))
print(exact_mixed(3000))
