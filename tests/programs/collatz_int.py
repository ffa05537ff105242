# Collatz sequence lengths: an integer loop with data-dependent branches.


def collatz_length(x):
    steps = 0
    while x != 1:
        if x % 2 == 0:
            x = x // 2
        else:
            x = 3 * x + 1
        steps += 1
    return steps


def longest(limit):
    best = 0
    best_start = 1
    start = 1
    while start < limit:
        length = collatz_length(start)
        if length > best:
            best = length
            best_start = start
        start += 1
    return best_start, best


print(longest(3000))
print([collatz_length(x) for x in (1, 2, 3, 27, 97, 871, 2**62 + 1, 2**100 - 1)])
