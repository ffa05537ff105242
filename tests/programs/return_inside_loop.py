# Returning from inside hot loops (while and for, nested), with the return value
# computed in the loop.


def find_first(n, target):
    i = 0
    acc = 0
    while i < n:
        acc += i
        if acc >= target:
            return i, acc
        i += 1
    return None


def find_in_nested(n):
    for a in range(n):
        for b in range(n):
            if a * b == 1722:
                return a, b
    return -1, -1


def float_search(x, limit):
    for step in range(100000):
        x = x * 1.01 + 0.5
        if x > limit:
            return step, x
    return -1, x


print([find_first(10000, t) for t in (0, 1, 10, 4999500, 10**9)])
print(find_in_nested(100))
print([float_search(1.0, limit) for limit in (2.0, 1e3, 1e9, 1e300)])
