"""Call-heavy: a Python function, a method and C builtins called every iteration."""

N = 300_000


def clamp(v, lo, hi):
    return lo if v < lo else hi if v > hi else v


class Acc:
    def __init__(self):
        self.total = 0

    def add(self, v):
        self.total += v


def run(n=N):
    acc = Acc()
    t = 0
    for i in range(n):
        t += clamp(i % 100, 10, 90)
        acc.add(abs(i - 5))
        t += divmod(i, 7)[1]
    return t, acc.total
