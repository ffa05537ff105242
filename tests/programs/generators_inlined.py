"""`for x in generator()`: the generator's code runs inlined in the loop's
trace. Exits in the generator's body, after its yield, exhaustion, exceptions
raised inside it, generators looked at or resumed after the loop."""

import sys


def evens(n):
    for i in range(n):
        if i % 2 == 0:
            yield i


def irregular(n):
    for i in range(n):
        if i % 7 == 3 or i % 11 == 0:
            yield i * 3


def counting_down(n):
    while n > 0:
        yield n
        n -= 1
    return "done"


def floats(n):
    x = 0.5
    for _ in range(n):
        x = x * 1.0001 + 0.25
        yield x


def raises_at(n, bad):
    for i in range(n):
        yield 100 // (i - bad)


def two_yields(n):
    for i in range(n):
        yield i
        yield -i


def with_finally(n, log):
    try:
        for i in range(n):
            yield i
    finally:
        log.append("finally")


def type_changes(n):
    for i in range(n):
        yield i if i < n // 2 else i + 0.5


def big(n):
    v = 2 ** 60
    for i in range(n):
        v += i * 2 ** 40
        yield v


def total(gen):
    t = 0
    for v in gen:
        t += v
    return t


print(total(evens(1000)), total(irregular(2000)), total(counting_down(500)))
print(round(total(floats(800)), 6), total(two_yields(300)), total(type_changes(400)), total(big(300)))

try:
    total(raises_at(300, 150))
except ZeroDivisionError as e:
    tb = e.__traceback__
    lines = []
    while tb is not None:
        lines.append((tb.tb_frame.f_code.co_name, tb.tb_lineno))
        tb = tb.tb_next
    print("ZeroDivisionError", e, lines)

log = []
print(total(with_finally(200, log)), log)

# Break out midway, then go on with the same generator.
g = evens(1000)
seen = 0
for v in g:
    seen += v
    if v > 600:
        break
print(seen, next(g), g.gi_frame.f_locals["i"], sum(g))

# The generator's frame after an exit in its body.
g = irregular(500)
count = 0
for v in g:
    count += 1
    if count == 40:
        print("locals", sorted(g.gi_frame.f_locals.items()))
        break
print(count, list(g)[:3])


# A loop whose body stores what it gets.
def collect(gen):
    out = []
    d = {}
    for v in gen:
        out.append(v)
        d[v % 10] = v
    return len(out), out[-3:], sorted(d.items())[:3]


print(collect(irregular(3000)))
print(collect(counting_down(300)))


# Objects with __del__ yielded and dropped.
class Noisy:
    deleted = 0

    def __init__(self, k):
        self.k = k

    def __del__(self):
        Noisy.deleted += 1


def noisy(n):
    for i in range(n):
        yield Noisy(i)


def keep_last(gen):
    last = None
    for obj in gen:
        last = obj
    return last.k


print(keep_last(noisy(300)), Noisy.deleted)


# The same generator function used by two loops, and a generator exhausted
# in the middle of a trace entry.
def pairs(n):
    a = 0
    for b in range(n):
        yield a + b
        a = b


print(total(pairs(100)), total(pairs(7)), total(pairs(0)), total(pairs(1000)))

# Line tracing sees the generator's lines while the loop runs.
events = []


def tracer(frame, event, arg):
    if frame.f_code.co_name == "evens" and event == "line":
        events.append(frame.f_lineno)
    return tracer


total(evens(100))
sys.settrace(tracer)
total(evens(50))
sys.settrace(None)
print(len(events), events[:6])


# One consumer per generator, so that each loop compiles with its generator
# inlined and every kind of exit runs from compiled code.
def sum_irregular(n):
    t = 0
    for v in irregular(n):
        t += v
    return t


def sum_raising(n, bad):
    t = 0
    for v in raises_at(n, bad):
        t += v
    return t


def sum_counting(n):
    t = 0
    for v in counting_down(n):
        t += v
    return t


def sum_finally(n, log):
    t = 0
    for v in with_finally(n, log):
        t += v
    return t


def sum_types(n):
    t = 0
    for v in type_changes(n):
        t += v
    return t


print(sum_irregular(5000), sum_irregular(30), sum_counting(3000), sum_counting(3))
log = []
print(sum_finally(3000, log), sum_types(3000), log)
for bad in (2500, 40, 0):
    try:
        print(sum_raising(3000, bad))
    except ZeroDivisionError as e:
        tb = e.__traceback__.tb_next
        print("raised", e, tb.tb_frame.f_code.co_name, tb.tb_lineno, tb.tb_next.tb_frame.f_code.co_name)
