# Huge ints in hot loops: factorials, powers of two crossing the machine word
# one step at a time (both signs), sums that overflow and come back down,
# big-int floor division and modulo, comparison of big ints with floats
# (exact, not via float conversion), int -> float conversion overflowing
# (OverflowError), and the str/int conversion digit limit (ValueError).
import sys
import traceback


def factorial(n):
    f = 1
    for i in range(2, n + 1):
        f *= i
    return f % (10 ** 9 + 7), len(str(f))


def cross_word(n):
    x = 1
    y = -1
    out = []
    for i in range(n):
        x *= 2
        y *= 2
        if 60 <= i <= 66:
            out.append((x, y, x + y, x - 1, y + 1))
    return out[-3:], x.bit_length()


def up_and_down(n):
    x = 2 ** 62
    hist = []
    for i in range(n):
        if i % 10 < 5:
            x += 2 ** 61
        else:
            x -= 2 ** 61
        hist.append(x >= 2 ** 63)
    return x, hist[:12].count(True), type(x).__name__


def big_divmod(n):
    big = 3 ** 200
    t = 0
    for i in range(1, n):
        q = big // i
        r = big % -i
        t ^= (q & 0xFFFFFFFF) + r
    return t


def compare_with_float(n):
    t = 0
    for i in range(n):
        a = 2 ** 53 + i
        f = float(2 ** 53 + (i & ~1))
        t += (a == f) + (a > f) * 10 + (a < f) * 100
    big = 10 ** 400
    t += (big > 1e308) + (big < float("inf")) * 2
    return t


def to_float(n):
    x = 1
    for i in range(n):
        x *= 7
        y = float(x)
    return y


def digit_limit(n):
    x = 10 ** 4000 + 1
    for i in range(n):
        x = x * 3 + i
        s = str(x)
    return len(s)


print("factorial", factorial(400))
print("cross_word", cross_word(200))
print("up_and_down", up_and_down(500))
print("big_divmod", big_divmod(400))
print("compare_with_float", compare_with_float(400))
try:
    print("to_float", to_float(500))
except OverflowError:
    traceback.print_exc()
if hasattr(sys, "set_int_max_str_digits"):
    sys.set_int_max_str_digits(4300)
try:
    print("digit_limit", digit_limit(500))
except ValueError:
    traceback.print_exc()
