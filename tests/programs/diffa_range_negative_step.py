# for over ranges with negative and unusual steps in hot loops: counting down
# to and past zero, steps that do not divide the span, empty ranges, ranges
# with big-int bounds, range objects indexed and sliced in the loop, the loop
# variable reassigned inside the body, and a step of zero (ValueError).
import traceback


def countdown(n):
    t = 0
    for i in range(n, -n, -1):
        t += i * abs(i)
    return t


def uneven_steps(n):
    out = []
    for step in (-3, -7, -13):
        t = 0
        last = None
        for i in range(n, 0, step):
            t += i
            last = i
        out.append((t, last))
    return out


def empty_ranges(n):
    t = 0
    for k in range(n):
        for i in range(k, k + 5, -1):
            t += 1000
        for i in range(-k, -k - 2, -1):
            t += i
    return t


def big_bounds(n):
    base = 2 ** 70
    t = 0
    for i in range(base + n, base, -2):
        t += i - base
    last = None
    for i in range(2 ** 63 - 3, 2 ** 63 + 3):
        last = i
        t += i & 7
    return t, last


def range_objects(n):
    r = range(100, -100, -3)
    t = 0
    for i in range(n):
        t += r[i % len(r)] + r[-(i % 7) - 1]
        if i % 50 == 0:
            t += len(r[::-2]) + r[5:1:-1][0]
    return t


def reassign_var(n):
    t = 0
    for i in range(n, 0, -1):
        t += i
        i = i * 100
        t -= i // 100
    return t, i


def zero_step(n):
    t = 0
    for k in range(n, -1, -1):
        for i in range(0, 10, k - 3):
            t += i
    return t


print("countdown", countdown(300))
print("uneven_steps", uneven_steps(500))
print("empty_ranges", empty_ranges(300))
print("big_bounds", big_bounds(600))
print("range_objects", range_objects(400))
print("reassign_var", reassign_var(400))
try:
    zero_step(300)
except ValueError:
    traceback.print_exc()
