# Small ints growing past 2**30, 2**62 and 2**63 (where machine arithmetic would
# overflow) must become big ints exactly as in the interpreter.


def triple_until(limit_bits, n):
    x = 1
    crossings = []
    for i in range(n):
        x *= 3
        if x.bit_length() > limit_bits:
            crossings.append(i)
            x = x % 1000003 + 1
    return x, crossings[:10], len(crossings)


def add_past_boundary(start, n, step):
    x = start
    for i in range(n):
        x += step
    return x


def sub_past_boundary(start, n, step):
    x = start
    for i in range(n):
        x -= step
    return x


def multiply_chain(n):
    x = 7
    checksum = 0
    for i in range(n):
        x = x * x
        if x > 2**200:
            x = x % (2**61 - 1) + i
        checksum ^= x & 0xFFFFFFFF
    return x, checksum


print(triple_until(64, 3000))
print(triple_until(100, 3000))
print(add_past_boundary(2**62 - 1500, 3000, 1))
print(add_past_boundary(2**63 - 1500, 3000, 1))
print(add_past_boundary(2**30 - 1500, 3000, 1))
print(add_past_boundary(2**63 - 2**40, 3000, 2**30))
print(sub_past_boundary(-(2**63) + 1500, 3000, 1))
print(sub_past_boundary(-(2**62) + 1500, 3000, 1))
print(multiply_chain(3000))
x = 1
i = 0
while i < 3000:
    x *= 3
    i += 1
print("3**3000 digits", len(str(x)), x % 1000000007)
