# for-loops over generator functions and generator expressions in hot code:
# generators yielding ints then floats, a generator expression consumed by
# sum/any/min inside a loop, generators of generators, a generator whose body
# raises midway (the exception reaches the for-loop), StopIteration raised
# inside a generator (RuntimeError per PEP 479), and a generator reading a
# global that the loop rebinds.
import traceback


def count_up(n):
    i = 0
    while i < n:
        yield i
        i += 1


def mixed(n):
    for i in range(n):
        yield i if i < n // 2 else i + 0.5


def over_generator(n):
    t = 0
    for v in count_up(n):
        t += v * v
    f = 0.0
    for v in mixed(n):
        f += v
    return t, f


def genexpr_in_loop(n):
    t = 0
    for i in range(n):
        t += sum(x for x in range(i % 10) if x % 2)
        if any(c == "z" for c in "xyz"[: i % 4]):
            t += 1000
        t += min((x * 3 % 7 for x in range(1, 5)), default=0)
    return t


def chained(n):
    evens = (x for x in count_up(n) if x % 2 == 0)
    squares = (x * x for x in evens)
    t = 0
    for s in squares:
        t += s
    return t


def raises_midway(n):
    for i in range(n):
        if i == n - 7:
            raise ValueError("gen broke at %d" % i)
        yield i


def consume_raising(n):
    t = 0
    try:
        for v in raises_midway(n):
            t += v
    except ValueError as e:
        return t, str(e)


def stop_iteration_inside(n):
    def bad():
        for i in range(n):
            if i == n // 2:
                raise StopIteration
            yield i

    t = 0
    try:
        for v in bad():
            t += v
    except RuntimeError as e:
        return t, str(e), type(e.__cause__).__name__


FACTOR = 1


def reads_global(n):
    for i in range(n):
        yield i * FACTOR


def global_rebound_while_suspended(n):
    global FACTOR
    t = 0
    for i, v in enumerate(reads_global(n)):
        if i == n // 2:
            FACTOR = 1000
        t += v
    FACTOR = 1
    return t


def uncaught_from_generator(n):
    t = 0
    for v in raises_midway(n):
        t += v
    return t


for f in (over_generator, genexpr_in_loop, chained, consume_raising,
          stop_iteration_inside, global_rebound_while_suspended):
    print(f.__name__, f(300))
try:
    uncaught_from_generator(300)
except ValueError:
    traceback.print_exc()
