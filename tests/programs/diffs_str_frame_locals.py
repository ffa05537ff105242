# Functions called from a compiled string loop that look at the caller's
# frame: sys._getframe(1).f_locals must show the string variables as the
# interpreter would have them at that point (the accumulator, an alias of it,
# a slice, a str() result), and reference counts seen from inside the callee
# and after the loop must match. Also callees that take and return strings
# (small enough to inline), and locals() of the loop's own frame.
import sys


def spy(names):
    f = sys._getframe(1)
    loc = f.f_locals
    out = []
    for name in names:
        v = loc.get(name, "<unbound>")
        out.append(v if not isinstance(v, str) else (len(v), v[-4:]))
    return out


def spy_refcount(name):
    return sys.getrefcount(sys._getframe(1).f_locals[name])


def accumulator(n):
    s = ""
    seen = []
    for i in range(n):
        s += str(i % 10)
        if i % 200 == 0:
            seen.append(spy(("s", "i")))
    return seen, len(s), sys.getrefcount(s)


def alias_and_slice(n):
    s = "a"
    last = s
    tail = ""
    seen = []
    for i in range(n):
        last = s
        s = s + "b"
        tail = s[-3:]
        num = str(i)
        if i % 150 == 1:
            seen.append(spy(("s", "last", "tail", "num")))
    return seen, sys.getrefcount(s), sys.getrefcount(last), sys.getrefcount(tail)


def refcount_inside(n):
    s = "r"
    counts = []
    for i in range(n):
        s += "x"
        if i % 100 == 50:
            counts.append(spy_refcount("s"))
    return counts, sys.getrefcount(s)


def wrap(t):
    return "(" + t + ")"


def suffix(t, k):
    return t[-k:]


def is_in(a, b):
    return a in b


def calls_with_strings(n):
    s = ""
    hits = 0
    for i in range(n):
        w = wrap(str(i % 5))
        s = suffix(s + w, 30)
        if is_in("(3)", s):
            hits += 1
    return s, hits, sys.getrefcount(s), sys.getrefcount(w)


def own_locals(n):
    s = ""
    snaps = []
    for i in range(n):
        s += "l"
        if i % 300 == 299:
            snaps.append(len(locals()["s"]))
    return snaps, sys.getrefcount(s)


def writer_in_callee(n):
    # the callee changes f_locals; in 3.12 that does not write back to a
    # function's fast locals, and the loop must not see a change either
    def meddle():
        sys._getframe(1).f_locals["s"] = "CHANGED"

    s = ""
    for i in range(n):
        s += "w"
        if i == n // 2:
            meddle()
    return len(s), s[:3]


def generator_reads(n):
    def gen():
        t = ""
        for i in range(n):
            t += chr(97 + i % 26)
            yield t[-2:]

    out = ""
    for piece in gen():
        out += piece
    return len(out), out[-10:], sys.getrefcount(out)


print(accumulator(800))
print(alias_and_slice(600))
print(refcount_inside(500))
print(calls_with_strings(700))
print(own_locals(900))
print(writer_in_callee(400))
print(generator_reads(600))

# module level: the callee looks at the module frame's locals (the globals)
g = ""
views = []
for i in range(500):
    g += "m"
    if i % 125 == 0:
        views.append(spy(("g", "i")))
print(views, len(g), sys.getrefcount(g))
