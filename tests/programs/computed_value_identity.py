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


def aliases_carried_round_the_loop(n):
    # `same = z` every iteration: the two names are one object at every exit
    # (found by the fuzzer).
    z = 0.5
    same = z
    for i in range(2, n, 3):
        z = (z * 3.0 + i) % 1000.0
        same = z
        if i > 10:
            continue
    return z, same is z


print(shared_results(4000))
print(aliases_carried_round_the_loop(3000))
