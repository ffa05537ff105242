# Integer while loops: counting up, counting down, strided, and with two accumulators.


def count_up(n):
    i = 0
    total = 0
    while i < n:
        total += i
        i += 1
    return i, total


def count_down(n):
    i = n
    total = 0
    while i > 0:
        total = total + i * 2
        i = i - 1
    return i, total


def strided(start, stop, step):
    i = start
    weighted = 0
    steps = 0
    while i != stop:
        weighted += i * steps
        steps += 1
        i += step
    return steps, weighted


def two_accumulators(n):
    evens = odds = 0
    i = 0
    while i <= n:
        evens += i
        odds += i + 1
        i += 2
    return evens, odds


for n in (0, 1, 2, 5, 100, 3000, 10007):
    print("count_up", n, count_up(n))
    print("count_down", n, count_down(n))
print("strided", strided(-5000, 5000, 5))
print("strided", strided(7000, -7000, -7))
print("two_accumulators", two_accumulators(9999), two_accumulators(10000))
