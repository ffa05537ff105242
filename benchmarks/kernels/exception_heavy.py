"""Exception-heavy: a called function raises now and then, caught in the loop."""

N = 200_000


def parse(i):
    if i % 50 == 0:
        raise ValueError(i)
    return i * 2


def run(n=N):
    total = 0
    errors = 0
    for i in range(n):
        try:
            total += parse(i)
        except ValueError:
            errors += 1
    return total, errors
