# Mixed int/float arithmetic: ints promote to float in +, -, *, /, //, %, **.


def mixed(n):
    x = 0.5
    k = 3
    for i in range(n):
        x = x + i
        x = i - x * 0.25
        y = k * x
        z = y / (i + 1)
        w = (i - 1500) // 3.5
        v = (i - 1500) % 2.5
        x = z + w + v
    return x, y, z, w, v


def large_int_with_float(n):
    total = 0.0
    big = 2**53
    for i in range(n):
        total += (big + i) * 1.0
        total -= big
    return total


def accumulate_int_into_float(n):
    acc = 0
    for i in range(n):
        acc += i
        if i == n // 2:
            acc += 0.5
    return acc


print([repr(v) for v in mixed(5000)])
print(repr(large_int_with_float(3000)))
print(repr(accumulate_int_into_float(4000)))
print(repr(2**1000 * 0.0), repr(7 ** 0.5), repr(2.0 ** 10), repr((-8) ** (1 / 3)))
