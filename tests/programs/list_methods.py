# list.pop, extend, reverse and copy, and the truth of containers, in compiled loops.
def drain(stack):
    n = 0
    while stack:
        n += stack.pop()
    return n


print(drain(list(range(1000))))


def words(stack):
    out = []
    while stack:
        w = stack.pop()
        if w.startswith("a"):
            out.append(w.upper())
    return out[-3:], len(out)


print(words([f"{c}{i}" for i in range(300) for c in "ab"]))


class Noisy:
    def __init__(self, v):
        self.v = v

    def __del__(self):
        print("del", self.v)


def mixed(stack):
    n = 0
    while stack:
        x = stack.pop()
        n += 1
    return n


print(mixed([Noisy(1), Noisy(2)] + list(range(200)) + ["s"] * 5 + [None, 1.5]))


def pops_at(xs):
    out = []
    for i in range(len(xs) // 2):
        out.append(xs.pop(0) + xs.pop(-1))
    try:
        while True:
            xs.pop(5)
    except IndexError as e:
        out.append(str(e))
    return out[-4:], xs


print(pops_at(list(range(400))))


def grow(n):
    acc = []
    for i in range(n):
        acc.extend([i, i + 1])
        if i % 100 == 0:
            acc.reverse()
            snapshot = acc.copy()
    return len(acc), acc[:5], snapshot[:3]


print(grow(500))


def truths(items):
    n = 0
    for x in items:
        if x:
            n += 1
        if not x:
            n -= 10
    return n


print(truths([[], [1], (), (2,), {}, {1: 2}, set(), {3}, "", "a"] * 40))
