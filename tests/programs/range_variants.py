# for-range loops with negative steps, odd steps, empty ranges and bounds near
# and beyond the machine-word limits.


def total(r):
    s = 0
    n = 0
    last = None
    for i in r:
        s += i
        n += 1
        last = i
    return s, n, last


ranges = [
    range(5000),
    range(5000, 0, -1),
    range(-3000, 3000, 7),
    range(3000, -3000, -11),
    range(0),
    range(10, 0),
    range(0, 10, -1),
    range(2**62 - 3000, 2**62 + 3000),
    range(2**63 - 2000, 2**63 + 2000),
    # Machine-word ranges whose next start after the last item wraps round.
    range(2**63 - 3000, 2**63 - 1, 7),
    range(2**63 - 2999, 2**63 - 1),
    range(-(2**63) + 3000, -(2**63), -7),
    range(-(2**63) + 2999, -(2**63), -1),
    range(-(2**63) + 1000, -(2**63) - 1000, -1),
    range(2**64, 2**64 + 3 * 10**6, 1000),
    range(-(10**20), 10**20, 10**17),
]
for r in ranges:
    print(r, total(r))

product = 1.0
for i in range(3000, 0, -3):
    product *= 1.0 + 1.0 / i
print(repr(product))
for i in range(5000):
    pass
print("after", i)
i = "untouched"
for i in range(0):
    pass
print("empty", i)
