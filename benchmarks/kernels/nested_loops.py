"""Nested for-range loops summing a polynomial over a float grid."""

N = 2_400


def run(n=N):
    total = 0.0
    h = 1.0 / n
    for i in range(n):
        x = i * h
        row = 0.0
        for j in range(n):
            y = j * h
            row += x * x + y * y * 0.5 - x * y
        total += row * h * h
    return total
