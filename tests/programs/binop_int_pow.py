# int ** int: non-negative exponents stay ints (and grow into big ints), negative
# exponents give floats, and 0 ** -1 raises ZeroDivisionError.


def powers(base, n):
    total = 0
    for e in range(n):
        total += base ** e
    return total


def square_and_cube_sums(n):
    s2 = s3 = 0
    for i in range(-n, n):
        s2 += i ** 2
        s3 += i ** 3
    return s2, s3


def negative_exponents(base, n):
    total = 0.0
    for e in range(1, n):
        total += base ** -e
    return total


def power_down_to_zero(n):
    # base reaches 0 at the end of the loop: 0 ** -1 raises from inside it.
    total = 0.0
    base = n
    while base >= 0:
        total += base ** -1
        base -= 1
    return total


for base in (0, 1, -1, 2, -2, 3, 10):
    print("powers", base, powers(base, 70))
print("sums", square_and_cube_sums(3000))
for base in (2, -2, 3, 10):
    print("negative", base, repr(negative_exponents(base, 2000)))
x = 1
for i in range(3000):
    x **= 1
    x = (x + i) ** 1
print("identity", x)
try:
    power_down_to_zero(3000)
except ZeroDivisionError as error:
    print("ZeroDivisionError:", error)
