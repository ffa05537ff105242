# Tuple and list displays built in hot loops: pairs appended to lists, small
# lists of numbers and strings, what they hold, identity, refcounts, and items
# whose release would run Python code.
import sys


def pairs(n):
    out = []
    for i in range(n):
        out.append((i, i * 0.5))
    return out[:3], out[-1], len(out)


print(pairs(1000))


def triples_of_mixed(words):
    out = []
    for k, w in enumerate(words):
        out.append((w, k % 3 == 0, None))
    return out[-4:]


print(triples_of_mixed(["ab", "cd", "ef", "gh"] * 100))


def lists_built(n):
    rows = []
    for i in range(n):
        row = [i, -i]
        row.append(i * i)
        rows.append(row)
    return rows[-2:], sum(r[2] for r in rows)


print(lists_built(500))


def empty_lists(n):
    total = 0
    for i in range(n):
        acc = []
        acc.append(i)
        total += len(acc) + acc[0]
    return total


print(empty_lists(700))


def indexed_and_unpacked(n):
    total = 0
    for i in range(n):
        t = (i, i + 1, i + 2)
        a, b, c = t
        total += t[0] * a + t[-1] * c - b
    return total


print(indexed_and_unpacked(800))


def strings_made_in_the_loop(n):
    out = []
    for i in range(n):
        s = str(i)
        out.append((s, s + "!"))
    return out[-2:], out[10][0] is out[10][1]


print(strings_made_in_the_loop(600))


def big_ints(n):
    out = []
    x = 2**62
    for i in range(n):
        x = x + i
        out.append((x, i))
    return out[-1]


print(big_ints(300))


class Noisy:
    def __init__(self, k):
        self.k = k

    def __del__(self):
        print("del", self.k)


def objects_in_tuples(n):
    kept = []
    for i in range(n):
        t = (Noisy(i) if i % 50 == 0 else i, i)
        if i % 100 == 0:
            kept.append(t)
    return len(kept)


print(objects_in_tuples(300))


def refcounts(n):
    s = "shared-" + str(n)
    counts = []
    for i in range(n):
        t = (s, i)
        if i == n - 1:
            counts.append(sys.getrefcount(s))
    return counts


print(refcounts(400))


def list_rebound_with_objects(n):
    marker = Noisy("m")
    out = []
    for i in range(n):
        row = [i]
        if i == n - 3:
            row.append(marker)
        out.append(len(row))
    del marker
    return sum(out)


print(list_rebound_with_objects(300))


def lists_as_stacks(n):
    result = 0
    for i in range(n):
        stack = [i, i + 1]
        while stack:
            result += stack.pop()
    return result


print(lists_as_stacks(400))


def tuple_keys(n):
    d = {}
    for i in range(n):
        key = (i % 7, i % 3)
        d[key] = d.get(key, 0) + 1
    return sorted(d.items())[:4]


print(tuple_keys(900))
