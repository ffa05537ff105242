# A str subclass instance appearing midway through loops compiled for exact
# strs: as the accumulator of += (its __add__ / __iadd__ / __radd__ must run,
# or str's when it has none), as the right operand (a subclass's __radd__ runs
# before str.__add__), sliced (its __getitem__), as hay or needle of `in`,
# compared (its rich comparisons, reflected first on the right), passed to
# str() (its __str__ is not called for str(); the result is an exact str), and
# the types of every result.
import sys


class Plain(str):
    pass


class Loud(str):
    def __add__(self, other):
        return Loud(str.__add__(self, other).upper())

    def __radd__(self, other):
        return Loud("R" + other + str.__str__(self))

    def __getitem__(self, item):
        return Loud("<" + str.__getitem__(self, item) + ">")

    def __contains__(self, item):
        return True

    def __eq__(self, other):
        return isinstance(other, str) and str.__eq__(self.lower(), other.lower())

    __hash__ = str.__hash__

    def __lt__(self, other):
        return "lt-called"

    def __gt__(self, other):
        return "gt-called"

    def __str__(self):
        return "never used by str()"


class Appender(str):
    def __iadd__(self, other):
        return Appender(str(self) + "+" + other)


def accumulator_becomes(cls, n):
    s = ""
    types = []
    for i in range(n):
        if i == n // 2:
            s = cls(s[-3:])
        s += "ab"[i % 2]
        if i % (n // 5) == 0 or i == n // 2:
            types.append(type(s).__name__)
    return len(s), s[-8:], types


def right_operand(n):
    vals = ["x"] * n
    vals[n // 2] = Loud("y")
    vals[n // 2 + 1] = Plain("z")
    out = ""
    marks = []
    for i in range(n):
        t = "q" + vals[i]
        out += t[-1:]
        if type(t) is not str:
            marks.append((i, t, type(t).__name__))
    return out[n // 2 - 2:n // 2 + 4], marks


def sliced(n):
    vals = ["0123456789"] * n
    vals[n // 3] = Loud("abcdefghij")
    vals[n // 2] = Plain("ABCDEFGHIJ")
    acc = ""
    odd = []
    for i in range(n):
        p = vals[i][2:5]
        acc += p[:1]
        if type(p) is not str or p != "234":
            odd.append((i, p, type(p).__name__))
    return len(acc), odd


def contained(n):
    hays = ["abc"] * n
    hays[n // 2] = Loud("abc")
    needles = ["zz"] * n
    needles[n // 3] = Loud("b")
    hits = []
    for i in range(n):
        if needles[i] in hays[i]:
            hits.append(i)
        if "b" not in hays[i]:
            hits.append(-i)
    return hits


def compared(n):
    vals = ["m"] * n
    vals[n // 2] = Loud("M")
    vals[n // 2 + 1] = Plain("m")
    res = []
    for i in range(n):
        v = vals[i]
        e = v == "m"
        l = "m" < v
        g = v > "a"
        if e is not True or l is not False or g is not True:
            res.append((i, e, l, g))
    return res


def str_of(n):
    vals = ["s"] * n
    vals[n // 2] = Loud("loud")
    vals[n // 2 + 1] = Plain("plain")
    out = []
    for i in range(n):
        t = str(vals[i])
        if t != "s" or type(t) is not str:
            out.append((t, type(t).__name__))
    return out


def plain_subclass_accumulates(n):
    s = Plain("p")
    for i in range(n):
        s = s + "."
    return type(s).__name__, len(s), sys.getrefcount(s)


print(accumulator_becomes(Plain, 500))
print(accumulator_becomes(Loud, 500))
print(accumulator_becomes(Appender, 500))
print(right_operand(600))
print(sliced(600))
print(contained(600))
print(compared(500))
print(str_of(400))
print(plain_subclass_accumulates(300))

# module level: a subclass appears as the accumulator, then an uncaught
# exception from its own __add__
class Boom(str):
    def __add__(self, other):
        raise RuntimeError("boom after " + str(len(self)))


acc = ""
for i in range(600):
    if i == 550:
        acc = Boom(acc)
    acc = acc + "b"
print("unreachable")
