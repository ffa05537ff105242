# Products of loop-carried floats that the next turn needs again are carried
# round the loop (`carry`): the escape test's squares become the next turn's,
# bridges that reset the values (each new pixel) give the carried products
# their own, and exits in the middle of a turn see every value as computed.
# NaN, infinities and signed zeros flow through the products.


def escape_counts(size, limit):
    counts = []
    for y in range(size):
        ci = 2.0 * y / size - 1.0
        row = []
        for x in range(size):
            cr = 2.5 * x / size - 2.0
            zr = zi = 0.0
            i = 0
            while i < limit and zr * zr + zi * zi <= 4.0:
                zr, zi = zr * zr - zi * zi + cr, 2.0 * zr * zi + ci
                i += 1
            row.append((i, zr, zi))
        counts.append(row)
    return counts


def growth(x, a, limit):
    # `x * a` of the test is the next turn's `x * a`.
    steps = 0
    while x * a < limit:
        x = x * a + 1.0
        steps += 1
    return steps, x


def odd_values(start, turns):
    out = []
    x = start
    for k in range(turns):
        y = x * x - 2.0
        if y != y or y > 1e300:
            out.append(("left", k, x, y))
            break
        out.append(x * x)
        x = y
    return out


def square_until_exit(values):
    # A guard that fails mid-turn: the carried square must be what the
    # interpreter would have computed when it takes over.
    total = 0.0
    for v in values:
        s = v * v
        total += s
        if total > 50.0:
            return total, s, v
    return total


print(sum(i for row in escape_counts(24, 30) for i, _, _ in row))
print(escape_counts(6, 12)[3])
print(growth(1.0, 1.5, 1e6), growth(-0.0, 2.0, 10.0), growth(0.5, 0.5, 0.9))
for start in (0.5, 1.9, -0.0, 2.5, float("inf"), float("nan"), 1e200):
    print(start, odd_values(start, 60)[-3:])
print(square_until_exit([0.5 * k for k in range(40)]))
print(square_until_exit([-0.0, 0.0, float("-inf"), 1.0] * 20))
