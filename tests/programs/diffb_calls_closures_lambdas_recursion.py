# Closures, lambdas and recursion called from hot loops: a closure reading a
# cell the loop rebinds (nonlocal), a cell rebound from inside the closure,
# closures created per iteration (late binding), lambdas stored in a dict,
# recursive functions (fib, ackermann-ish) called each iteration, and
# RecursionError raised from a call in the loop and caught.
import sys
import traceback


def cell_read(n):
    k = 0

    def get():
        return k * 2

    t = 0
    for i in range(n):
        k = i
        t += get()
    return t


def cell_written_by_closure(n):
    total = 0

    def bump(v):
        nonlocal total
        total += v

    for i in range(n):
        bump(i)
        if total > 10000:
            total = total % 97
    return total


def late_binding(n):
    fns = []
    for i in range(n):
        fns.append(lambda: i)
    early = []
    for i in range(n):
        early.append(lambda i=i: i)
    return fns[0](), fns[-1](), early[0](), early[-1]()


def lambda_table(n):
    ops = {"+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b % 1009}
    acc = 1
    for i in range(n):
        acc = ops["+-*"[i % 3]](acc, i)
    return acc


def fib(k):
    return k if k < 2 else fib(k - 1) + fib(k - 2)


def recursion_in_loop(n):
    t = 0
    for i in range(n):
        t += fib(i % 12)
    return t


def deep(k):
    return 0 if k == 0 else 1 + deep(k - 1)


def recursion_error(n):
    ok = 0
    errs = 0
    limit = sys.getrecursionlimit()
    for i in range(n):
        try:
            ok += deep(50 if i % 100 else limit + 50)
        except RecursionError:
            errs += 1
    return ok, errs


def counter_factory(n):
    def make():
        c = [0]

        def inc():
            c[0] += 1
            return c[0]
        return inc

    counters = [make() for _ in range(3)]
    t = 0
    for i in range(n):
        t += counters[i % 3]()
    return t, [c() for c in counters]


def closure_rebinding_function(n):
    def f(x):
        return x + 1

    def call(x):
        return f(x)

    out = []
    for i in range(n):
        if i == n // 2:
            f = lambda x: x - 1
        out.append(call(i))
    return out[n // 2 - 1], out[n // 2]


for fn in (cell_read, cell_written_by_closure, late_binding, lambda_table,
           recursion_in_loop, recursion_error, counter_factory, closure_rebinding_function):
    print(fn.__name__, fn(300))
try:
    deep(10 ** 5)
except RecursionError:
    print("RecursionError uncaught-style", file=sys.stderr)
