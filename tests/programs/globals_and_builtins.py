# Globals and builtins read in hot loops: constants while they stay the same, and the
# new value at once when a global changes between calls.
import math

SCALE = 3
OFFSET = 0.25
LIMIT = 10**6


def scaled_sum(n):
    total = 0
    for i in range(n):
        total += abs(i - n // 2) * SCALE
        if total > LIMIT:
            total -= LIMIT
    return total


def float_kernel(n):
    acc = 0.0
    for i in range(n):
        x = i * OFFSET
        acc += math.sqrt(x) + math.sin(x) * math.cos(x) - math.floor(x) + math.fabs(-x)
        acc = min(acc, 1e9)
        acc = max(acc, -1e9)
    return acc


def conversions(n):
    total = 0
    f = 0.0
    kinds = 0
    for i in range(n):
        f += float(i) / 7
        total += int(f) + math.ceil(f) + math.trunc(-f)
        kinds += isinstance(i, int) + isinstance(f, float) * 2 + isinstance(i, float) * 4 + isinstance(True, int) * 8
    return total, f, kinds


print(scaled_sum(3000))
print(float_kernel(3000))
print(conversions(3000))
SCALE = 5
print(scaled_sum(3000))
OFFSET = 0.5
print(float_kernel(3000))
LIMIT = 1000
print(scaled_sum(3000))
del SCALE
try:
    scaled_sum(3000)
except NameError as error:
    print("NameError:", error)
