# Nested lists as matrices in hot loops: matrix multiply (ints and floats),
# transpose by item stores, row aliasing ([[0]*n]*n), jagged rows with
# IndexError caught, rows replaced by a different type midway, and a
# determinant by elimination with float values.


def matmul(a, b):
    n, m, p = len(a), len(b), len(b[0])
    c = [[0] * p for _ in range(n)]
    for i in range(n):
        for j in range(p):
            s = 0
            for k in range(m):
                s += a[i][k] * b[k][j]
            c[i][j] = s
    return c


def transpose_in_place(m):
    n = len(m)
    for i in range(n):
        for j in range(i + 1, n):
            m[i][j], m[j][i] = m[j][i], m[i][j]
    return m


def aliased_rows(n):
    grid = [[0] * n] * n
    for i in range(n):
        for j in range(n):
            grid[i][j] += i + j
    return grid[0][:5], grid[-1] is grid[0]


def jagged(rows):
    t = 0
    misses = 0
    for r in range(len(rows)):
        for c in range(8):
            try:
                t += rows[r][c]
            except IndexError:
                misses += 1
    return t, misses


def row_type_change(n):
    grid = [[i * j for j in range(10)] for i in range(n)]
    grid[n // 2] = tuple(range(10))
    grid[n // 2 + 1] = "0123456789"
    t = 0
    for i in range(n):
        try:
            for j in range(10):
                t += grid[i][j]
        except TypeError as e:
            t += 1000000
            print("row", i, "TypeError:", e)
    return t


def determinant(m):
    m = [row[:] for row in m]
    n = len(m)
    det = 1.0
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(m[r][col]))
        if m[pivot][col] == 0:
            return 0.0
        if pivot != col:
            m[pivot], m[col] = m[col], m[pivot]
            det = -det
        det *= m[col][col]
        for r in range(col + 1, n):
            f = m[r][col] / m[col][col]
            for c in range(col, n):
                m[r][c] -= f * m[col][c]
    return det


a = [[(i * 7 + j * 3) % 11 - 5 for j in range(12)] for i in range(12)]
b = [[(i + j) % 5 for j in range(12)] for i in range(12)]
c = matmul(a, b)
print("matmul", c[0], c[-1][-3:])
fa = [[x * 0.5 for x in row] for row in a]
fc = matmul(fa, b)
print("matmul float", fc[3][:4])
big = [[10 ** 18 + i for i in range(6)] for _ in range(6)]
print("matmul big", matmul(big, big)[0][:2])
t = transpose_in_place([[i * 20 + j for j in range(20)] for i in range(20)])
print("transpose", t[0][:5], t[19][:5])
print("aliased_rows", aliased_rows(20))
print("jagged", jagged([list(range(k % 11)) for k in range(60)]))
print("row_type_change", row_type_change(40))
print("determinant", round(determinant([[float((i * j + i + 1) % 7) + (i == j) * 3 for j in range(10)] for i in range(10)]), 6))
