# Lists of floats in hot loops: prefix sums stored back, normalization, running
# min/max, a list holding nan/inf, ints mixed into a float list midway, and
# in-place scaling where a float element is replaced by a big int.
import math


def prefix(xs):
    out = [0.0] * len(xs)
    s = 0.0
    for i in range(len(xs)):
        s += xs[i]
        out[i] = s
    return out[-1], out[len(out) // 2]


def normalize(xs):
    total = 0.0
    for x in xs:
        total += x * x
    norm = math.sqrt(total)
    for i in range(len(xs)):
        xs[i] = xs[i] / norm
    return xs[:3]


def min_max(xs):
    lo = hi = xs[0]
    for x in xs:
        if x < lo:
            lo = x
        if x > hi:
            hi = x
    return lo, hi


def with_specials(n):
    xs = [i * 0.1 for i in range(n)]
    xs[n // 3] = math.inf
    xs[2 * n // 3] = math.nan
    s = 0.0
    cnt_gt = 0
    for x in xs:
        s += x
        if x > 10.0:
            cnt_gt += 1
    return s, cnt_gt, math.isnan(s)


def mixed(n):
    xs = [i * 0.5 for i in range(n)]
    for i in range(n // 2, n, 3):
        xs[i] = i
    t = 0.0
    for i in range(n):
        t += xs[i] * 2
    return t, type(xs[n // 2]).__name__


def scale_to_big(n):
    xs = [1.5] * n
    for i in range(n):
        if i == n - 10:
            xs[i] = 10 ** 30
        xs[i] = xs[i] * 3
    return xs[0], xs[n - 10], type(xs[n - 10]).__name__, xs[-1]


print("prefix", prefix([i * 0.01 for i in range(800)]))
print("normalize", normalize([float(i % 13) for i in range(500)]))
print("min_max", min_max([math.sin(i) * 100 for i in range(700)]))
print("min_max nan first", min_max([math.nan] + [float(i) for i in range(300)]))
print("with_specials", with_specials(600))
print("mixed", mixed(600))
print("scale_to_big", scale_to_big(400))
