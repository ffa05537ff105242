"""A loop-heavy program for the demo: a float series and an integer kernel, the
kind of pure-Python number crunching hotloop compiles."""


def float_series(n):
    x = 0.0
    y = 1.0
    for i in range(n):
        x = x * 0.5 + i
        y = y * 0.999 + x * 1e-9
    return x, y


def digit_sums(n):
    total = 0
    i = 0
    while i < n:
        x = i
        while x:
            total += x % 10
            x //= 10
        i += 1
    return total


print("float series:", float_series(8_000_000))
print("digit sums:  ", digit_sums(1_500_000))
