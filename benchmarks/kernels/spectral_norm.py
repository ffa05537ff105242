"""Spectral norm (the Benchmarks Game's): power iteration with the infinite
matrix A[i][j] = 1 / ((i + j) * (i + j + 1) / 2 + i + 1), as the game's Python
programs write it (A times u and A-transpose times u as two functions), with
plain nested loops over lists of floats."""

N = 200
ROUNDS = 10


def eval_a(i, j):
    return 1.0 / ((i + j) * (i + j + 1) // 2 + i + 1)


def a_times_u(u, out, n):
    for i in range(n):
        total = 0.0
        for j in range(n):
            total += eval_a(i, j) * u[j]
        out[i] = total


def at_times_u(u, out, n):
    for i in range(n):
        total = 0.0
        for j in range(n):
            total += eval_a(j, i) * u[j]
        out[i] = total


def ata_times_u(u, out, scratch, n):
    a_times_u(u, scratch, n)
    at_times_u(scratch, out, n)


def run(n=N):
    u = [1.0] * n
    v = [0.0] * n
    scratch = [0.0] * n
    for _ in range(ROUNDS):
        ata_times_u(u, v, scratch, n)
        ata_times_u(v, u, scratch, n)
    vbv = vv = 0.0
    for ui, vi in zip(u, v):
        vbv += ui * vi
        vv += vi * vi
    return round((vbv / vv) ** 0.5, 9)
