# Rebinding names a hot loop calls through, midway: a module global function
# replaced, a builtin shadowed by a module global and the shadow deleted, the
# builtins module itself patched (builtins.len), a bound method replaced on
# the instance, and a method of a builtin type reached through a subclass.
# The new binding must take effect on the very next iteration.
import builtins


def helper(x):
    return x + 1


def global_function_replaced(n):
    global helper
    out = []
    orig = helper
    for i in range(n):
        if i == n // 2:
            helper = lambda x: x * 100
        out.append(helper(i))
    helper = orig
    return out[n // 2 - 1], out[n // 2], sum(out)


def builtin_shadowed(n):
    global abs
    out = []
    for i in range(n):
        if i == 100:
            abs = lambda x: "shadow"
        if i == 200:
            del abs
        out.append(abs(-i))
    return out[99], out[100], out[200], out.count("shadow")


def builtins_patched(n):
    orig = builtins.len
    out = []
    try:
        for i in range(n):
            if i == n // 2:
                builtins.len = lambda x: -1
            out.append(len("abc"))
    finally:
        builtins.len = orig
    return out[n // 2 - 1], out[n // 2], len(out)


class Acc:
    def __init__(self):
        self.v = 0

    def add(self, x):
        self.v += x
        return self.v


def bound_method_replaced(n):
    a = Acc()
    out = 0
    for i in range(n):
        if i == n // 2:
            a.add = lambda x: -x
        out += a.add(i)
    return out, a.v


class MyList(list):
    def append(self, x):
        list.append(self, x * 2)


def builtin_method_overridden(n):
    l = MyList()
    plain = []
    for i in range(n):
        l.append(i)
        plain.append(i)
        if i == n // 2:
            MyList.append = list.append
    return sum(l), sum(plain), l[n // 2], l[n // 2 + 1]


def methods_of_builtins(n):
    d = {}
    l = []
    s = set()
    acc = 0
    for i in range(n):
        l.append(i)
        l.insert(0, -i) if i % 50 == 0 else None
        d.setdefault(i % 7, i)
        s.add(i % 13)
        acc += l.index(i) + l.count(0) + len(d.keys()) + len(s)
        if len(l) > 20:
            l.pop(0)
            l.sort(reverse=i % 2 == 0)
            l.reverse()
    return acc, l[:5], sorted(d.values())


def print_rebound(n):
    global print
    lines = []
    for i in range(n):
        if i == n - 3:
            print = lambda *a: lines.append(a)
        if i >= n - 5:
            print("line", i)
    del print
    return lines


for fn in (global_function_replaced, builtin_shadowed, builtins_patched,
           bound_method_replaced, builtin_method_overridden, methods_of_builtins, print_rebound):
    print(fn.__name__, fn(300))
