# Division by zero raised from inside hot loops, caught outside them; the loop
# state at the time of the error must be what the interpreter would have had.


def int_floordiv(n):
    total = 0
    d = n
    while True:
        total += 1000000 // d
        d -= 1


def int_modulo(n):
    total = 0
    for d in range(n, -1, -1):
        total += 12345 % d
    return total


def int_truediv(n):
    total = 0.0
    for d in range(n, -1, -1):
        total += 1 / d
    return total


def float_truediv(n):
    total = 0.0
    d = float(n)
    while True:
        total += 1.0 / d
        d -= 1.0


def float_modulo(n):
    total = 0.0
    d = n * 0.5
    while True:
        total += 3.5 % d
        d -= 0.5


progress = {}


def tracked(n):
    i = 0
    s = 0
    try:
        while True:
            s += 7 // (n - i)
            i += 1
    finally:
        progress["i"] = i
        progress["s"] = s


for kernel in (int_floordiv, int_modulo, int_truediv, float_truediv, float_modulo, tracked):
    try:
        kernel(3000)
    except ZeroDivisionError as error:
        print(kernel.__name__, "ZeroDivisionError:", error)
print(progress)
