# Calls from hot loops with default arguments (including a mutable default
# that accumulates, and __defaults__ replaced midway), keyword arguments,
# keyword-only and positional-only parameters, *args/**kwargs packing and
# unpacking, and TypeError from a bad call caught in the loop.
import traceback


def add(a, b=10, *, c=100):
    return a + b + c


def acc_default(x, seen=[]):
    seen.append(x)
    return len(seen)


def pos_only(a, b, /, c=0):
    return a * b - c


def packer(*args, **kwargs):
    return len(args) + sum(args) + sum(kwargs.values()) + len(kwargs)


def defaults(n):
    t = 0
    for i in range(n):
        t += add(i) + add(i, 1) + add(i, c=0) + add(b=2, a=i)
    return t


def mutable_default(n):
    last = 0
    for i in range(n):
        last = acc_default(i)
    return last, acc_default.__defaults__[0][-3:]


def defaults_replaced(n):
    t = []
    for i in range(n):
        if i == n // 2:
            add.__defaults__ = (-10,)
            add.__kwdefaults__ = {"c": 0}
        t.append(add(i))
    add.__defaults__ = (10,)
    add.__kwdefaults__ = {"c": 100}
    return t[n // 2 - 1], t[n // 2], sum(t)


def star_calls(n):
    t = 0
    args = (1, 2)
    kw = {"x": 3}
    for i in range(n):
        t += packer(i, *args, **kw) + packer() + packer(*range(i % 4), y=i)
    return t


def positional_only(n):
    t = 0
    errs = []
    for i in range(n):
        t += pos_only(i, 2) + pos_only(i, 3, c=i)
        if i % 100 == 0:
            try:
                pos_only(a=i, b=1)
            except TypeError as e:
                errs.append(str(e))
    return t, errs[0], len(errs)


def bad_calls(n):
    errs = 0
    t = 0
    for i in range(n):
        try:
            if i % 50 == 0:
                t += add(i, 1, 2)
            elif i % 50 == 1:
                t += add(i, d=1)
            else:
                t += add(i, c=1)
        except TypeError as e:
            errs += 1
            if errs <= 2:
                traceback.print_exc()
    return t, errs


def kwargs_dict_identity(n):
    def f(**kw):
        kw["mut"] = 1
        return len(kw)

    d = {"a": 1}
    t = 0
    for i in range(n):
        t += f(**d)
    return t, d


for fn in (defaults, mutable_default, defaults_replaced, star_calls,
           positional_only, bad_calls, kwargs_dict_identity):
    print(fn.__name__, fn(300))
