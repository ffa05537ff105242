# `in` / `not in` on lists and tuples in hot loops, searched in compiled code:
# int and str needles against items of every kind the search compares without
# Python code (ints, big ints, floats, bools, strs, None, tuples, lists), and
# items it cannot compare (an __eq__ that counts, raises or mutates the list),
# which the interpreter must then compare exactly as CPython does.


class Loud:
    log = []

    def __init__(self, v):
        self.v = v

    def __eq__(self, other):
        Loud.log.append((self.v, other))
        return self.v == other

    __hash__ = None


class Shrinking:
    def __init__(self, target):
        self.target = target

    def __eq__(self, other):
        self.target.clear()
        return False

    __hash__ = None


def count_in(needles, haystack):
    found = 0
    missing = 0
    for n in needles:
        if n in haystack:
            found += 1
        if n not in haystack:
            missing += 1
    return found, missing


ints = list(range(0, 40, 3))
print(count_in(range(50), ints))
print(count_in(range(50), tuple(ints)))
print(count_in(range(-5, 5), []))
print(count_in(range(-5, 5), ()))
mixed = [None, (1, 2), [3], "7", 2.0, True, 10**30, -4]
print(count_in(range(-6, 12), mixed))
print(count_in([10**30, 2**70, -(2**63)], [2**70, -(2**63), None]))
words = ["apple", "pear", "fig", "", "é", "😀"]
print(count_in(["fig", "figs", "", "é", "😀", "x", "apple" * 1], words))
print(count_in(["a", "b", "c"] * 10, ("b", 1, None, 2.5, ["a"])))
# Equal strs that are distinct objects (built at run time), of every kind and
# of lengths around the 16 bytes compared inline; and near misses.
stems = ["k", "ké", "k€", "k😀", "sixteen_bytes_16", "seventeen_bytes17", "€" * 8, "€" * 9, "😀" * 4, "😀" * 5]
built = ["".join(list(s)) for s in stems]
print(count_in(built + [s[:-1] + "?" for s in stems] + [s + s for s in stems], stems))
print(count_in(range(12), [1.0, 2.5, float("nan"), 4, True, False]))

# Items the search cannot compare: the interpreter calls __eq__ in order.
Loud.log.clear()
print(count_in(range(8), [1, 3, Loud(5), 6]))
print(Loud.log)
Loud.log.clear()
print(count_in(["x", "y", "z"] * 3, ("y", Loud("z"), "w")))
print(Loud.log)

# An __eq__ that empties the list it is searched in.
victims = []
for i in range(20):
    lst = [i, i + 1, None]
    lst.insert(1, Shrinking(lst))
    victims.append((i + 1 in lst, i + 2 in lst, len(lst)))
print(victims[:3], victims[-1])

# The list changes while a compiled loop searches it.
seen = []
pool = [0]
for i in range(60):
    if i % 7 == 0:
        pool.append(i)
    if i % 11 == 0 and len(pool) > 2:
        pool.pop(0)
    seen.append(i in pool)
print(seen.count(True), pool)

# The needle's type changes midway.
hits = 0
hay = [1, 2, "3", 4.0, None]
for v in [1, 2, 3, 4, "3", "4", 4.0, None, 1.5, True, 2**64] * 4:
    if v in hay:
        hits += 1
print(hits)

# A needle whose __eq__ raises, found in a compiled loop's list.
class Bad:
    def __eq__(self, other):
        raise ValueError(f"cannot compare with {other!r}")

    __hash__ = None


total = 0
try:
    for i, h in enumerate([[1, 2], [3, 4], [5, 6], [Bad(), 5]] * 10):
        total += 5 in h
except ValueError as e:
    print("raised", e, i, total)
print(total)
