# The same computation done twice makes two objects in CPython (outside the
# small-int cache), even when the JIT computes it once: `is` between the two
# variables must stay False. Found by the fuzzer (seed 109306, shrunk).


def twice(n):
    for i in range(1000, 1000 + n):
        a = i + 5
        b = i + 5
        f = i * 0.5
        g = i * 0.5
        s = i - 1000  # small: one cached object either way
        t = i - 1000
        c = a
    return a is b, f is g, s is t, c is a, a == b, f == g


print(twice(10), twice(200))


def across_inner_loops(n, a0):
    y0 = 0.1
    x1 = a0
    same_x1 = x1
    for i1 in range(n):
        x1 **= 2
        for i6 in range(-3, 1):
            same_x1 = x1
            x1 = i1 + 2 + 3
            y0 = 0
    return same_x1 is x1, same_x1 == x1


print(across_inner_loops(600, 2))


def invariant(n, k):
    x = k + 500
    kept = []
    for i in range(n):
        y = k + 500
        kept.append(y is x)
        x = y
    return kept.count(True), len(kept)


print(invariant(100, 1000), invariant(100, 7))
