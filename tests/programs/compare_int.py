# All six comparisons on ints, small and big, in conditions and as values.


def count(a_values, b, n):
    lt = le = eq = ne = gt = ge = 0
    for i in range(n):
        a = a_values + i - n // 2
        if a < b:
            lt += 1
        if a <= b:
            le += 1
        if a == b:
            eq += 1
        if a != b:
            ne += 1
        if a > b:
            gt += 1
        if a >= b:
            ge += 1
    return lt, le, eq, ne, gt, ge


def as_values(n):
    total = 0
    for i in range(n):
        total += (i < 100) + (i == 2000) * 10 + (i >= 2500) * 100
    return total


for base, b in ((0, 0), (0, 10), (-50, 0), (2**62, 2**62 + 3), (-(2**63), -(2**63)), (2**70, 2**70 - 1)):
    print(base, b, count(base, b, 3000))
print(as_values(3000))
