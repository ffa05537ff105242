# Reference counts after every kind of loop this JIT compiles: the objects a
# loop iterated, searched, indexed, stored into or kept must have exactly the
# counts CPython leaves (sys.getrefcount sees no extra or missing reference).
import sys

rows = [[float(i), float(i + 1)] for i in range(20)]
words = ["alpha", "béta", "gamma€", "δ"]
table = {"a": 1, "b": 2}
needle_pool = [1, 2, 3, "x", None]
marker = object()
boxes = [marker] * 3


def counts():
    return [sys.getrefcount(o) for o in (rows, rows[0], words, words[1], table, needle_pool, marker, boxes)]


before = counts()


def nested(rows):
    total = 0.0
    for r in rows:
        for x in r:
            total += x
    return total


def chars(words):
    n = 0
    for w in words:
        for c in w:
            n += ord(c) % 3
    return n


def searching(pool):
    hits = 0
    for i in range(200):
        if i % 7 in pool:
            hits += 1
        if marker in boxes:
            hits += 1
    return hits


def updating(table):
    for i in range(300):
        k = "a" if i % 2 else "b"
        table[k] = table.get(k, 0) + 1
    return table["a"]


def keep_rows(rows):
    kept = None
    for i in range(len(rows)):
        row = rows[i]
        row[0] += 1.0
        kept = row
    return kept is rows[-1]


for _ in range(3):
    results = (nested(rows), chars(words), searching(needle_pool), updating(table), keep_rows(rows))
print(results)
print(counts() == before, counts())
