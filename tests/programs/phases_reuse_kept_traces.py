# A loop whose values change type from call to call: its trace for each type
# is kept while the other runs, and put back when the type comes back, unless
# something it relied on changed meanwhile (a global it read, a function it
# inlined), or the types it checks on entry fit but the items it reads do not.

SCALE = 3


def helper(v):
    return v + 1


def total(xs):
    acc = 0
    for x in xs:
        acc += helper(x) * SCALE
    return acc


def by_index(xs, n):
    acc = 0
    for i in range(n):
        acc += xs[i % len(xs)] * SCALE
    return acc


ints = list(range(25_000))
floats = [x * 0.5 for x in range(25_000)]
for phase in range(3):
    print(phase, total(ints), total(floats))
    print(phase, by_index(ints, 25_000), by_index(floats, 25_000))

SCALE = 5  # both kept traces read the old SCALE
print(total(ints), total(floats), by_index(ints, 25_000), by_index(floats, 25_000))


def helper(v):  # noqa: F811 - the inlined function changes
    return v - 1


print(total(floats), total(ints), total(floats))
mixed = [1, 2.5] * 12_500
print(total(mixed), total(ints), by_index(mixed, 25_000), by_index(ints, 25_000))
