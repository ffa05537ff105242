"""A float recurrence in a for-range loop: x stays a float across iterations."""

N = 10_000_000


def run(n=N):
    x = 0.0
    y = 1.0
    for i in range(n):
        x = x * 0.5 + i
        y = y * 0.999 + x * 1e-9
    return x, y
