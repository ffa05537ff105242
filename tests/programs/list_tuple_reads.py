# Reading lists and tuples in hot loops: indexing (also from the end), len(),
# iteration, elements of changing types, and an IndexError raised from inside.


def dot(xs, ys):
    total = 0.0
    for i in range(len(xs)):
        total += xs[i] * ys[i]
    return total


def sum_iter(items):
    total = 0
    for x in items:
        total += x
    return total


def from_the_end(xs, n):
    acc = 0
    for i in range(1, n + 1):
        acc += xs[-i] - xs[i - 1]
    return acc


def mixed(items):
    ints = floats = 0
    total = 0.0
    for x in items:
        if isinstance(x, int):
            ints += 1
        else:
            floats += 1
        total += x
    return ints, floats, total


def walk_past_the_end(xs):
    total = 0
    i = 0
    while True:
        total += xs[i]
        i += 1


def identity_of_elements(xs):
    last = None
    for x in xs:
        last = x
    return last is xs[-1]


floats = [i * 0.5 for i in range(3000)]
print(dot(floats, floats), dot(tuple(floats), floats))
ints = list(range(-1500, 1500))
print(sum_iter(ints), sum_iter(tuple(ints)), sum_iter([True, False] * 1000))
print(from_the_end(ints, 1000))
print(mixed([1, 2.5, 3, 4.25] * 800))
print(mixed([1.5] * 1000 + [2] * 1000))
try:
    walk_past_the_end(list(range(5000)))
except IndexError as error:
    print("IndexError:", error)
print(identity_of_elements([10**20 + i for i in range(3000)]))
print(sum_iter([1, 2, 3] * 500 + [10**30]))
