# Float powers: fractional and negative exponents, negative bases (an int-valued
# exponent gives a float, a fractional one a complex), overflow raising.


def powers(base, n):
    total = 0.0
    e = -n / 200.0
    for i in range(n):
        total += abs(base) ** e
        e += 0.01
    return total


def negative_base_int_exponents(n):
    total = 0.0
    for i in range(n):
        total += (-1.5) ** (i % 7) + (-2.0) ** -(i % 5)
    return total


def in_place(n):
    x = 1.0001
    for i in range(n):
        x **= 1.0001
        if x > 1e10:
            x = 1.0001
    return x


def overflow(n):
    x = 2.0
    for i in range(n):
        x = x ** 1.5
    return x


for base in (0.5, 2.0, 10.0, 1.0):
    print(base, repr(powers(base, 3000)))
print(repr(negative_base_int_exponents(4000)))
print(repr(in_place(5000)))
print(repr((-8.0) ** (1.0 / 3.0)), repr(0.0 ** 0.0), repr((-0.0) ** 3.0), repr(float("inf") ** -1.0), repr(float("nan") ** 0.0))
try:
    overflow(3000)
except OverflowError as error:
    print("OverflowError:", error)
try:
    for i in range(3000, -1, -1):
        y = (i * 1.0) ** -2.0
except ZeroDivisionError as error:
    print("ZeroDivisionError:", error, i)
