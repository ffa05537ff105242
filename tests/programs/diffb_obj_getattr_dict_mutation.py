# Attribute access in hot loops on objects whose __getattr__ / __getattribute__
# / __setattr__ run Python code (logging, raising, mutating), instance __dict__
# modified directly, through setattr() and through vars(), and an attribute
# that appears in __dict__ midway and stops __getattr__ being called.
import traceback


class Lazy:
    def __init__(self):
        self.misses = 0

    def __getattr__(self, name):
        self.misses += 1
        if name.startswith("bad"):
            raise AttributeError(name)
        return len(name)


class Guarded:
    def __init__(self):
        object.__setattr__(self, "log", [])

    def __setattr__(self, name, value):
        self.log.append(name)
        if value == 13:
            raise ValueError("unlucky")
        object.__setattr__(self, name, value)


class Counting:
    gets = 0

    def __init__(self):
        self.x = 1

    def __getattribute__(self, name):
        Counting.gets += 1
        return object.__getattribute__(self, name)


def getattr_fallback(n):
    o = Lazy()
    acc = 0
    for i in range(n):
        if i == n // 2:
            o.ab = 100
        acc += o.ab
    return acc, o.misses


def getattr_raises(n):
    o = Lazy()
    errs = 0
    for i in range(n):
        try:
            v = o.bad_one if i % 30 == 0 else o.fine
        except AttributeError:
            errs += 1
    return errs, o.misses


def setattr_hook(n):
    g = Guarded()
    errs = 0
    for i in range(n):
        try:
            g.v = i % 20
        except ValueError:
            errs += 1
            if errs == 1:
                traceback.print_exc()
    return errs, len(g.log), g.v


def getattribute_hook(n):
    c = Counting()
    acc = 0
    for i in range(n):
        acc += c.x
    return acc, Counting.gets


def dict_writes(n):
    class O:
        pass

    o = O()
    o.a = 0
    acc = 0
    for i in range(n):
        if i % 3 == 0:
            o.__dict__["a"] = i
        elif i % 3 == 1:
            setattr(o, "a", -i)
        else:
            vars(o)["a"] += 1
        acc += o.a
        setattr(o, "k%d" % (i % 4), i)
    return acc, sorted(vars(o).items())


def dict_replaced(n):
    class O:
        pass

    o = O()
    o.v = 1
    acc = 0
    for i in range(n):
        if i == n // 2:
            o.__dict__ = {"v": 1000}
        acc += o.v
    return acc


def getattr_builtin(n):
    class O:
        a = 1
        b = 2

    o = O()
    acc = 0
    for i in range(n):
        acc += getattr(o, "ab"[i % 2]) + getattr(o, "c", 10)
        if hasattr(o, "z"):
            acc += 1000
        if i == n // 2:
            O.z = 0
    return acc


for f in (getattr_fallback, getattr_raises, setattr_hook, getattribute_hook,
          dict_writes, dict_replaced, getattr_builtin):
    print(f.__name__, f(300))
