# Counters stepped only after a comparison with another variable passed
# (`if i < n: i += 1`): compiled, the step needs no overflow check, since
# `i < n` keeps `i` below the largest machine int. Values run at the edges of
# the machine-int range, and past them where the comparison does not bound.
import sys

M = sys.maxsize


def climb(i, n, steps):
    last = []
    for _ in range(steps):
        if i < n:
            i += 1
        else:
            i -= 3
        last.append(i)
    return last[-4:], i


def descend(i, m, steps):
    for _ in range(steps):
        if i > m:
            i -= 1
        else:
            i = i + 2
    return i


def unbounded(i, n, steps):
    # `n` bounds nothing here: `i` may pass the machine-int range.
    for _ in range(steps):
        if n < i:
            i += 1
        else:
            i += 2
    return i


print(climb(M - 10, M, 1000))
print(climb(-M - 1 + 5, -M + 20, 1000))
print(descend(-M + 3, -M - 1, 500))
print(descend(10, -5, 500))
print(unbounded(M - 500, 0, 1000))
print(unbounded(-M, M, 1000))
