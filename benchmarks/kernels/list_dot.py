"""Dot products and a running maximum over lists and tuples of floats: indexing,
len() and iteration of containers the loop only reads."""

N = 300
REPEAT = 2000


def run(n=N, repeat=REPEAT):
    xs = [((i * 37) % 101) * 0.25 for i in range(n * 10)]
    ys = tuple(((i * 53) % 97) * 0.5 for i in range(n * 10))
    total = 0.0
    peak = 0.0
    for _ in range(repeat):
        for i in range(len(xs)):
            total += xs[i] * ys[i]
        for x in xs:
            if x > peak:
                peak = x
    return total, peak
