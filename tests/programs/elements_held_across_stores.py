# Elements read from containers and kept in variables past stores that could
# free them: the trace takes references of its own to them, and must release
# each exactly where CPython lets go (the `released` lines and the reference
# counts show it), on every path: the loop, its exits and its bridges.
import sys


class Tag:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        print("released", self.name)


def advance(pairs, bodies, dt, n):
    """The n-body shape of pyperformance: positions unpacked from lists, kept
    while the velocities (other lists, maybe the same ones) are stored."""
    for _ in range(n):
        for ([x1, y1, z1], v1, m1), ([x2, y2, z2], v2, m2) in pairs:
            dx = x1 - x2
            dy = y1 - y2
            dz = z1 - z2
            mag = dt * ((dx * dx + dy * dy + dz * dz) ** (-1.5))
            b1m = m1 * mag
            b2m = m2 * mag
            v1[0] -= dx * b2m
            v1[1] -= dy * b2m
            v1[2] -= dz * b2m
            v2[0] += dx * b1m
            v2[1] += dy * b1m
            v2[2] += dz * b1m
        for r, [vx, vy, vz], m in bodies:
            r[0] += dt * vx
            r[1] += dt * vy
            r[2] += dt * vz


def system():
    bodies = [
        ([0.0, 0.0, 0.0], [0.0, 0.0, 0.0], 39.47),
        ([4.84, -1.16, -0.10], [0.606, 2.81, -0.02], 0.037),
        ([8.34, 4.12, -0.40], [-1.01, 1.82, 0.008], 0.011),
        ([12.89, -15.11, -0.22], [1.08, 0.868, -0.010], 0.0017),
    ]
    pairs = [(bodies[i], bodies[j]) for i in range(len(bodies)) for j in range(i + 1, len(bodies))]
    return pairs, bodies


def replaced_while_kept(xs, marker):
    """x is the very element the store replaces: CPython releases it when x
    is rebound (or at the return), not at the store."""
    count = 0
    for i, x in enumerate(xs):
        xs[i] = i
        count += x is marker
    return count


def carried_past_next_store(xs):
    """prev is carried round the loop, and the next turn stores where it came
    from before reading it."""
    prev = xs[0]
    out = []
    for i in range(1, len(xs)):
        cur = xs[i]
        xs[i - 1] = i
        out.append(prev)
        prev = cur
    return out, prev


def rotate(a, b, n):
    """A made string on one edge of a loop variable, the caller's on another."""
    for _ in range(n):
        a, b = b, a + "x"
    return len(a), len(b)


def late_bound(rows, pairs, n):
    """u is unbound when the loop starts; an inner loop binds it to elements
    and stores elsewhere."""
    total = 0.0
    for _ in range(n):
        for row in rows:
            total += row[0]
        for r, [u, w] in pairs:
            r[0] = u + w
    return total, u


pairs, bodies = system()
advance(pairs, bodies, 0.01, 300)
print([[round(v, 9) for v in part] for body in bodies for part in body[:2]])

tags = [Tag("a"), 1, Tag("b"), 2] * 30
kept = tags[0]
print(replaced_while_kept(tags, kept), sys.getrefcount(kept))
del kept
print("after del")

mixed = [Tag(f"m{k}") if k % 7 == 0 else float(k) for k in range(60)]
out, last = carried_past_next_store(mixed)
print(len(out), sum(1 for o in out if isinstance(o, Tag)), type(last).__name__)
del out
print("after out")

print(rotate("p", "q", 200))

rows = [[float(k)] for k in range(6)]
targets = [[0.0] for _ in range(4)]
late = [(targets[k], [float(k), 0.5]) for k in range(4)]
print(late_bound(rows, late, 200), [t[0] for t in targets])
print("done")
