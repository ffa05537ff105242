# Mutating a list or dict while a compiled loop iterates over it, and classes
# whose __eq__, __hash__ and __getattr__ misbehave.
def grow_list(n):
    xs = list(range(5))
    count = 0
    for x in xs:
        count += 1
        if count < n:
            xs.append(x + 1)
    return count, len(xs)

def shrink_list(n):
    xs = list(range(n))
    seen = []
    for x in xs:
        seen.append(x)
        if x % 3 == 0 and xs:
            xs.pop()
    return len(seen), seen[-3:]

def dict_changed(n):
    d = {i: i for i in range(n)}
    total = 0
    for k in d:
        total += k
        if k == n // 2:
            d[n + 1] = 0
    return total

class BadEq:
    def __init__(self, v):
        self.v = v
    def __eq__(self, other):
        if self.v == 150:
            raise RuntimeError("eq exploded")
        return isinstance(other, BadEq) and self.v == other.v
    def __hash__(self):
        return self.v % 5

class OddEq:
    def __eq__(self, other):
        return "yes"  # a truthy non-bool
    __hash__ = object.__hash__

class Dynamic:
    def __getattr__(self, name):
        if name == "boom":
            raise AttributeError("no boom")
        return len(name)

def eq_loop(n):
    d = {}
    try:
        for i in range(n):
            d[BadEq(i)] = i
            if BadEq(i) == BadEq(i):
                pass
    except RuntimeError as e:
        print("RuntimeError", e, len(d))

def odd_eq(n):
    c = 0
    o = OddEq()
    for i in range(n):
        if o == i:
            c += 1
        if o in [1, 2]:
            c += 1
    return c

def dynamic(n):
    obj = Dynamic()
    t = 0
    for i in range(n):
        t += obj.abc + obj.xy
        if i == n - 1:
            t += obj.boom
    return t

print(grow_list(300))
print(shrink_list(300))
try:
    print(dict_changed(300))
except RuntimeError as e:
    print("RuntimeError", e)
eq_loop(300)
print(odd_eq(300))
try:
    dynamic(300)
except AttributeError as e:
    print("AttributeError", e)
