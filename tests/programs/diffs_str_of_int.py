# str() of ints in hot loops: zero, negatives, i64 extremes, values near 2**63
# that overflow into big ints midway through the loop (the compiled str() must
# hand the big int to the interpreter), str() of a str (the same object), of a
# str subclass (an exact str copy), of a bool (must stay "True", not "1"), of a
# float arriving midway, and `str` rebound to something else midway.
import sys


def small(n):
    total = 0
    out = ""
    for i in range(n):
        t = str(i - n // 2)
        total += len(t)
        if i % 97 == 0:
            out += t + " "
    return total, out


def near_limits(n):
    out = []
    base = 2 ** 63 - n // 2
    for i in range(n):
        out.append(str(base + i))  # crosses 2**63 - 1 halfway
    return out[:2], out[n // 2 - 2:n // 2 + 2], out[-1], len(out)


def negative_limits(n):
    out = []
    v = -(2 ** 63) + n // 2
    for i in range(n):
        out.append(str(v))
        v -= 1  # goes below -2**63 halfway
    return out[:2], out[n // 2 - 2:n // 2 + 2], out[-1]


def doubling(n):
    x = 1
    lens = []
    s = ""
    for i in range(n):
        s = str(x)
        lens.append(len(s))
        x = x * 3 + 1  # overflows i64 after ~40 iterations
    return lens[::10], s[:20], s[-20:], sys.getrefcount(s)


def str_of_str(n):
    base = "base-" + str(n)  # not interned
    same = 0
    for i in range(n):
        t = str(base)
        if t is base:
            same += 1
    return same, sys.getrefcount(base)


class S(str):
    pass


def str_of_subclass(n):
    vals = ["plain"] * n
    vals[n // 2] = S("sub")
    exact = 0
    for i in range(n):
        t = str(vals[i])
        if type(t) is str:
            exact += 1
    return exact


def str_of_mixed(n):
    vals = list(range(n))
    vals[n // 4] = True
    vals[n // 3] = False
    vals[n // 2] = 2.5
    vals[(2 * n) // 3] = -0.0
    vals[(3 * n) // 4] = 10 ** 30
    vals[n - 5] = None
    odd = []
    for i in range(n):
        t = str(vals[i])
        if t != str(i):
            odd.append(t)
    return odd


def i64_min_max(n):
    vals = [0, -1, 1, 2 ** 63 - 1, -(2 ** 63), 2 ** 62, -(2 ** 62), 9, -10, 10 ** 18, -(10 ** 18)]
    acc = ""
    for i in range(n):
        acc = str(vals[i % len(vals)]) + "|" + acc[:200]
    return acc[:120]


def fresh_objects(n):
    # str() of an int makes a new object every time, even for one digit
    same = 0
    for i in range(n):
        a = str(i % 10)
        b = str(i % 10)
        if a is b:
            same += 1
    big = str(n * 1000)
    return same, sys.getrefcount(a), sys.getrefcount(big)


print(fresh_objects(300))
print(small(900))
print(near_limits(600))
print(negative_limits(600))
print(doubling(120))
print(str_of_str(500))
print(str_of_subclass(400))
print(str_of_mixed(800))
print(i64_min_max(700))

# module level: str() while counting up over the i64 limit
s = ""
k = 2 ** 63 - 300
for i in range(600):
    s = str(k)
    k += 1
print(s, sys.getrefcount(s))

# `str` rebound midway at module level
out = []
for i in range(500):
    out.append(str(i))
    if i == 300:
        str = repr
        out.append(str("q"))
print(out[298:305], len(out))
del str

# a function named str in globals shadowing the builtin for a function's loop
def uses_global_str(n):
    r = []
    for i in range(n):
        r.append(str(i))
    return r[-3:]


print(uses_global_str(300))
str = lambda x: "<" + repr(x) + ">"
print(uses_global_str(300))
del str
print(uses_global_str(300))

# str() of an int whose conversion is too large: ValueError, uncaught
sys.set_int_max_str_digits(640)
x = 7
for i in range(2000):
    t = str(x)
    x = x * 10 + 7
print("unreachable", len(t))
