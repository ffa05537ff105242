# Float accumulations in hot loops: sums that lose precision (0.1 added many
# times), products underflowing to 0.0 and overflowing to inf, alternating
# series, the sign of zero kept through a loop (-0.0), int accumulators that
# turn into floats midway, and a float accumulator fed a big int (exact add
# converts; one too big raises OverflowError).
import math
import traceback


def tenth_sum(n):
    s = 0.0
    for _ in range(n):
        s += 0.1
    return s, s == n / 10, repr(s)


def under_over(n):
    small = 1.0
    big = 1.0
    first_zero = first_inf = None
    for i in range(n):
        small *= 0.5
        big *= 3.0
        if small == 0.0 and first_zero is None:
            first_zero = i
        if big == math.inf and first_inf is None:
            first_inf = i
    return small, big, first_zero, first_inf


def alternating(n):
    s = 0.0
    sign = 1.0
    for k in range(n):
        s += sign / (2 * k + 1)
        sign = -sign
    return 4 * s


def negative_zero(n):
    z = -0.0
    for i in range(n):
        z = z * 1.0
        z = z - 0.0
    w = 0.0
    for i in range(n):
        w = -w
    return math.copysign(1.0, z), str(z), str(w), z == 0.0


def int_to_float(n):
    acc = 0
    for i in range(n):
        if i == n // 2:
            acc += 0.5
        acc += i
    return acc, type(acc).__name__


def big_int_feed(n):
    s = 0.5
    for i in range(n):
        s += 10 ** (i % 300)
    return s


def too_big(n):
    s = 0.0
    for i in range(n):
        s += 10 ** (300 + i)
    return s


print("tenth_sum", tenth_sum(1000))
print("under_over", under_over(1100))
print("alternating", alternating(800))
print("negative_zero", negative_zero(300))
print("int_to_float", int_to_float(601))
print("big_int_feed", big_int_feed(500))
try:
    too_big(300)
except OverflowError:
    traceback.print_exc()
