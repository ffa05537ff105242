"""Slices with a step (`BUILD_SLICE`) and slice assignment (`STORE_SLICE`) in
hot loops: fannkuch's flips, strides, lists that grow and shrink, a custom
container that sees the slice objects, elements freed by the assignment
(`__del__` order), and the errors CPython raises for bad ones."""


def flips(perm):
    perm = perm[:]
    count = 0
    k = perm[0]
    while k:
        perm[:k + 1] = perm[k::-1]
        count += 1
        k = perm[0]
    return count, perm


best = 0
for n in range(400):
    p = [(n * 7 + i * 3) % 9 for i in range(9)]
    p = list(dict.fromkeys(p + list(range(9))))
    best = max(best, flips(p)[0])
print("flips", best, flips([3, 1, 4, 0, 2, 5]))


def strides(xs):
    total = 0
    for i in range(1, 300):
        step = i % 4 + 1
        part = xs[i % 7::step]
        back = xs[-1:i % 11:-step]
        total += len(part) + sum(back) + sum(xs[None:5:None])
    return total


print("strides", strides(list(range(40))))


def grow_and_shrink(n):
    xs = [0, 1, 2]
    for i in range(n):
        if i % 3:
            xs[1:2] = [i, i + 1]
        else:
            xs[: len(xs) // 2] = []
        xs[::2] = [-v for v in xs[::2]]
    return xs


print("grow", grow_and_shrink(500))


class Seen:
    def __init__(self):
        self.log = []

    def __getitem__(self, key):
        self.log.append(("get", key.start, key.stop, key.step))
        return key.stop

    def __setitem__(self, key, value):
        self.log.append(("set", key.start, key.stop, key.step, value))


def through_seen(n):
    seen = Seen()
    acc = 0
    for i in range(n):
        acc += seen[i:i + 2:3]
        seen[i::-1] = i
    return acc, len(seen.log), seen.log[-3:]


print("seen", through_seen(200))


class Noisy:
    def __init__(self, tag):
        self.tag = tag

    def __del__(self):
        print("del", self.tag)


def replace_tail(n):
    xs = [Noisy(-1)]
    for i in range(n):
        xs[0:1] = [Noisy(i) if i >= n - 3 else i]
        xs[1:] = []
    return xs[0].tag


print("tail", replace_tail(300))


def bad(n):
    xs = list(range(10))
    for i in range(n):
        try:
            if i == n - 2:
                xs[::2] = [1, 2]
            elif i == n - 1:
                xs[1:3] = 5
            else:
                xs[::3] = xs[::3]
        except (ValueError, TypeError) as e:
            print(type(e).__name__, e)
    return xs


print(bad(300))
def shuffle_bytes(n):
    ba = bytearray(b"abcdefgh")
    for i in range(n):
        ba[i % 4:i % 4 + 2] = ba[i % 3:i % 3 + 2][::-1]
    return ba


print(shuffle_bytes(300))
