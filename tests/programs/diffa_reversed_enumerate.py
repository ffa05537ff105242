# reversed() and enumerate(start=...) in hot loops: reversed lists, tuples,
# ranges and strs, a list that grows or shrinks while reversed() walks it,
# enumerate with negative, big-int and bool starts, enumerate over reversed,
# and objects with __reversed__ / __len__+__getitem__ raising midway.
import traceback


class Seq:
    def __init__(self, n, bad):
        self.n = n
        self.bad = bad

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        if i == self.bad:
            raise LookupError("bad item %d" % i)
        if i >= self.n:
            raise IndexError(i)
        return i * 3


def reversed_kinds(n):
    xs = list(range(n))
    t = 0
    for x in reversed(xs):
        t = t * 3 % 1000003 + x
    for x in reversed(tuple(xs)):
        t = t * 5 % 1000003 + x
    for x in reversed(range(0, n, 3)):
        t -= x
    for ch in reversed("abcdef" * (n // 6)):
        t += ord(ch)
    return t


def reversed_mutation(n):
    xs = list(range(n))
    seen = 0
    cnt = 0
    for x in reversed(xs):
        cnt += 1
        seen += x
        if cnt % 3 == 0 and xs:
            xs.pop()
        if cnt == 5:
            xs.append(10 ** 6)
    return cnt, seen, len(xs)


def enumerate_starts(n):
    xs = [i * 0.5 for i in range(n)]
    out = []
    for start in (-100, 0, 7, 2 ** 64, True):
        t = 0
        for i, x in enumerate(xs, start=start):
            t += i * x
        out.append(t)
    return out


def enumerate_reversed(n):
    t = 0
    for i, x in enumerate(reversed(range(n)), 1):
        t += i * x
    return t


def enumerate_crossing_bigint(n):
    t = 0
    last = None
    for i, x in enumerate(range(n), 2 ** 63 - n // 2):
        t ^= i
        last = (i, x)
    return t, last


def custom_seq(n):
    s = Seq(n, n - 7)
    t = 0
    for x in reversed(s):
        t += x
    return t


def custom_seq_forward(n):
    t = 0
    for i, x in enumerate(Seq(n, n // 2), -5):
        t += i + x
    return t


print("reversed_kinds", reversed_kinds(600))
print("reversed_mutation", reversed_mutation(300))
print("enumerate_starts", enumerate_starts(300))
print("enumerate_reversed", enumerate_reversed(500))
print("enumerate_crossing_bigint", enumerate_crossing_bigint(400))
try:
    print(custom_seq(300))
except LookupError:
    traceback.print_exc()
try:
    print(custom_seq_forward(300))
except LookupError as e:
    print("LookupError:", e)
