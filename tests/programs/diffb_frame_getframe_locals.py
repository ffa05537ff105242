# Frame introspection from functions called in hot loops:
# sys._getframe(1).f_locals / f_lineno / f_code.co_name of the looping frame,
# locals() evaluated inside the loop body, a callee that reads a loop variable
# whose type changes midway, and writes through f_locals (which in 3.12 do
# not change the caller's fast locals).
import sys


def peek(names):
    f = sys._getframe(1)
    loc = f.f_locals
    return f.f_code.co_name, f.f_lineno, tuple(loc.get(k) for k in names)


def caller_locals(n):
    a = 0
    b = 1.5
    out = []
    for i in range(n):
        a += i
        b = b * 0.5 + 1
        if i % 75 == 74:
            out.append(peek(("i", "a", "b")))
    return out


def locals_in_loop(n):
    acc = 0
    snaps = []
    for i in range(n):
        acc += i * 2
        tmp = acc % 7
        if i % 100 == 0:
            snaps.append(sorted((k, v) for k, v in locals().items() if k != "snaps"))
    return snaps[-1], len(snaps)


def type_changing_local(n):
    x = 0
    seen = []
    for i in range(n):
        if i == n // 2:
            x = float(x)
        x += 1
        if i % 50 == 49:
            seen.append(type(peek(("x",))[2][0]).__name__)
    return seen


def poke():
    sys._getframe(1).f_locals["v"] = "poked"


def write_through_f_locals(n):
    v = 0
    for i in range(n):
        v += 1
        if i == n // 2:
            poke()
    return v


def outer_frames(n):
    def depth():
        f = sys._getframe()
        d = 0
        names = []
        while f is not None and d < 3:
            names.append(f.f_code.co_name)
            f = f.f_back
            d += 1
        return names

    last = None
    count = 0
    for i in range(n):
        last = depth()
        count += len(last)
    return last, count


def peek_deleted(n):
    out = []
    for i in range(n):
        y = i
        if i % 100 == 50:
            del y
            out.append(peek(("y", "i"))[2])
    return out


for f in (caller_locals, locals_in_loop, type_changing_local,
          write_through_f_locals, outer_frames, peek_deleted):
    print(f.__name__, f(300))
