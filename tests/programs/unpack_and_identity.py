# Unpacking tuples and lists inside loops, `is` / `is not` between objects and
# between numbers and None/True/False, and loops that return from inside.


def centroid(points):
    sx = sy = 0.0
    for p in points:
        x, y = p
        sx += x
        sy += y
    return sx / len(points), sy / len(points)


def pairs_from_lists(rows):
    total = 0
    for row in rows:
        a, b, c = row
        total += a * b - c
    return total


def first_index(values, target):
    for i in range(len(values)):
        if values[i] == target:
            return i
    return -1


def identities(n, marker):
    flag = True
    hits = 0
    for i in range(n):
        flag = i % 3 != 0
        hits += (flag is True) + (flag is not False) * 2 + (marker is None) * 4 + (i is None) * 8
    return hits


def wrong_sizes(rows):
    total = 0
    for row in rows:
        a, b = row
        total += a + b
    return total


print(centroid([(i * 0.5, i * 0.25) for i in range(3000)]))
print(pairs_from_lists([[i, i + 1, i % 7] for i in range(3000)]))
print(first_index(list(range(5000)), 4321), first_index(list(range(100)), -5))
print(identities(3000, None), identities(3000, 0))
try:
    print(wrong_sizes([(1, 2)] * 2000 + [(1, 2, 3)]))
except ValueError as error:
    print("ValueError:", error)
