# Floor division and modulo with every sign combination: Python rounds toward
# negative infinity, so the remainder takes the divisor's sign.


def divmod_table(lo, hi, divisors):
    checksum = 0
    rows = []
    for d in divisors:
        q_sum = 0
        r_sum = 0
        i = lo
        while i < hi:
            q = i // d
            r = i % d
            q_sum += q
            r_sum += r
            checksum ^= (q * 31 + r) & 0xFFFF
            i += 1
        rows.append((d, q_sum, r_sum))
    return checksum, rows


def in_place(n):
    x = 10**12
    y = -(10**12)
    for i in range(1, n):
        x //= 3
        x += i * 1000003
        y %= 7919 - i
        y -= i * 17
    return x, y


checksum, rows = divmod_table(-3000, 3000, [1, -1, 2, -2, 3, -3, 7, -7, 1000, -1000, 2**31, -(2**40)])
print("checksum", checksum)
for row in rows:
    print(*row)
print("in_place", in_place(4000))
for a in (7, -7, 0, 2**63, -(2**63), 2**64 + 1):
    for b in (2, -2, 3, -3, 2**32, -(2**62)):
        print(a, b, a // b, a % b)
