# Bit tricks on ints in hot loops: popcount by x & (x - 1), lowest set bit by
# x & -x, Gray code, bit reversal, xorshift PRNG masked to 64 bits (values pass
# 2**63 and become big ints), shifts of negative numbers, a negative shift
# count (ValueError), and bools mixed into bitwise operations.
import traceback


def popcount(n):
    t = 0
    for i in range(n):
        x = i * 2654435761
        c = 0
        while x:
            x &= x - 1
            c += 1
        t += c
    return t


def lowest_bit(n):
    t = 0
    for i in range(1, n):
        t += (i & -i) ^ (i | (i - 1))
    return t


def gray(n):
    t = 0
    prev = 0
    for i in range(n):
        g = i ^ (i >> 1)
        d = g ^ prev
        t += d.bit_length()
        prev = g
    return t, prev


def reverse_bits(n):
    out = 0
    for i in range(n):
        x = i
        r = 0
        for _ in range(16):
            r = (r << 1) | (x & 1)
            x >>= 1
        out ^= r * (i + 1)
    return out


def xorshift(n):
    x = 88172645463325252
    mask = (1 << 64) - 1
    t = 0
    for _ in range(n):
        x ^= (x << 13) & mask
        x ^= x >> 7
        x ^= (x << 17) & mask
        t = (t + x) & mask
    return x, t, x > 2 ** 63


def negative_shifts(n):
    t = 0
    for i in range(n):
        v = -(i * 12345 + 1)
        t += (v >> (i % 70)) + ((v << (i % 5)) & 0xFFFF) + (~v & 0xFF)
    return t


def bool_bits(n):
    t = 0
    for i in range(n):
        a = i % 3 == 0
        b = i % 5 == 0
        t += (a & b) * 100 + (a | b) * 10 + (a ^ b) + (a << 4) + (~b)
    return t, type(True & False).__name__, type(True & 3).__name__


def bad_shift(n):
    t = 0
    for i in range(n):
        t += 1 << (n - 10 - i)
    return t


print("popcount", popcount(500))
print("lowest_bit", lowest_bit(600))
print("gray", gray(700))
print("reverse_bits", reverse_bits(300))
print("xorshift", xorshift(500))
print("negative_shifts", negative_shifts(500))
print("bool_bits", bool_bits(500))
try:
    bad_shift(300)
except ValueError:
    traceback.print_exc()
