"""Integer loop dominated by // and % (digit sums of every number below N)."""

N = 3_000_000


def run(n=N):
    total = 0
    for i in range(n):
        x = i
        total += x % 10
        x //= 10
        total += x % 10
        x //= 10
        total += x % 10 + x // 10 % 7
    return total
