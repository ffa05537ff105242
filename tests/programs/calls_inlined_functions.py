# Python functions and methods called from hot loops, recorded through (no
# frame in compiled code): results, exits back to the call, rebinding, and
# the cases that must stay real calls.
import sys
import traceback


def clamp(v, lo, hi):
    return lo if v < lo else hi if v > hi else v


def square(x):
    return x * x


def half(x):
    return x / 2


def constant():
    return "same object"


def nested(a, b):
    return square(a) + clamp(b, 0, 50)


class Acc:
    def __init__(self):
        self.total = 0
        self.count = 0.0

    def add(self, v):
        self.total += v

    def add_two(self, v):
        self.total = self.total + v
        self.count = self.count + 1.0  # a guard after a store: not inlined


def plain_calls(n):
    t = 0
    for i in range(n):
        t += clamp(i % 100, 10, 90) + square(i % 7)
    return t


def method_calls(n):
    acc = Acc()
    for i in range(n):
        acc.add(i - 5)
        acc.add_two(i)
    return acc.total, acc.count


def nested_calls(n):
    t = 0
    for i in range(n):
        t += nested(i % 13, i % 80)
    return t


def identity_of_results(n):
    same = 0
    for i in range(n):
        if constant() is constant():
            same += 1
    return same


def overflow_inside_call(n):
    x = 3
    out = []
    for i in range(n):
        x = square(x) % 1000003 + 2**40
        out.append(x.bit_length())
    return out[-3:]


def raises_inside_call(n):
    t = 0.0
    for i in range(n):
        t += half(i) / (n - 10 - i)
    return t


def function_rebound_midway(n):
    global square
    original = square
    t = 0
    for i in range(n):
        if i == n // 2:
            square = lambda x: -x
        t += square(i)
    square = original
    return t


def code_replaced_midway(n):
    def f(x):
        return x + 1

    def g(x):
        return x - 1

    t = 0
    for i in range(n):
        if i == n // 2:
            f.__code__ = g.__code__
        t += f(i)
    return t


def method_replaced_midway(n):
    class K:
        def __init__(self):
            self.v = 0

        def bump(self):
            self.v += 1

    k = K()
    for i in range(n):
        if i == n // 2:
            K.bump = lambda self: setattr(self, "v", self.v + 100)
        k.bump()
    return k.v


def callee_looks_at_frames(n):
    def where():
        return sys._getframe(1).f_locals["i"]

    t = 0
    for i in range(n):
        t += where()
    return t


def defaults_and_keywords(n):
    def scaled(x, k=3):
        return x * k

    t = 0
    for i in range(n):
        t += scaled(i) + scaled(i, k=2) + scaled(i, 5)
    return t


def recursive(n):
    def fact(k):
        return 1 if k <= 1 else k * fact(k - 1)

    t = 0
    for i in range(n):
        t += fact(i % 10)
    return t


def profiled_midway(n):
    calls = []

    def profiler(frame, event, arg):
        if event == "call" and frame.f_code.co_name == "square":
            calls.append(frame.f_locals["x"])

    t = 0
    for i in range(n):
        if i == n - 5:
            sys.setprofile(profiler)
        t += square(i)
    sys.setprofile(None)
    return t, calls


def traceback_through_call(n):
    def check(v):
        if v == n - 3:
            raise ValueError("bad value %d" % v)
        return v

    t = 0
    for i in range(n):
        t += check(i)
    return t


print(plain_calls(2000))
print(method_calls(2000))
print(nested_calls(2000))
print(identity_of_results(300))
print(overflow_inside_call(300))
try:
    print(raises_inside_call(300))
except ZeroDivisionError as e:
    print("ZeroDivisionError:", e)
print(function_rebound_midway(300))
print(code_replaced_midway(300))
print(method_replaced_midway(300))
print(callee_looks_at_frames(300))
print(defaults_and_keywords(300))
print(recursive(300))
print(profiled_midway(300))
try:
    traceback_through_call(300)
except ValueError:
    lines = traceback.format_exc().splitlines()
    print("\n".join(line for line in lines if not line.startswith("  File")))
    print([line.split(",")[1] for line in lines if line.startswith("  File")])
