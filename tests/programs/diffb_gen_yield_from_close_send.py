# Generator protocol driven from hot loops: yield from delegation (with the
# subgenerator's return value), a generator closed early by break with a
# finally (and a with block) inside the generator running at once, close()
# and throw() called in a loop, send() driving an accumulator coroutine, and a
# generator that yields inside finally when closed (RuntimeError).
import traceback

LOG = []


def inner(k):
    for i in range(k):
        yield i
    return k * 100


def outer(n):
    total = 0
    for k in range(n):
        total += yield from inner(k % 4)
    return total


def delegation(n):
    t = 0
    g = outer(n)
    try:
        while True:
            t += next(g)
    except StopIteration as e:
        return t, e.value


def with_finally(tag):
    try:
        i = 0
        while True:
            yield i
            i += 1
    finally:
        LOG.append(tag)


def break_early(n):
    t = 0
    for rnd in range(n):
        for v in with_finally(rnd):
            if v == rnd % 5:
                break
            t += v
    return t, len(LOG), LOG[:5]


def close_and_throw(n):
    caught = 0
    t = 0
    for rnd in range(n):
        g = with_finally(-rnd)
        t += next(g) + next(g)
        if rnd % 2:
            g.close()
        else:
            try:
                g.throw(KeyError(rnd))
            except KeyError:
                caught += 1
    return t, caught, LOG[-2:]


def averager():
    total = 0.0
    count = 0
    avg = None
    while True:
        x = yield avg
        if x is None:
            return count
        total += x
        count += 1
        avg = total / count


def send_loop(n):
    g = averager()
    next(g)
    last = None
    for i in range(n):
        last = g.send(i if i < n // 2 else i * 0.5)
    try:
        g.send(None)
    except StopIteration as e:
        return last, e.value


def stubborn():
    try:
        yield 1
    finally:
        yield 2


def yield_in_finally(n):
    errs = 0
    for i in range(n):
        g = stubborn()
        next(g)
        try:
            g.close()
        except RuntimeError as e:
            errs += 1
            msg = str(e)
    return errs, msg


def send_to_fresh(n):
    errs = 0
    for i in range(n):
        g = averager()
        try:
            g.send(i)
        except TypeError as e:
            errs += 1
            msg = str(e)
    return errs, msg


for f in (delegation, break_early, close_and_throw, send_loop, yield_in_finally, send_to_fresh):
    print(f.__name__, f(300))
g = stubborn()
next(g)
try:
    g.close()
except RuntimeError:
    traceback.print_exc()
