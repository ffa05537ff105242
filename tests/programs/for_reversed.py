# `for x in reversed(xs)` over lists (and ranges, tuples) in hot loops,
# including lists that change length while iterated.


def backwards_sum(xs):
    total = 0
    weight = 1
    for x in reversed(xs):
        total += x * weight
        weight += 1
    return total


print(backwards_sum(list(range(1000))))
print(backwards_sum([]))
print(backwards_sum([1.5, 2.5] * 300))


def shrinking(n):
    xs = list(range(n))
    seen = []
    for x in reversed(xs):
        seen.append(x)
        if x % 10 == 0 and xs:
            del xs[-5:]
    return seen[-5:], len(seen)


print(shrinking(300))


def growing(n):
    xs = list(range(n))
    count = 0
    for x in reversed(xs):
        count += 1
        if count < 50:
            xs.append(x)
    return count, len(xs)


print(growing(200))


def other_reversibles(n):
    total = 0
    for i in reversed(range(n)):
        total += i
    for v in reversed(tuple(range(n))):
        total -= v
    for c in reversed("abc" * n):
        total += ord(c)
    return total


print(other_reversibles(300))


def mixed_types(xs):
    out = []
    for x in reversed(xs):
        out.append(x * 2)
    return out[:3], out[-3:]


print(mixed_types([1, 2.5, "ab", 3, True, 7] * 60))


def iterator_kept(n):
    it = reversed(list(range(n)))
    first = []
    for x in it:
        first.append(x)
        if x == n // 2:
            break
    rest = list(it)
    return first[-2:], rest[:2], len(rest)


print(iterator_kept(400))


def raises_midway(n):
    xs = list(range(n)) + [None] + list(range(n))
    total = 0
    try:
        for x in reversed(xs):
            total += x * 2
    except TypeError as e:
        return total, str(e)


print(raises_midway(200))
