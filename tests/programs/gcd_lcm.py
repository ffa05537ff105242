# Euclid's algorithm in while loops: many short loops with % and //.


def gcd(a, b):
    while b != 0:
        a, b = b, a % b
    return a


def binary_gcd(a, b):
    shift = 0
    while ((a | b) & 1) == 0:
        a >>= 1
        b >>= 1
        shift += 1
    while a != 0:
        while (a & 1) == 0:
            a >>= 1
        while (b & 1) == 0:
            b >>= 1
        if a >= b:
            a = (a - b) >> 1
        else:
            b = (b - a) >> 1
    return b << shift


total = 0
lcm_total = 0
for a in range(1, 120):
    for b in range(1, 60):
        g = gcd(a * 6, b * 4)
        total += g
        lcm_total += a * 6 * b * 4 // g
        assert g == binary_gcd(a * 6, b * 4)
print(total, lcm_total)
print(gcd(2**80 * 3, 2**70 * 9), gcd(-48, 18), gcd(48, -18), binary_gcd(2**64, 2**63 * 3))
