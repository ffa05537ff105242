# Instance attribute loads and stores in hot loops on plain classes, __slots__
# classes (AttributeError on an unset slot and on a name not in the slots),
# properties with setters, a property replaced by a plain class attribute
# midway, and an attribute deleted midway.
import traceback


class P:
    def __init__(self, x, y):
        self.x = x
        self.y = y


class S:
    __slots__ = ("a", "b")

    def __init__(self, a):
        self.a = a


class Temp:
    def __init__(self):
        self._c = 0.0
        self.sets = 0

    @property
    def c(self):
        return self._c

    @c.setter
    def c(self, v):
        self.sets += 1
        self._c = float(v)

    @property
    def f(self):
        return self._c * 9 / 5 + 32


def plain(n):
    p = P(0, 0)
    for i in range(n):
        p.x += i
        p.y = p.x - p.y
    return p.x, p.y


def slots(n):
    s = S(1)
    errs = []
    for i in range(n):
        s.a = s.a + i
        if i % 100 == 3:
            try:
                s.b += 1
            except AttributeError as e:
                errs.append(str(e))
                s.b = 0
    try:
        s.c = 1
    except AttributeError as e:
        errs.append(str(e))
    return s.a, s.b, errs


def properties(n):
    t = Temp()
    acc = 0.0
    for i in range(n):
        t.c = i % 50
        acc += t.f
    return acc, t.sets


def property_replaced(n):
    t = Temp()
    t.c = 10
    out = []
    for i in range(n):
        if i == n // 2:
            Temp.f = -1
        out.append(t.f)
    del Temp.f
    return out[n // 2 - 1], out[n // 2], out[-1]


def attr_deleted(n):
    p = P(1, 2)
    acc = 0
    for i in range(n):
        if i == n - 10:
            del p.y
        acc += p.x + p.y
    return acc


def type_change_attr(n):
    p = P(0, 0)
    for i in range(n):
        if i == n // 3:
            p.x = float(p.x)
        if i == 2 * n // 3:
            p.x = str(p.x)
            p.y = ""
        p.x += "1" if isinstance(p.x, str) else 1
        p.y += "y" if isinstance(p.y, str) else 1
    return p.x[-12:], p.y[:5], len(p.y)


for f in (plain, slots, properties, property_replaced, type_change_attr):
    print(f.__name__, f(300))
try:
    attr_deleted(300)
except AttributeError:
    traceback.print_exc()
