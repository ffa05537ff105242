# A value computed once and bound to several names is one object: after compiled
# code exits, `is` between those names agrees with CPython (ints beyond the small-int
# cache, floats).


def shared_results(n):
    agree = 0
    total = 0
    x = 0.0
    for i in range(n):
        y = i * 1000003 + 10**12
        z = y
        x = x * 0.5 + i
        w = x
        if i % 89 == 88:
            agree += (y is z) + (x is w) * 2 + (y is (y + 0)) * 4
        total += z
    return agree, total, w


print(shared_results(4000))
