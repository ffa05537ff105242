# Leaks of strings the compiled code makes: each pattern runs warm, then many
# more times, and the growth of sys.getallocatedblocks() in between must stay
# small (a string leaked per iteration would add thousands of blocks). Only
# whether the growth is small is printed, so the output does not depend on
# the allocator. Patterns: accumulators, aliases of them, results dropped at
# once, values held by two variables, exits taken often with new strings
# live, bridges, exceptions, chained comparisons, `s + s`, slices and str().
import sys


def accumulate(n):
    s = ""
    for i in range(n):
        s += str(i % 10)
    return len(s)


def aliases(n):
    s = "a" + str(n)
    t = s
    for i in range(n):
        t = s
        s = s[-5:] + "x"
        u = t
    return len(s) + len(u)


def dropped(n):
    base = "b" * 10 + str(n)
    for i in range(n):
        base + "x"
        base[i % 5:]
        str(i)
    return 0


def merged(n):
    c = 0
    for i in range(n):
        x = y = "m" + str(i % 7)
        z = x
        c += len(y) + len(z)
    return c


def frequent_exits(n):
    s = "e" + str(n)
    acc = ""
    for i in range(n):
        t = s + str(i % 3)
        if i % 3 == 0:
            acc = t[:2]
        elif i % 3 == 1:
            acc = acc + t[-1:]
        else:
            acc = "z"
    return len(acc)


def exceptions(n):
    base = "x" + str(n)
    errs = 0
    for i in range(n):
        t = base + "y"
        try:
            t = t + (i if i % 7 == 0 else "q")
        except TypeError:
            errs += 1
    return errs


def chains(n):
    c = 0
    for i in range(n):
        a = str(i % 7)
        b = str(i % 5)
        if a < b < "9":
            c += 1
        if a == b == "3":
            c += 1
    return c


def self_plus(n):
    c = 0
    for i in range(n):
        t = str(i % 100)
        u = t + t
        v = u + u
        c += len(v)
    return c


def slices(n):
    s = "0123456789" * 5
    c = 0
    for i in range(n):
        k = i % 40
        p = s[k:k + 5]
        q = p[1:] + p[:1]
        if q in s:
            c += 1
    return c


def type_changes(n):
    vals = ["v", "w", 3, "x", None]
    c = 0
    for i in range(n):
        v = vals[i % 5]
        if type(v) is str:
            t = v + str(i)
            c += len(t)
    return c


def nested(n):
    total = 0
    for i in range(n // 10):
        row = ""
        for j in range(10):
            row += str(j)
        total += len(row)
    return total


PATTERNS = [accumulate, aliases, dropped, merged, frequent_exits, exceptions, chains, self_plus, slices,
            type_changes, nested]

for fn in PATTERNS:
    for _ in range(20):
        fn(200)
    before = sys.getallocatedblocks()
    result = 0
    for _ in range(100):
        result = fn(200)
    growth = sys.getallocatedblocks() - before
    print(fn.__name__, result, growth < 2000)

# module level
before = sys.getallocatedblocks()
for rep in range(50):
    acc = ""
    for i in range(400):
        acc = acc + str(i % 10)
        piece = acc[-3:]
        if piece < "5" < acc:
            acc = acc[1:]
growth = sys.getallocatedblocks() - before
print("module", len(acc), piece, growth < 2000)
