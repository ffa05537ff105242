# sum(xs), min(xs) and max(xs) of lists in hot loops: CPython's own builtins,
# called directly when every item is an int or a float; any other item (a
# bool, a str, an object whose __add__ or __lt__ prints) leaves first. Empty
# lists (max raises), huge sums, nan.


class Loud:
    def __init__(self, v):
        self.v = v

    def __add__(self, other):
        print("add", self.v)
        return self.v + other

    def __radd__(self, other):
        print("radd", self.v)
        return other + self.v

    def __lt__(self, other):
        print("lt", self.v)
        return self.v < getattr(other, "v", other)

    def __gt__(self, other):
        print("gt", self.v)
        return self.v > getattr(other, "v", other)


def spread(rows):
    t = 0
    for row in rows:
        t += sum(row) + max(row) - min(row)
    return t


def sums(rows):
    t = 0
    for row in rows:
        t += sum(row)
    return t


def first_empty(rows):
    n = 0
    try:
        for row in rows:
            n += max(row)
    except ValueError as e:
        return n, str(e)
    return n, None


ints = [[i, i + 1, i * 3 % 7] for i in range(300)]
print(spread(ints))
print(spread([[i * 0.5, -i, 2.25] for i in range(300)]))
print(sums(ints + [[2**62, 2**62, 2**62]] + ints[:5]))
print(sums(ints + [[True, 2], [Loud(3), 4]] + ints[:5]))
print(spread(ints + [[float("nan"), 1.0]]))
print(first_empty(ints + [[Loud(5), Loud(1), Loud(3)]] + ints))
print(first_empty(ints + [[]] + ints))
print(spread(ints[:50] + [[1, 2.5]]))
try:
    spread(ints + [["x", "y"]])
except TypeError as e:
    print("TypeError", e)
