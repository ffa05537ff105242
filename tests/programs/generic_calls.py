# Calls of Python functions, methods, closures, builtins and C methods from hot loops.
import math

def square(x):
    return x * x

def kw(a, b=1, *, c=2):
    return a * b + c

class Acc:
    def __init__(self):
        self.total = 0
    def add(self, v):
        self.total += v
        return self

def plain_calls(n):
    t = 0
    for i in range(n):
        t += square(i) + kw(i, c=i) + kw(i, b=2)
    return t

def methods(n):
    acc = Acc()
    for i in range(n):
        acc.add(i).add(1)
    return acc.total

def closures(n):
    scale = 3
    def f(v):
        return v * scale
    out = 0
    for i in range(n):
        out += f(i)
        if i == n // 2:
            scale = 5
    return out

def builtins(n):
    r = []
    for i in range(n):
        r.append((divmod(i, 7), max(i, 3, 9), sorted([i % 3, 1, 2])[0], round(math.hypot(i, 1), 3)))
    return r[-2:]

def star_calls(n):
    args = (1, 2)
    t = 0
    for i in range(n):
        t += kw(*args) + kw(i, **{"c": 0})
    return t

print(plain_calls(300))
print(methods(300))
print(closures(300))
print(builtins(300))
print(star_calls(300))
