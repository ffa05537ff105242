# Tuples of mixed types and star-unpacking in hot loops: first, *rest, last
# with rest a list, star in the middle, star taking nothing, star-unpacking a
# too-short tuple (ValueError), building tuples with *args, tuple comparison
# of mixed elements, and tuple concatenation growing a tuple.


def first_rest(n):
    t = 0
    for i in range(n):
        first, *rest = (i, "x", 2.5, None)[: 1 + i % 4]
        t += first + len(rest)
    return t


def middle(n):
    t = 0
    out = None
    for i in range(n):
        a, *mid, z = tuple(range(i % 6 + 2))
        t += a + z + len(mid)
        out = mid
    return t, out


def too_short(n):
    ok = 0
    errs = 0
    msg = ""
    for i in range(n):
        try:
            a, b, *c = (i,) * (i % 4)
            ok += a + b + len(c)
        except ValueError as e:
            errs += 1
            msg = str(e)
    return ok, errs, msg


def build_star(n):
    t = 0
    for i in range(n):
        base = (i, i + 1)
        big = (*base, *range(i % 3), -1)
        t += len(big) + big[-1] + big[0]
    return t


def compare_mixed(n):
    t = 0
    for i in range(n):
        a = (i % 5, 1.5, "b")
        b = (i % 3, 1.5, "a")
        if a < b:
            t += 1
        elif a == b:
            t += 100
        else:
            t += 10000
    return t


def compare_raises(n):
    out = 0
    for i in range(n):
        a = (1, i)
        b = (1, "s" if i == n - 5 else i - 1)
        try:
            if a > b:
                out += 1
        except TypeError as e:
            return out, str(e)
    return out


def concat(n):
    tup = ()
    for i in range(n):
        tup = tup + (i % 3, float(i)) if i % 2 else tup + (str(i % 10),)
    return len(tup), tup[:5], tup[-3:]


print("first_rest", first_rest(400))
print("middle", middle(400))
print("too_short", too_short(400))
print("build_star", build_star(400))
print("compare_mixed", compare_mixed(400))
print("compare_raises", compare_raises(400))
print("concat", concat(300))
