# Float // and %: floor semantics, the sign of the divisor, -0.0 results, and
# inf/nan operands, all compared through repr.


def table(numerators, divisors):
    out = []
    for d in divisors:
        row = []
        for x in numerators:
            row.append((repr(x // d), repr(x % d)))
        out.append(row)
    return out


def sweep(n, d):
    q_total = 0.0
    r_total = 0.0
    x = -n / 2.0
    for i in range(n):
        q_total += x // d
        r_total += x % d
        x += 0.75
    return q_total, r_total


numerators = [7.5, -7.5, 0.0, -0.0, 1e-300, -1e-300, 5.0, -5.0, float("inf"), float("-inf"), 1e308]
divisors = [2.0, -2.0, 0.5, -0.5, 3.25, -3.25, float("inf"), float("-inf"), 1e-5]
for row in table(numerators, divisors):
    print(row)
for d in (2.0, -2.0, 0.3, -0.3, 7.0):
    q, r = sweep(6000, d)
    print(d, repr(q), repr(r))
x = 1000.0
for i in range(3000):
    x %= 997.5 - i * 0.25
    x += 500.0
    x //= 1.0 + (i % 3)
print("in_place", repr(x))
