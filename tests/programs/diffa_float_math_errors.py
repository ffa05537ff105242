# math module functions in hot loops, and their errors: sqrt of negatives
# (ValueError caught each time and uncaught with a traceback), log of 0 and of
# negatives, exp overflowing (OverflowError), inf and nan passed through sin,
# floor/ceil of inf (OverflowError) and nan (ValueError), math.fsum vs sum,
# and hypot/atan2/fmod with signed zeros.
import math
import traceback


def sqrt_neg(n):
    t = 0.0
    errs = 0
    for i in range(n):
        x = (i % 11) - 5
        try:
            t += math.sqrt(x)
        except ValueError as e:
            errs += 1
            msg = str(e)
    return t, errs, msg


def logs(n):
    out = []
    for i in range(n):
        x = (i % 4) - 1
        try:
            out.append(math.log(x))
        except ValueError as e:
            out.append(str(e))
    return out[:4], len(out)


def exp_overflow(n):
    t = 0.0
    errs = 0
    for i in range(n):
        try:
            t += math.exp(i * 3) / 1e300
        except OverflowError:
            errs += 1
    return t, errs


def specials(n):
    vals = [math.inf, -math.inf, math.nan, 0.0, -0.0, 1e308]
    out = []
    for i in range(n):
        v = vals[i % len(vals)]
        try:
            out.append(math.sin(v))
        except ValueError as e:
            out.append("sin:" + str(e))
        try:
            out.append(math.floor(v))
        except (OverflowError, ValueError) as e:
            out.append(type(e).__name__ + ":" + str(e))
    return [str(x) for x in out[:12]], len(out)


def fsum_vs_sum(n):
    xs = []
    for i in range(n):
        xs.append(1e16 if i % 2 == 0 else 1.0)
        xs.append(-1e16 if i % 2 == 0 else 0.0)
    s = 0.0
    for x in xs:
        s += x
    return s, math.fsum(xs), sum(xs)


def signed_zeros(n):
    t = []
    for i in range(n):
        z = -0.0 if i % 2 else 0.0
        t.append((math.atan2(z, -1.0), math.hypot(z, 3.0), math.fmod(z, 2.0), math.copysign(1.0, z * -1)))
    return t[:2], len(t)


def uncaught_sqrt(n):
    t = 0.0
    x = 100.0
    for i in range(n):
        t += math.sqrt(x)
        x -= 1.0
    return t


print("sqrt_neg", sqrt_neg(400))
print("logs", logs(300))
print("exp_overflow", exp_overflow(400))
print("specials", specials(300))
print("fsum_vs_sum", fsum_vs_sum(300))
print("signed_zeros", signed_zeros(300))
try:
    uncaught_sqrt(300)
except ValueError:
    traceback.print_exc()
