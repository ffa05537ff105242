# List displays of four or more constants (`BUILD_LIST 0` then `LIST_EXTEND`
# of a constant tuple) and starred displays in hot loops: same lists, same
# sizes (`sys.getsizeof` sees the over-allocation `list.extend` chose), and
# displays the trace must leave to the interpreter.
import sys


def constant_rows(n):
    total = 0
    sizes = set()
    for i in range(n):
        consts = [0.5, "a", (1, 2), None, -3]
        nested = [[1, 2, 3, 4], (5, 6, 7, 8)]
        total += len(consts) + consts[4] + len(nested[0])
        sizes.add(sys.getsizeof(consts))
        if i == n - 1:
            consts.append(i)
    return total, consts, nested, sorted(sizes)


print(constant_rows(500))


def starred(n):
    out = []
    base = [1, 2]
    pair = (3, 4)
    for i in range(n):
        merged = [*base, *pair]
        out.append(sum(merged) + i)
        if i % 100 == 99:
            base = base + [i]
    return out[-3:], merged, sys.getsizeof(merged)


print(starred(400))


class Loud:
    deleted = []

    def __init__(self, k):
        self.k = k

    def __del__(self):
        Loud.deleted.append(self.k)


def starred_objects(n):
    kept = []
    for i in range(n):
        items = [Loud(i)]
        merged = [*items, *("x", "y", "z", "w")]
        if i % 50 == 0:
            kept.append(merged)
    return len(kept), Loud.deleted[-3:], len(Loud.deleted)


print(starred_objects(300))


def membership(n):
    hits = 0
    for i in range(n):
        if i % 13 in [1, 4, 6, 9, 11]:
            hits += 1
    return hits


print(membership(1000))
