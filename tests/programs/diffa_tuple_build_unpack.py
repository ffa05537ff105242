# Building and unpacking tuples in hot loops: pairs built and taken apart at
# once, tuples kept in a list, unpacking the wrong number of items (ValueError
# caught and uncaught), unpacking a list or a str instead of a tuple midway,
# nested unpacking, and tuple indexing with negative and out-of-range indices.
import traceback


def pairs(n):
    t = 0
    for i in range(n):
        p = (i, i * 2, -i)
        a, b, c = p
        t += a * b + c
    return t


def kept(n):
    out = []
    for i in range(n):
        out.append((i % 7, i * 0.5))
    return out[-3:], sum(p[1] for p in out)


def wrong_count(n):
    rows = [(i, i + 1) if i % 50 else (i, i + 1, i + 2) for i in range(n)]
    t = 0
    errs = []
    for row in rows:
        try:
            a, b = row
            t += a - b
        except ValueError as e:
            errs.append(str(e))
    return t, len(errs), errs[0]


def other_sequences(n):
    t = 0
    for i in range(n):
        if i < n // 3:
            src = (i, i + 1)
        elif i < 2 * n // 3:
            src = [i, i + 2]
        else:
            src = "%d%d" % (i % 10, (i + 3) % 10)
        a, b = src
        t += int(a) * 10 + int(b)
    return t


def nested(n):
    t = 0
    for i in range(n):
        (a, (b, c)), d = (i, (i + 1, i + 2)), i * 3
        t += a + b * c - d
    return t


def indexing(n):
    tup = tuple(range(10, 30))
    t = 0
    misses = 0
    for i in range(-n, n):
        try:
            t += tup[i % 45 - 22]
        except IndexError:
            misses += 1
    return t, misses


def too_many(n):
    for i in range(n):
        a, b = (i,) * (2 if i < n - 1 else 3)


print("pairs", pairs(500))
print("kept", kept(500))
print("wrong_count", wrong_count(400))
print("other_sequences", other_sequences(600))
print("nested", nested(500))
print("indexing", indexing(300))
try:
    too_many(300)
except ValueError:
    traceback.print_exc()
