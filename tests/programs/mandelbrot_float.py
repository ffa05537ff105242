# Mandelbrot escape counts: a float inner loop with an early exit, nested in int loops.


def escape(cr, ci, limit):
    zr = zi = 0.0
    n = 0
    while n < limit and zr * zr + zi * zi <= 4.0:
        zr, zi = zr * zr - zi * zi + cr, 2.0 * zr * zi + ci
        n += 1
    return n


def render(width, height, limit):
    rows = []
    checksum = 0
    for y in range(height):
        ci = -1.2 + 2.4 * y / height
        row = ""
        for x in range(width):
            cr = -2.1 + 3.0 * x / width
            n = escape(cr, ci, limit)
            checksum += n * (x + 1)
            row += "#" if n == limit else " .:-=+*%@"[n % 9]
        rows.append(row)
    return checksum, rows


checksum, rows = render(60, 24, 60)
print(checksum)
print("\n".join(rows))
