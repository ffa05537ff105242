# Floor division and modulo with negative operands in hot loops: all four sign
# combinations, the invariant (a // b) * b + a % b == a, the most negative
# 64-bit int divided by -1 (becomes a big int), division by a divisor that
# reaches zero (ZeroDivisionError caught and uncaught), and mixed int/float
# operands with negative zero results.
import traceback


def signs(n):
    t = 0
    for i in range(1, n):
        a = i * 37
        b = i % 13 + 1
        t += (a // b) + (-a // b) * 3 + (a // -b) * 5 + (-a // -b) * 7
        t += (a % b) + (-a % b) * 3 + (a % -b) * 5 + (-a % -b) * 7
    return t


def invariant(n):
    bad = 0
    for a in range(-n, n, 7):
        for b in (-13, -5, -1, 1, 2, 9):
            if (a // b) * b + a % b != a:
                bad += 1
            if not (0 <= a % b < b or b < a % b <= 0):
                bad += 100
    return bad


def min_int(n):
    out = []
    x = -(2 ** 63)
    for i in range(n):
        q = x // -1
        r = x % -1
        out.append(q)
        x += i % 2
    return out[0], out[-1], r, type(out[0]).__name__


def zero_divisor(n):
    t = 0
    errs = 0
    for i in range(n):
        d = (i % 9) - 4
        try:
            t += 1000 // d + 1000 % d
        except ZeroDivisionError:
            errs += 1
    return t, errs


def mixed(n):
    out = []
    for i in range(n):
        a = -(i % 5)
        b = 2.5 if i % 2 else -3
        out.append((a // b, a % b))
    return out[:6], sum(p[0] for p in out), str(out[0][1])


def uncaught(n):
    t = 0
    for i in range(n, -1, -1):
        t += -7 // i
    return t


print("signs", signs(500))
print("invariant", invariant(300))
print("min_int", min_int(300))
print("zero_divisor", zero_divisor(450))
print("mixed", mixed(300))
try:
    uncaught(300)
except ZeroDivisionError:
    traceback.print_exc()
