# bools are ints: True + 1, sums of comparisons, bitwise ops on bools keep bool type.


def bool_sums(n):
    total = 0
    flag = True
    for i in range(n):
        total += flag + 1
        total += (i % 3 == 0) * 5
        flag = i % 2 == 0
    return total, flag


def bool_bitwise(n):
    a = True
    b = False
    kinds = 0
    for i in range(n):
        c = a & b
        d = a | b
        e = a ^ b
        a, b = d, e
        if type(c) is bool:
            kinds += 1
    return a, b, c, kinds


def bool_as_float(n):
    x = 0.0
    for i in range(n):
        x += (i & 1 == 0) * 0.5 - True / 4
    return x


def accumulate_from_bool(n):
    x = False
    for i in range(n):
        x = x + True
    return x, type(x).__name__


print(bool_sums(5000))
print(bool_bitwise(3000))
print(repr(bool_as_float(4000)))
print(accumulate_from_bool(3000))
print(True + 1, True * 2.5, -True, ~True, True // 2, True % 2, True ** 10, True << 62, True / 3)
