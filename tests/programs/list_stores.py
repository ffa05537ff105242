# Stores into lists inside hot loops: numbers boxed into the list, objects
# referenced, negative indices, IndexError from inside the loop, elements of other
# types (not compiled), elements read and kept while the list changes, aliases.


class Noisy:
    def __init__(self, tag):
        self.tag = tag

    def __del__(self):
        print("del", self.tag)


def scale(xs, factor):
    for i in range(len(xs)):
        xs[i] = xs[i] * factor
    return xs[:3], xs[-1]


def increment(counts, keys):
    for k in keys:
        counts[k % len(counts)] += 1
    return counts


def from_the_end(xs):
    for i in range(1, len(xs) + 1):
        xs[-i] = i
    return xs[:4], xs[-4:]


def past_the_end(xs):
    i = 0
    while True:
        xs[i] = i * 2
        i += 1


def replace_objects(xs):
    for i in range(len(xs)):
        xs[i] = Noisy(i) if i % 500 == 0 else i
    return len(xs)


def keep_old(xs):
    total = 0
    for i in range(len(xs)):
        old = xs[i]
        xs[i] = old + 1.5
        total += old
    return total, xs[:2]


def copy_within(xs):
    for i in range(1, len(xs)):
        xs[i] = xs[i - 1]
    return xs[-3:], xs[0] is xs[-1]


def aliases(xs):
    ys = xs
    for i in range(len(xs)):
        ys[i] = xs[i] + 1
    return xs[:3]


print(scale([float(k) for k in range(3000)], 0.5))
print(scale(list(range(3000)), 3))
print(increment([0] * 7, list(range(5000))))
print(from_the_end(list(range(2000))))
try:
    past_the_end([0] * 3000)
except IndexError as error:
    print("IndexError:", error)
print(replace_objects([Noisy("a"), Noisy("b")] + list(range(1600))))
print(keep_old([k * 0.25 for k in range(3000)]))
print(copy_within([k * 1.5 for k in range(3000)]))
print(aliases(list(range(3000))))
mixed = [1, 2.5, "s", None, True] * 600
try:
    scale(mixed, 2)
except TypeError as error:
    print("TypeError:", error)
print(mixed[:6])
