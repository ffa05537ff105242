"""A float series calling math functions and builtins, with a module-level
constant (globals and builtins are constants of the trace while they stay put)."""

import math

N = 1_500_000
DAMPING = 0.999


def run(n=N):
    acc = 0.0
    peak = 0.0
    for i in range(n):
        x = i * 1e-4
        acc = acc * DAMPING + math.sin(x) * math.sqrt(x + 1.0)
        peak = max(peak, abs(acc))
    return acc, peak
