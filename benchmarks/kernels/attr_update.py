"""Object-heavy: attribute loads and stores on instances of a Python class."""

N = 300_000


class Particle:
    def __init__(self):
        self.x = 0.0
        self.v = 1.0
        self.hits = 0


def run(n=N):
    p = Particle()
    for i in range(n):
        p.x = p.x + p.v * 0.01
        if p.x > 1.0:
            p.x = p.x - 1.0
            p.hits = p.hits + 1
    return round(p.x, 9), p.hits
