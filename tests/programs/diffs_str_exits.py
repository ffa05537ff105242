# Leaving compiled code in the middle of string work: a guard failing between
# two concatenations (the half-built string is on the stack), an exception
# raised by `str + int` midway (caught, then the loop goes on), a loop-carried
# string that turns into an int / list / None, int overflow while the string is
# being built, `break` / `return` out of a loop holding new strings, and the
# reference counts of every string involved measured after the loops.
import sys


def type_error_midway(n):
    parts = ["p"] * n
    parts[n // 3] = 7
    parts[(2 * n) // 3] = None
    s = ""
    errors = []
    for i in range(n):
        try:
            s = s + "<" + parts[i] + ">"
        except TypeError as e:
            errors.append((i, str(e), len(s)))
    return len(s), s[:9], errors, sys.getrefcount(s)


def guard_between_concats(n):
    vals = ["v"] * n
    vals[n // 2] = "\u20ac"
    vals[n // 2 + 1] = 12
    out = ""
    bad = 0
    for i in range(n):
        v = vals[i]
        try:
            t = "a" + str(i) + v + "z"
        except TypeError:
            bad += 1
            t = "?"
        out += t[-2:]
    return len(out), ascii(out[n - 10:n + 10]), bad, sys.getrefcount(out)


def carried_becomes_int(n):
    s = ""
    kinds = []
    for i in range(n):
        if i == n // 2:
            s = len(s)
        s = s + ("x" if type(s) is str else 1)
        if i % 100 == 0:
            kinds.append(type(s).__name__)
    return s, kinds


def carried_becomes_list(n):
    s = "L"
    for i in range(n):
        if i == n - 100:
            s = list(s[-3:])
        s += "ab"
    return len(s), s[:8]


def overflow_while_building(n):
    acc = ""
    v = 2 ** 63 - 40 * 2 ** 55
    for i in range(n):
        acc += str(v)[-3:]
        v += 2 ** 55  # leaves the i64 range after 40 iterations
    return acc[:40], len(acc), sys.getrefcount(acc)


def break_out(n):
    s = "b"
    for i in range(n):
        s += str(i % 10)
        t = s[-4:]
        if t == "6789" and len(s) > n // 2:
            break
    return len(s), t, sys.getrefcount(s), sys.getrefcount(t)


def return_out(n):
    s = "r"
    for i in range(n):
        s = s + "-" + str(i)
        if i == n - 50:
            return s[-12:], len(s)
    return None


def raise_out(n):
    s = ""
    for i in range(n):
        s += "e"
        if i == n - 3:
            raise ValueError(s[-3:] + str(len(s)))
    return s


def nested_try(n):
    log = ""
    for i in range(n):
        try:
            try:
                log += "[" + ("abc"[i % 4] if i % 4 < 3 else "abc"[5]) + "]"
            except IndexError:
                log += "!"
                if i % 8 == 3:
                    raise KeyError(str(i))
        except KeyError as e:
            log += "K" + e.args[0]
    return log[:50], len(log), sys.getrefcount(log)


print(type_error_midway(600))
print(guard_between_concats(500))
print(carried_becomes_int(600))
print(carried_becomes_list(500))
print(overflow_while_building(90))
print(break_out(900))
print(return_out(400))
try:
    raise_out(500)
except ValueError as e:
    print("ValueError", e)
print(nested_try(700))

# uncaught: a str + int in a module-level loop after many compiled iterations
total = ""
for i in range(800):
    piece = "n" + str(i)
    total += piece if i < 700 else i
print("unreachable")
