"""Mandelbrot escape counts: a float inner loop with an early exit, nested in two
`for` loops (the inner loop's exit is bridged through the middle loop's body)."""

N = 400
LIMIT = 50


def run(n=N):
    total = 0
    for y in range(n):
        ci = 2.0 * y / n - 1.0
        for x in range(n):
            cr = 2.5 * x / n - 2.0
            zr = 0.0
            zi = 0.0
            i = 0
            while i < LIMIT and zr * zr + zi * zi <= 4.0:
                zr, zi = zr * zr - zi * zi + cr, 2.0 * zr * zi + ci
                i += 1
            total += i
    return total
