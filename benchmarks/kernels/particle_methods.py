"""Object-oriented simulation: a list of particles, each moved by a method
that updates its instance and then tests it (bouncing off the box walls)."""

N = 20_000


class Particle:
    def __init__(self, x, y, vx, vy):
        self.x = x
        self.y = y
        self.vx = vx
        self.vy = vy
        self.bounces = 0

    def move(self, dt):
        self.x += self.vx * dt
        self.y += self.vy * dt
        if self.x < 0.0 or self.x > 100.0:
            self.vx = -self.vx
            self.bounces += 1
        if self.y < 0.0 or self.y > 100.0:
            self.vy = -self.vy
            self.bounces += 1


def run(n=N):
    particles = [Particle(i * 0.7 % 100, i * 1.3 % 100, 1.5 - i % 3, 0.5 + i % 2) for i in range(100)]
    for _ in range(n):
        for p in particles:
            p.move(0.1)
    return sum(p.bounces for p in particles), round(sum(p.x + p.y for p in particles), 6)
