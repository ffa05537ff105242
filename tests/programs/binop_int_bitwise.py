# & | ^ and their in-place forms, on negative numbers too (two's complement rules).


def mix(n):
    a = 0x5A5A
    b = -0x1234
    acc_and = acc_or = acc_xor = 0
    for i in range(n):
        a = (a * 1103515245 + 12345) & 0x7FFFFFFF
        b ^= i
        acc_and += a & b
        acc_or += a | -i
        acc_xor ^= a ^ (b | 3)
    return acc_and, acc_or, acc_xor, a, b


def in_place(n):
    x = -1
    y = 0
    z = 2**64 + 5
    for i in range(n):
        x &= ~(1 << (i % 60))
        y |= i
        z ^= i * 2654435761
    return x, y, z


print("mix", mix(6000))
print("in_place", in_place(4000))
for a in (0, 1, -1, 255, -256, 2**63 - 1, -(2**63), 2**70 + 3):
    print(a, [(a & b, a | b, a ^ b) for b in (0, -1, 7, -8, 2**40)])
