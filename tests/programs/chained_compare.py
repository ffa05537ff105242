# Chained comparisons short-circuit and evaluate the middle operand once.


def in_band(n, lo, hi):
    inside = 0
    edges = 0
    for i in range(n):
        x = i - n // 2
        if lo < x < hi:
            inside += 1
        if lo <= x <= hi != x:
            edges += 1
    return inside, edges


def mixed_chain(n):
    count = 0
    y = 0.5
    for i in range(n):
        if -1 < y < i <= 2000.0 < i * 2 > y:
            count += 1
        y += 0.25
    return count


def monotone(n):
    runs = 0
    a = b = c = 0
    for i in range(n):
        a, b, c = b, c, (c * 7 + 3) % 101
        if a < b < c:
            runs += 1
        if a == b == c:
            runs += 1000
        if a > b >= c:
            runs -= 1
    return runs


print(in_band(6000, -100, 250), in_band(3000, 5, 5), in_band(3000, 100, -100))
print(mixed_chain(5000))
print(monotone(5000))
