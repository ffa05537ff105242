# Values computed from loop-invariant operands inside the loop, and invariant
# locals that are read every iteration but never written.


def invariant_products(a, b, n):
    total = 0
    for i in range(n):
        k = a * b + 3
        total += k - i * (a - b)
    return total


def invariant_floats(scale, offset, n):
    acc = 0.0
    for i in range(n):
        c = scale * 2.0 + offset / 4.0
        acc = acc * 0.999 + c
    return acc


def invariant_branch(flag, n):
    x = 0
    for i in range(n):
        if flag:
            x += 2
        else:
            x -= 3
        if flag > 1:
            x += flag
    return x


def invariant_divisor(n, d):
    q = 0
    r = 0
    i = 0
    while i < n:
        q += i // d
        r += i % d
        i += 1
    return q, r


print(invariant_products(7, -3, 5000), invariant_products(2**40, 2**23, 3000))
print(repr(invariant_floats(1.25, -3.5, 6000)), repr(invariant_floats(0.0, 0.0, 3000)))
print(invariant_branch(0, 3000), invariant_branch(1, 3000), invariant_branch(5, 3000))
print(invariant_divisor(7000, 13), invariant_divisor(7000, -13))
