# Nested for loops whose inner loops are short, so the compiled inner loop's
# bridges run from its end round the outer body and into the next inner loop:
# over ranges (with steps, empty, a zero step that raises), lists, tuples,
# strs and dicts; inner sequences freed when their loop ends (their elements'
# __del__ runs at once), kept iterators, break and continue, an inner list
# changed while iterated, three levels, and the outer iterable changing type.


def pairs(n):
    total = 0
    for i in range(n):
        for j in range(i + 1, n):
            total += i * j
    return total


print(pairs(60), pairs(1), pairs(0))


def steps(n):
    out = []
    for i in range(n):
        for j in range(i, -1, -3):
            out.append(j)
    return len(out), out[-5:]


print(steps(50))


def rows_sum(rows):
    t = 0
    for r in rows:
        for x in r:
            t += x
    return t


print(rows_sum([[1, 2, 3], (4, 5), [], [6]] * 300))
print(rows_sum([[1.5, 2], [3]] * 100 + [[10**30]] + [[1]] * 50))


def words(text_lines):
    counts = {}
    for line in text_lines:
        for c in line:
            counts[c] = counts.get(c, 0) + 1
    return sorted(counts.items())[:6]


print(words(["ab c", "é€x", "", "zz y"] * 200))


def keys_of(dicts):
    seen = 0
    for d in dicts:
        for k in d:
            seen += len(k)
    return seen


print(keys_of([{"a": 1, "bb": 2}, {}, {"ccc": 3}] * 150))


class Tracked:
    log = []

    def __init__(self, v):
        self.v = v

    def __del__(self):
        Tracked.log.append(self.v)


def fresh_inner(n):
    total = 0
    for i in range(n):
        for t in [Tracked(i), Tracked(-i)]:
            total += t.v
        Tracked.log.append("end %d" % i)
    return total


print(fresh_inner(40), Tracked.log[:9], len(Tracked.log))


def breaks(rows):
    found = []
    for r in rows:
        for x in r:
            if x < 0:
                break
            if x == 0:
                continue
            found.append(x)
    return len(found), found[-4:]


print(breaks([[1, 2, -1, 5], [0, 3], [4]] * 100))


def three_levels(n):
    t = 0
    for a in range(n):
        for b in range(3):
            for c in (1, 2):
                t += a * b + c
    return t


print(three_levels(100))


def zero_step(n):
    t = 0
    try:
        for i in range(n):
            for j in range(0, 4, 1 if i < n - 1 else 0):
                t += j
    except ValueError as e:
        return t, str(e)
    return t


print(zero_step(50))


def kept_iterators(n):
    its = []
    for i in range(n):
        it = iter([i, i + 1, i + 2])
        for x in it:
            if x == i + 1:
                break
        its.append(it)
    return [list(it) for it in its[-3:]]


print(kept_iterators(60))


def grows_inside(n):
    out = 0
    for i in range(n):
        row = [1, 2]
        for x in row:
            if len(row) < 5:
                row.append(x + 10)
            out += x
    return out


print(grows_inside(80))


def outer_changes_type(items):
    t = 0
    for item in items:
        for x in item:
            t += 1 if isinstance(x, str) else x
    return t


print(outer_changes_type([[1, 2], "ab", (3,), {"k": 1}, range(3)] * 80))


def big_bounds(n):
    t = 0
    for i in range(n):
        for j in range(2**62, 2**62 + 2):
            t += j - 2**62
    for i in range(3):
        for j in range(2**64, 2**64 + 2):
            t += 1
    return t


print(big_bounds(50))


def generic_in_outer_body(rows):
    # A format spec is a generic instruction: Python code may run there, and
    # the frame is written; the next inner loop starts after it.
    out = 0
    labels = []
    for k, r in enumerate(rows):
        labels.append(f"{out:>6}|{k % 3}")
        for t in [Tracked(x) for x in r] if k % 4 == 0 else r:
            out += t.v if isinstance(t, Tracked) else t
    return out, labels[-2:]


Tracked.log.clear()
print(generic_in_outer_body([[1, 2], [3], [], [4, 5, 6]] * 40), len(Tracked.log), Tracked.log[:5])
