"""Generator-heavy: a loop over a generator and over dict views."""

N = 300_000


def evens(n):
    for i in range(n):
        if i % 2 == 0:
            yield i


def run(n=N):
    total = 0
    for v in evens(n):
        total += v
    d = {i: i * 2 for i in range(1000)}
    for _ in range(n // 1000):
        for k, v in d.items():
            total += v - k
    return total
