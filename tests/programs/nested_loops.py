# Nested loops: the inner loop becomes hot first, then the outer one.


def grid_sum(rows, cols):
    total = 0
    for r in range(rows):
        for c in range(cols):
            total += r * c - (r ^ c)
    return total


def triangle(n):
    count = 0
    i = 0
    while i < n:
        j = 0
        while j < i:
            count += j % 3
            j += 1
        i += 1
    return count


def float_matrix_trace(n):
    acc = 0.0
    for i in range(n):
        row = 0.0
        for j in range(n):
            row += (i + 1) / (j + 1)
        acc += row * 0.001
    return acc


def triple(n):
    hits = 0
    for a in range(1, n):
        for b in range(a, n):
            for c in range(b, n):
                if a * a + b * b == c * c:
                    hits += 1
    return hits


print(grid_sum(60, 70), grid_sum(1, 5000), grid_sum(5000, 1))
print(triangle(120))
print(repr(float_matrix_trace(70)))
print(triple(40))
