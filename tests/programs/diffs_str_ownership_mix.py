# A deterministic pseudo-random mix of string operations on a handful of
# variables inside one hot loop, so that many branches (side exits and
# bridges) each hold different combinations of new strings, aliases of them
# and borrowed constants: +=, prepends, slices, str(), assignments between the
# variables, swaps, `in` and comparisons deciding the next branch. The
# variables' contents are checked with a running digest, and their reference
# counts after the loop.
import sys

# Made at run time: a constant of the module's code would also be held by the
# code object, whose references `python SCRIPT` and `hotloop run` count
# differently even with nothing compiled.
CONSTS = [chr(c) * n for c, n in ((0x61, 0), (0x61, 1), (0x62, 2), (0xE9, 1), (0x20AC, 2), (0x1F600, 1), (0x78, 12))]


def digest(acc, s):
    return (acc * 31 + len(s) * 7 + (ord(s[0]) if s else 3) + (ord(s[-1]) if s else 5)) % 1000000007


def mix(n, seed):
    a = "A"
    b = "B"
    c = "C"
    d = a
    x = seed
    acc = 0
    for i in range(n):
        x = (x * 1103515245 + 12345) % 2147483648
        op = (x >> 16) % 12
        k = (x >> 8) % 7
        if op == 0:
            a += b[-2:]
        elif op == 1:
            b = CONSTS[k] + b
        elif op == 2:
            c = a[k:k + 5]
        elif op == 3:
            d = c
        elif op == 4:
            a, c = c, a
        elif op == 5:
            b = str(x % 1000) + CONSTS[k]
        elif op == 6:
            if b in a:
                a = a[1:]
            else:
                a = a + "|"
        elif op == 7:
            if c < d:
                c = d + c[-3:]
        elif op == 8:
            d = d[-4:] + str(i)
        elif op == 9:
            a = b
        elif op == 10:
            b = b[:6]
            c += CONSTS[k]
        else:
            d = CONSTS[k]
        if len(a) > 60:
            a = a[-20:]
        if len(b) > 60:
            b = b[:20]
        if len(c) > 60:
            c = c[10:30]
        acc = (acc * 31 + len(a) * 7 + len(b) * 11 + len(c) * 13 + len(d) * 17) % 1000000007
        if a[:1] < b[-1:]:
            acc += 1
        if c[1:3] == d[1:3]:
            acc += 2
        if i % 100 == 0:
            acc = digest(acc, a + b + c + d)
    return acc, ascii(a), ascii(b), ascii(c), ascii(d), [sys.getrefcount(v) for v in (a, b, c, d)]


def mix_owned(n, seed):
    # every assignment goes through an operation, so every variable holds a
    # string the compiled code made (an owned reference), even where the
    # operation hands back an object that already existed ("" + s, s[:])
    a = "A" + ""
    b = "B" + ""
    c = "C" + ""
    d = a[:]
    x = seed
    acc = 0
    for i in range(n):
        x = (x * 1103515245 + 12345) % 2147483648
        op = (x >> 16) % 10
        k = (x >> 8) % 7
        if op == 0:
            a += b[-2:]
        elif op == 1:
            b = CONSTS[k] + b
        elif op == 2:
            c = a[k:k + 5]
        elif op == 3:
            d = c[:]
        elif op == 4:
            a, c = c + "", a[:]
        elif op == 5:
            b = str(x % 1000) + CONSTS[k]
        elif op == 6:
            if b in a:
                a = a[1:]
            else:
                a = a + "|"
        elif op == 7:
            d = "" + CONSTS[k]
        elif op == 8:
            d = d[-4:] + str(i)
        else:
            b = b[:6]
            c += CONSTS[k]
        if len(a) > 60:
            a = a[-20:]
        if len(c) > 60:
            c = c[10:30]
        acc = (acc * 31 + len(a) * 7 + len(b) * 11 + len(c) * 13 + len(d) * 17) % 1000000007
        if a[:1] < b[-1:]:
            acc += 1
        if c[1:3] == d[1:3]:
            acc += 2
    return acc, ascii(a), ascii(b), ascii(c), ascii(d), [sys.getrefcount(v) for v in (a, b, c, d)]


def mix_skewed(n, seed):
    # one path most of the time, so the loop stays compiled and the rare
    # paths get bridges: each bridge holds its own mix of owned strings
    a = "A" + str(seed)
    b = "B" + str(seed)
    c = "C" + str(seed)
    x = seed
    acc = 0
    for i in range(n):
        x = (x * 1103515245 + 12345) % 2147483648
        r = (x >> 16) % 64
        k = (x >> 8) % 7
        if r < 48:
            a += b[-1:]
        elif r < 51:
            b = c[k:] + str(k)
        elif r < 54:
            a, c = c + "!", a[-9:]
        elif r < 57:
            c = a[:5] + CONSTS[k]
        elif r < 60:
            if c in a:
                b = a[-3:]
            else:
                b = b + c[:1]
        else:
            c = str(i) + b[:4]
        if len(a) > 80:
            a = a[-30:]
        if len(b) > 40:
            b = b[:10]
        acc = (acc * 31 + len(a) * 7 + len(b) * 11 + len(c) * 13) % 1000000007
        if a > c:
            acc += 1
    return acc, ascii(a), ascii(b), ascii(c), sys.getrefcount(a), sys.getrefcount(b), sys.getrefcount(c)


for seed in (1, 2, 3, 4, 5, 42, 1000):
    print(seed, mix(1500, seed))
for seed in (1, 2, 3, 4, 5, 42, 1000):
    print(seed, mix_skewed(3000, seed))
for seed in (1, 2, 3, 4, 5, 42, 1000):
    print(seed, mix_owned(1500, seed))

# module level, same mix inline
a, b, c = "a", "b", "c"
x = 7
acc = 0
for i in range(2000):
    x = (x * 69069 + 1) % 4294967296
    op = (x >> 20) % 6
    if op == 0:
        a = a + c[:2]
    elif op == 1:
        b = a[-3:]
    elif op == 2:
        c = str(x % 97) + b
    elif op == 3:
        a, b = b, a
    elif op == 4:
        c = c[1:] if c else "r"
    else:
        a = a[-10:]
    acc = (acc * 7 + len(a) + 3 * len(b) + 5 * len(c)) % 1000003
print(acc, a, b, c, [sys.getrefcount(v) for v in (a, b, c)])
