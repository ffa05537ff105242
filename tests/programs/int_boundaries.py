# Arithmetic right at the boundaries of CPython's int representation: one 30-bit
# digit, two digits, 64-bit machine words, and the small-int cache (-5..256).

BOUNDARIES = [2**30, 2**31, 2**32, 2**60, 2**62, 2**63, 2**64]


def walk_across(centre, n):
    x = centre - n // 2
    checksum = 0
    for i in range(n):
        y = x * 2 - centre
        checksum = (checksum * 31 + y + (x // 7) - (x % 13)) % (2**89 - 1)
        x += 1
    return x, checksum


def small_int_cache(n):
    x = -10
    seen = 0
    for i in range(n):
        x += 1
        if x > 300:
            x = -10
        if -5 <= x <= 256:
            seen += 1
    return x, seen


for b in BOUNDARIES:
    print(b, walk_across(b, 3000), walk_across(-b, 3000))
print(small_int_cache(5000))
x = 2**63 - 1
y = -(2**63)
for i in range(3000):
    x = x - 1 + 1
    y = y + 1 - 1
print(x, y, x + 1, y - 1, x * 2, y * 2, -y, abs(y))
