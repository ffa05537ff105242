# The garbage collector and tracebacks looking at frames of compiled string
# loops: gc.collect() called from the loop while the frame object exists (it
# traverses the frame's slots, so none may hold a released string), the
# frame's f_locals read through a frame object kept from before the loop,
# exceptions raised while new strings sit on the value stack (they must be
# released, not leaked), and tb_frame.f_locals of a caught exception showing
# the strings as they were when it was raised.
import gc
import sys


def gc_in_loop(n):
    fr = sys._getframe()
    s = ""
    sizes = []
    for i in range(n):
        s += "ab"
        t = s[-3:]
        if i % 40 == 0:
            gc.collect()
            sizes.append((len(fr.f_locals["s"]), fr.f_locals["t"]))
    return sizes, sys.getrefcount(s), sys.getrefcount(t)


def referrers(n):
    s = ""
    found = []
    for i in range(n):
        s = s + str(i % 10)
        s = s[-20:]
        if i % 50 == 0:
            found.append(len([o for o in gc.get_referrers(s) if type(o) is list]))
    return s, found


def boom(i):
    if i % 3 == 0:
        raise ValueError(i)
    return "k"


def temps_on_stack(n):
    s = "base" + str(n)
    errs = 0
    last = ""
    for i in range(n):
        try:
            last = (s + "x") + boom(i) + (s + "y")[-2:]
        except ValueError:
            errs += 1
    return errs, last, sys.getrefcount(s), sys.getrefcount(last)


def traceback_locals(n):
    s = ""
    seen = []
    for i in range(n):
        s += str(i % 10)
        piece = s[-3:]
        try:
            if i % 120 == 119:
                raise KeyError(piece)
        except KeyError as e:
            loc = e.__traceback__.tb_frame.f_locals
            seen.append((len(loc["s"]), loc["piece"], e.args[0]))
    return seen, len(s), sys.getrefcount(s)


def leak_check(fn, n):
    for _ in range(10):
        fn(n)
    before = sys.getallocatedblocks()
    for _ in range(60):
        fn(n)
    return sys.getallocatedblocks() - before < 2000


print(gc_in_loop(400))
print(referrers(300))
print(temps_on_stack(600))
print(traceback_locals(600))
print([leak_check(fn, 300) for fn in (temps_on_stack, traceback_locals)])

# module level: gc while a global string is built, then an uncaught exception
# whose traceback is printed
acc = ""
for i in range(500):
    acc = acc + "m"
    if i % 100 == 0:
        gc.collect()
print(len(acc), sys.getrefcount(acc))


def explode(s):
    raise RuntimeError("built " + str(len(s)) + " chars, ends with " + s[-3:])


text = ""
for i in range(700):
    text += "0123456789"[i % 10]
    if i == 650:
        explode(text)
