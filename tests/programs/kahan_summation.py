# Compensated summation depends on the exact order and rounding of every float
# operation: a compiler that reassociates or fuses them changes the result.


def naive(n):
    total = 0.0
    for i in range(1, n):
        total += 1.0 / (i * i)
    return total


def kahan(n):
    total = 0.0
    c = 0.0
    for i in range(1, n):
        y = 1.0 / (i * i) - c
        t = total + y
        c = (t - total) - y
        total = t
    return total, c


def fused_candidates(n):
    acc = 0.1
    for i in range(n):
        acc = acc * 1.0000001 + 1e-7
        acc = acc - 0.1 * 1e-7
    return acc


print(repr(naive(20000)))
print([repr(v) for v in kahan(20000)])
print(repr(fused_candidates(10000)))
