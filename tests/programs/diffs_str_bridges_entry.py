# Entry values and aliases across bridges: a string made before the loop that
# the loop replaces on one path only (its last reference must go exactly when
# CPython drops it), two variables replaced on different side paths, a
# variable that holds a literal on one path and a new string on another,
# str() of a new string (the same object in two variables), conditional
# expressions leaving new strings on the stack across a branch, and strings
# that get interned or hashed (setattr names, dict keys) while being grown.
import sys


def alias_f1(n):
    out = []
    for i in range(n):
        s = "a" + str(i % 10)
        t = str(s)
        s = "b"
        if i % 50 == 0:
            out.append(t)
    return out[-3:], sys.getrefcount(t), t is out[-1]


def alias_f2(n):
    s = "x" + str(n)
    for i in range(n):
        t = str(s)
        s = t + "y"
        s = s[-8:]
        u = str(str(s))
    return s, u, s is u, sys.getrefcount(s)


def alias_f3(n):
    # value kept only in a stack slot across a branch (conditional expression)
    acc = []
    for i in range(n):
        acc.append(("p" + str(i % 3)) if i % 2 else ("q" + str(i % 5))[:1])
    return acc[-4:], [sys.getrefcount(x) for x in acc[-2:]]


def alias_f4(n):
    s = ""
    for i in range(n):
        s = (s + "a") if i % 4 else (s + "bb")[1:]
    return len(s), s[:10], sys.getrefcount(s)


def alias_f5(n):
    a = "a" + str(n)
    b = a + ""
    c = 0
    for i in range(n):
        a, b = b + "", a[:]
        if a is b:
            c += 1
    return c, sys.getrefcount(a), sys.getrefcount(b)


def alias_f6(n):
    s = "s" + str(n)
    for i in range(n):
        t = s
        s = s + "1"
        s = t
    return s, sys.getrefcount(s)


def alias_f7(n):
    s = "q"
    res = 0
    for i in range(n):
        s += "w"
        if len(s) > 30:
            s = s[:2]
        t = s
        res += len(t)
    return res, s, sys.getrefcount(s), t is s


for fn in (alias_f1, alias_f2, alias_f3, alias_f4, alias_f5, alias_f6, alias_f7):
    print(fn.__name__, fn(300))


def entry_f1(n):
    s = "entry" + str(n)
    orig = s
    for i in range(n):
        if i % 5 == 0:
            s = s[-4:] + "x"
        else:
            t = s + "y"
    return sys.getrefcount(orig), s, sys.getrefcount(s)


def entry_f2(n):
    s = "entry" + str(n)
    orig = s
    for i in range(n):
        if i % 5 != 0:
            s = s[-4:] + "x"
        else:
            s = s[:3] + "z"
    return sys.getrefcount(orig), s, sys.getrefcount(s)


def entry_f3(n):
    a = "A" + str(n)
    b = "B" + str(n)
    oa, ob = a, b
    for i in range(n):
        if i % 7 == 0:
            a = b[:4] + "1"
        elif i % 7 == 1:
            b = a[:4] + "2"
        else:
            a = a[:5] + "3"
    return sys.getrefcount(oa), sys.getrefcount(ob), a, b


def entry_f4(n):
    s = "entry" + str(n)
    orig = s
    for i in range(n):
        if i == n - 3:
            s = 5
        else:
            pass
        s = s
    return sys.getrefcount(orig), s


def entry_f5(n):
    s = "e" + str(n)
    orig = s
    for i in range(n):
        if i % 4 == 0:
            s = "lit"
        else:
            s = s + "."
            s = s[-5:]
    return sys.getrefcount(orig), s


for fn in (entry_f1, entry_f2, entry_f3, entry_f4, entry_f5):
    print(fn.__name__, fn(300))


class O:
    pass


def setattr_names(n):
    o = O()
    s = "attr"
    for i in range(n):
        s += "x"
        if i % 50 == 0:
            setattr(o, s, i)
    return len(s), sorted(len(k) for k in vars(o))[:5], getattr(o, "attr" + "x" * 51, None)


def interned(n):
    s = "i"
    for i in range(n):
        s += "y"
        if i % 60 == 0:
            s = sys.intern(s)
    return len(s), s is sys.intern("i" + "y" * n)


def dict_keys_then_append(n):
    s = "k"
    d = {}
    for i in range(n):
        s = s + "z"
        if i % 70 == 0:
            d[s] = i
        s = s + "w"
    return len(d), sorted((len(k), v) for k, v in d.items())[:3], d.get("k" + "zw" * 70 + "z")
print(setattr_names(300))
print(interned(300))
print(dict_keys_then_append(300))
