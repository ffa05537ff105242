# pow with a modulus and int(str) in hot loops: three-argument pow with
# negative base, modulus and exponent -1 (modular inverse, ValueError when
# none exists), pow(x, 0, 1), two-argument pow with negative exponents giving
# floats, int() of strs with signs, spaces, underscores and bases, int() of
# bad strs (ValueError caught), and int() of floats and bools.
import traceback


def modpow(n):
    t = 0
    m = 1000000007
    for i in range(n):
        t += pow(i, i + 3, m) + pow(-i, 3, 97) + pow(i + 2, 5, -11)
    return t % m


def inverse(n):
    found = 0
    errs = 0
    for i in range(1, n):
        try:
            v = pow(i, -1, 360)
            found += v
        except ValueError:
            errs += 1
    return found, errs


def mod_one(n):
    t = 0
    for i in range(n):
        t += pow(i, 0, 1) + pow(i, 0) + pow(0, i)
    return t


def negative_exponents(n):
    t = 0.0
    for i in range(1, n):
        t += pow(2, -(i % 20)) + (-3) ** -(i % 3)
    return t, type(2 ** -1).__name__


def parse(n):
    t = 0
    samples = ["12", " -7 ", "+3", "1_000", "0", "-0", "00012", "\t42\n"]
    for i in range(n):
        t += int(samples[i % len(samples)]) * (i % 3 + 1)
    return t


def bases(n):
    t = 0
    for i in range(n):
        t += int(hex(i), 16) + int(bin(i)[2:], 2) + int(oct(i), 0) + int("z" * (i % 3 + 1), 36)
    return t


def bad_strings(n):
    bad = ["12a", "", "1__0", "1.5", "_1", "- 3", "٣"]
    ok = 0
    msgs = []
    for i in range(n):
        s = bad[i % len(bad)]
        try:
            ok += int(s)
        except ValueError as e:
            if len(msgs) < 6:
                msgs.append(str(e))
    return ok, msgs


def from_numbers(n):
    t = 0
    for i in range(n):
        t += int(i * 1.75) + int(-i * 0.5) + int(i % 2 == 0) + int(True) + int(-0.9)
    return t


def inverse_uncaught(n):
    t = 0
    for i in range(1, n):
        t += pow(i * 2 + 1, -1, 1000 + (i == n - 1) * 5)
    return t


print("modpow", modpow(400))
print("inverse", inverse(400))
print("mod_one", mod_one(300))
print("negative_exponents", negative_exponents(400))
print("parse", parse(400))
print("bases", bases(400))
print("bad_strings", bad_strings(300))
print("from_numbers", from_numbers(400))
try:
    inverse_uncaught(300)
except ValueError:
    traceback.print_exc()
