# zip in hot loops: unequal lengths (which iterator is consumed one extra
# item), three and four iterables, zip(strict=True) raising when the first or
# a later argument is shorter (caught and uncaught), zip of generators with side
# effects, and nested zip/enumerate.
import traceback


def log_gen(name, n, log):
    for i in range(n):
        log.append((name, i))
        yield i


def unequal(n):
    a = iter(range(n))
    b = iter(range(n // 2))
    t = 0
    for x, y in zip(a, b):
        t += x * y
    return t, next(a, "a-empty"), next(b, "b-empty")


def unequal_first_short(n):
    a = iter(range(n // 2))
    b = iter(range(n))
    t = 0
    for x, y in zip(a, b):
        t += x - y
    return t, next(a, "a-empty"), next(b, "b-empty")


def many(n):
    t = 0.0
    for a, b, c, d in zip(range(n), [i * 0.5 for i in range(n + 3)], (1, -1) * n, "xyz" * n):
        t += a * b * c + ord(d)
    return t


def strict_ok(n):
    t = 0
    for a, b in zip(range(n), range(n, 0, -1), strict=True):
        t += a * b
    return t


def strict_fail(n, m, k):
    t = 0
    try:
        for a, b, c in zip(range(n), range(m), range(k), strict=True):
            t += a + b + c
    except ValueError as e:
        return t, str(e)
    return t


def generators(n):
    log = []
    t = 0
    for x, y in zip(log_gen("A", n, log), log_gen("B", n - 3, log)):
        t += x + y
    return t, log[-4:], len(log)


def nested(rows):
    t = 0
    for r, (left, right) in enumerate(zip(rows, rows[1:])):
        for c, (a, b) in enumerate(zip(left, right), 1):
            t += (a - b) * c + r
    return t


def strict_uncaught(n):
    t = 0
    for a, b in zip([1] * n, [2] * (n + 1), strict=True):
        t += a + b
    return t


print("unequal", unequal(500))
print("unequal_first_short", unequal_first_short(500))
print("many", many(400))
print("strict_ok", strict_ok(500))
print("strict_fail", strict_fail(300, 400, 400), strict_fail(400, 300, 400), strict_fail(400, 400, 300), strict_fail(400, 400, 500))
print("generators", generators(300))
print("nested", nested([[(r * 7 + c) % 10 for c in range(30 - r % 4)] for r in range(30)]))
try:
    strict_uncaught(300)
except ValueError:
    traceback.print_exc()
