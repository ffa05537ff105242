"""A float loop with data-dependent branches (a bouncing, damped oscillator)."""

N = 5_000_000


def run(n=N):
    position = 0.0
    velocity = 1.0
    bounces = 0
    dt = 0.001
    for i in range(n):
        velocity -= 9.81 * dt
        position += velocity * dt
        if position < 0.0:
            position = -position
            velocity = -velocity * 0.9
            bounces += 1
            if velocity < 0.01:
                velocity = 5.0
        elif position > 10.0:
            velocity = -velocity
    return position, velocity, bounces
