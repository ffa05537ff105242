# Hot loops on dicts and sets: counting, lookups, membership.


def histogram(n):
    counts = {}
    for i in range(n):
        key = (i * 7919) % 23
        counts[key] = counts.get(key, 0) + 1
    return sorted(counts.items())


def memo_collatz(n):
    lengths = {1: 1}
    for start in range(2, n):
        x = start
        path = []
        while x not in lengths:
            path.append(x)
            x = x // 2 if x % 2 == 0 else 3 * x + 1
        length = lengths[x]
        for y in reversed(path):
            length += 1
            lengths[y] = length
    best = max(range(1, n), key=lengths.__getitem__)
    return best, lengths[best], len(lengths)


def seen_twice(n):
    seen = set()
    repeats = 0
    x = 1
    for i in range(n):
        x = (x * 48271) % 65521
        if x in seen:
            repeats += 1
        seen.add(x % 4000)
    return repeats, len(seen)


print(histogram(6000))
print(memo_collatz(3000))
print(seen_twice(6000))
