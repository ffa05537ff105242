# Swaps with tuple assignment in hot loops: Fibonacci `a, b = b, a + b` that
# overflows into big ints, three-way rotation, swap of list items, swap of
# values of different types (int and float change places), Euclid's gcd by
# swap, and a swap whose right side raises partway.
import traceback


def fib(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a % 1000000007, a.bit_length()


def fib_float(n):
    a, b = 0.0, 1.0
    for _ in range(n):
        a, b = b, a + b
    return a


def fib_mod(n, m):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, (a + b) % m
    return a


def rotate(n):
    a, b, c = 1, 2, 3
    for i in range(n):
        a, b, c = b, c, a + i
    return a, b, c


def swap_items(n):
    xs = list(range(20))
    for i in range(n):
        j = (i * 7) % 20
        k = (i * 3 + 1) % 20
        xs[j], xs[k] = xs[k], xs[j]
    return xs


def mixed_types(n):
    a, b = 1, 2.5
    t = 0.0
    for i in range(n):
        a, b = b, a
        t += a * 2 - b
    return t, type(a).__name__, type(b).__name__


def gcd_loop(pairs):
    out = []
    for x, y in pairs:
        while y:
            x, y = y, x % y
        out.append(x)
    return out


def raising(n):
    a, b = 1, 1
    for i in range(n):
        a, b = b, a + b // (i - 250)
    return a, b


print("fib", fib(90), fib(300), fib(1000))
print("fib_mod", fib_mod(500, 1000003), fib_mod(500, 2 ** 64), fib_mod(300, -97))
print("fib_float", fib_float(100), fib_float(1600))
print("rotate", rotate(500))
print("swap_items", swap_items(400))
print("mixed_types", mixed_types(501))
print("gcd_loop", gcd_loop([(i * 12345 + 7, i * 678 + 90) for i in range(200)])[-10:])
print("gcd_loop big", gcd_loop([(2 ** 200 * 3 ** 50, 6 ** 80 * 7)]))
try:
    print(raising(300))
except ZeroDivisionError:
    traceback.print_exc()
