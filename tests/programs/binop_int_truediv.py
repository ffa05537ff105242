# int / int gives a correctly rounded float, even for operands beyond 2**53.


def ratios(n, d):
    total = 0.0
    last = 0.0
    for i in range(n):
        last = (i * 7 - 3000) / d
        total += last
    return total, last


def big_ratios(n):
    total = 0.0
    a = 2**53 + 1
    for i in range(n):
        total += (a + i) / (i + 3)
    return total


for d in (1, -1, 3, -7, 10, 2**31, -(2**45)):
    total, last = ratios(5000, d)
    print(d, repr(total), repr(last))
print("big", repr(big_ratios(3000)))
print("exact", repr((2**60 + 1) / 3), repr(-(2**70) / 2**69))
i = 0
q = 0.0
while i < 3000:
    q += i / 7
    q -= i / 11
    i += 1
print("module", repr(q))
