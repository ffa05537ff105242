"""The simplest integer loop: a counter and an accumulator in a while loop."""

N = 15_000_000


def run(n=N):
    i = 0
    total = 0
    while i < n:
        total += i
        i += 1
    return total
