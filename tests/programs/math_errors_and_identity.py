# math functions raise what CPython raises, from the same line, when their argument
# leaves their domain partway through a compiled loop; min/max return the argument
# objects themselves and follow CPython with NaN.
import math


def sqrt_until_negative(n):
    total = 0.0
    x = float(n)
    for i in range(2 * n):
        total += math.sqrt(x)
        x -= 1.0
    return total


def logs(n):
    total = 0.0
    for i in range(n, -5, -1):
        total += math.log(i)
    return total


def min_max_identity(n):
    big_a = 10**15 + 1
    big_b = 10**15 + 2
    same = 0
    nan = float("nan")
    picks = 0.0
    for i in range(n):
        m = min(big_a, big_b)
        M = max(big_a, big_b)
        picks += min(nan, 1.0) != min(nan, 1.0)
        picks += max(1.0, nan) + min(2, 1.5) + max(-0.0, 0.0)
        if i % 50 == 49:
            same += (m is big_a) + (M is big_b) * 2
    return same, picks


def floor_overflow(n):
    x = 1.0
    total = 0
    for i in range(n):
        x *= 10.0
        total += math.floor(x) % 7
    return total


for f, arg in ((sqrt_until_negative, 2000), (logs, 3000), (floor_overflow, 400)):
    try:
        print(f(arg))
    except (ValueError, OverflowError) as error:
        print(type(error).__name__, error)
print(min_max_identity(3000))
print(sqrt_until_negative(2000))
