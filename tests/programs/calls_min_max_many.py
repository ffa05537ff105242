# min and max of three or more numbers in hot loops: each later argument
# replaces the one kept only when it compares strictly smaller (larger), so
# ties keep the first (its identity shows), a NaN kept first stays, bools and
# mixed ints and floats compare by value, and the result is an argument itself.
import math


def edit_distance(a, b):
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
        prev = cur
    return prev[-1]


def mixed(n):
    total = 0.0
    for i in range(n):
        a, b, c = i % 7, (i * 3) % 11 - 4, (i * 5) % 13 * 0.5
        total += min(a, b, c) + max(a, b, c, 4) + min(c, 2.5, b, a)
        total += max(True, i % 2, 0.5)
    return total


def ties_keep_the_first(n):
    firsts = 0
    for i in range(n):
        x = float(i % 3)
        y = float(i % 3)
        z = x + 1.0
        if min(x, y, z) is x and max(z, x, y + 1.0) is z:
            firsts += 1
    return firsts


def nans(n):
    nan = math.nan
    seen = []
    for i in range(n):
        v = float(i % 5)
        seen.append((min(nan, v, 1.0), max(v, nan, 2.0), min(v, 3.0, nan)))
    return [tuple(repr(x) for x in t) for t in seen[-5:]]


def big_ints(n):
    top = 0
    for i in range(n):
        top = max(top, i * 10**15, (n - i) * 3**40, -i)
    return top


print(edit_distance("kitten sitting on a mat" * 3, "sitting kitten in a hat" * 3))
print(mixed(3000))
print(ties_keep_the_first(3000))
print(nans(300))
print(big_ints(2000))
