# while loops driven by float counters and float conditions.


def count_by(step, limit):
    x = 0.0
    n = 0
    while x < limit:
        x += step
        n += 1
    return n, x


def bisect_sqrt(value, rounds):
    lo = 0.0
    hi = max(1.0, value)
    i = 0
    while i < rounds:
        mid = (lo + hi) / 2.0
        if mid * mid < value:
            lo = mid
        else:
            hi = mid
        i += 1
    return lo, hi


def newton(value):
    x = value
    steps = 0
    while True:
        nxt = 0.5 * (x + value / x)
        steps += 1
        if nxt == x or steps > 5000:
            return x, steps
        x = nxt


print([count_by(s, 300.0) for s in (0.1, 0.25, 0.3, 1.0 / 3.0)])
print([bisect_sqrt(v, 3000) for v in (2.0, 10.0, 0.25)])
print([newton(v) for v in (2.0, 1e10, 3.0)])
