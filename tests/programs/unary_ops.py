# Unary -, +, ~ and `not` on ints, big ints, floats and bools.


def ints(n):
    total = 0
    flips = 0
    x = 1
    for i in range(n):
        x = -x
        total += ~i + -i + +i
        flips += not (i % 3)
        if not x > 0:
            flips += 1
    return total, flips, x


def floats(n):
    x = 0.0
    y = 1.5
    for i in range(n):
        x = -x
        y = -y * 1.0001
        if not y:
            break
    return x, y


def bools(n):
    t = True
    total = 0
    for i in range(n):
        total += -t + ~t + (not t)
        t = not t
    return total, t


def big(n):
    x = 2**64
    total = 0
    for i in range(n):
        total += ~x
        x = -x
    return total, x


print(ints(5000))
print([repr(v) for v in floats(3001)])
print(bools(4001))
print(big(3001))
print(repr(-0.0), repr(-(0.0)), ~0, ~-1, -(-(2**63)), not 0.0, not -0.0, not float("nan"))
