# Fibonacci numbers growing from small ints into big ints inside one loop.


def fib(n):
    a, b = 0, 1
    i = 0
    while i < n:
        a, b = b, a + b
        i += 1
    return a


def fib_mod(n, m):
    a = 0
    b = 1
    for i in range(n):
        t = (a + b) % m
        a = b
        b = t
    return a


values = [fib(n) for n in (0, 1, 2, 10, 50, 91, 92, 93, 100)]
print(values)
big = fib(3000)
print(big.bit_length(), big % 10**12, str(big)[:20])
print(fib_mod(10000, 10**9 + 7), fib_mod(10000, 2**61 - 1))
