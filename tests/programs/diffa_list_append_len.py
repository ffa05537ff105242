# append and len in hot loops: lists grown by append while len is read each
# iteration, appending different types midway (ints, then floats, then big ints),
# a list that appends to itself while iterated with a bound, bound method kept
# in a local, and a list subclass overriding append and __len__.


class CountingList(list):
    def __init__(self):
        super().__init__()
        self.calls = 0

    def append(self, x):
        self.calls += 1
        super().append(x * 2)

    def __len__(self):
        return super().__len__() + 1000


def grow(n):
    xs = []
    t = 0
    for i in range(n):
        xs.append(i * i)
        t += len(xs)
    return t, xs[-1], len(xs)


def changing_types(n):
    xs = []
    for i in range(n):
        if i < n // 3:
            xs.append(i)
        elif i < 2 * n // 3:
            xs.append(i / 4)
        else:
            xs.append(2 ** (60 + i % 10))
    return len(xs), xs[n // 3 - 1], xs[n // 3], xs[-1], sum(xs)


def self_append(n):
    xs = [1, 2, 3]
    count = 0
    for x in xs:
        count += 1
        if len(xs) < n:
            xs.append(x + len(xs))
    return count, xs[-5:]


def bound_method(n):
    out = []
    add = out.append
    for i in range(n):
        add(-i if i % 2 else i)
        if i == n // 2:
            out = []
    return len(out), out[:4]


def subclass(n):
    xs = CountingList()
    t = 0
    for i in range(n):
        xs.append(i)
        t += len(xs)
    return t, xs.calls, xs[-1]


def while_len(n):
    xs = [0]
    while len(xs) < n:
        xs.append(xs[-1] + len(xs) % 7)
    return xs[-3:], len(xs)


print("grow", grow(500))
print("changing_types", changing_types(600))
print("self_append", self_append(400))
print("bound_method", bound_method(500))
print("subclass", subclass(400))
print("while_len", while_len(700))
