# Reference counts of every string a compiled loop touches, measured after the
# loop: operands that are not immortal (built at run time) used as the left or
# right side of +, sliced, searched with `in`, compared; strings read out of a
# list each iteration; results dropped at once; results held by a list; loops
# that leave compiled code on every few iterations (so that exits release what
# they hold), and a loop that deletes its string variable each iteration.
import sys


def rc(*objs):
    return [sys.getrefcount(o) - 1 for o in objs]


def operands(n):
    left = "L" * 50 + str(n)
    right = "R" * 50 + str(n)
    hay = "hay-" * 20 + str(n)
    before = rc(left, right, hay)
    for i in range(n):
        t = left + right
        u = right + left[i % 10:]
        if right in hay or hay[i % 50:] < left:
            pass
        v = t[3:9]
    after = rc(left, right, hay, t, u, v)
    return before, after


def from_list(n):
    items = ["item-%d-" % k * 3 for k in range(10)]
    before = rc(*items)
    total = 0
    for i in range(n):
        x = items[i % 10]
        y = x + x
        z = y[len(x) - 2:len(x) + 2]
        if z in x + x:
            total += len(z)
    after = rc(*items)
    return total, before == after, after, rc(x, y, z)


def dropped_results(n):
    s = "drop" * 10 + str(n)
    for i in range(n):
        s + "x"
        s[1:5]
        str(i)
        s + s
    return rc(s)


def held_results(n):
    base = "held" * 5 + str(n)
    keep = []
    for i in range(n):
        keep.append(base + str(i % 3))
        keep.append(base[i % 7:])
    return rc(base), sorted(set(rc(*keep)))


def frequent_exits(n):
    s = "exit" * 5 + str(n)
    acc = ""
    for i in range(n):
        t = s + str(i)
        if i % 3 == 0:
            acc += t[-1:]  # a branch taken a third of the time
        elif i % 3 == 1:
            acc = acc + "."
        u = t[:4]
    return rc(s, acc, t, u), len(acc)


def deleted_each_time(n):
    base = "del" * 5 + str(n)
    count = 0
    for i in range(n):
        t = base + str(i)
        count += len(t)
        del t
    return count, rc(base)


def reassigned_many(n):
    a = "start" + str(n)
    original = a
    for i in range(n):
        a = a + "1"
        a = a[:10]
        a = a + a
        a = a[-10:]
    return rc(a, original), a


def exits_with_exceptions(n):
    base = "exc" * 5 + str(n)
    errs = 0
    for i in range(n):
        t = base + "x"
        try:
            u = t + (i if i % 50 == 0 else "y")
        except TypeError:
            errs += 1
    return errs, rc(base, t, u)


print(operands(600))
print(from_list(700))
print(dropped_results(800))
print(held_results(300))
print(frequent_exits(900))
print(deleted_each_time(700))
print(reassigned_many(500))
print(exits_with_exceptions(600))

# the same at module level
mod = "module" * 4 + str(7)
for i in range(600):
    r1 = mod + str(i)
    r2 = r1[2:8]
    ok = r2 in mod and r1 > mod
print(rc(mod, r1, r2), ok)
