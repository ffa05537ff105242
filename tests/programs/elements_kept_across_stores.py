# Values read from containers and kept in variables while the loop stores
# into containers: rows of a matrix updated in place, objects from a list
# whose attributes change, a float read and then overwritten in its list (its
# old object must survive in the variable), and a row that is itself replaced.


def relax(grid, steps):
    for _ in range(steps):
        for r in range(1, len(grid) - 1):
            above = grid[r - 1]
            row = grid[r]
            below = grid[r + 1]
            for c in range(1, len(row) - 1):
                row[c] = (above[c] + below[c] + row[c - 1] + row[c + 1]) * 0.25
    return [round(v, 6) for v in grid[len(grid) // 2]]


grid = [[float(i * j % 7) for j in range(8)] for i in range(8)]
print(relax(grid, 30))


class Body:
    def __init__(self, x):
        self.x = x
        self.v = 0.0


def step(bodies, n):
    for _ in range(n):
        for b in bodies:
            b.v += 0.5
            b.x += b.v
            first = bodies[0]
            first.v -= 0.25
    return [(b.x, b.v) for b in bodies]


print(step([Body(float(i)) for i in range(4)], 50))


def overwrite_kept(values):
    kept = []
    for i in range(len(values)):
        old = values[i]
        values[i] = old * 2.0 + 1
        kept.append(old)
    return kept[-3:], values[-3:], sum(kept)


print(overwrite_kept([float(i) for i in range(100)]))


def replace_rows(rows):
    seen = []
    for i in range(len(rows)):
        row = rows[i]
        rows[i] = [x + 1 for x in row] if i % 2 else 7
        row[0] += 100
        seen.append(row[0])
    return seen[-4:], rows[-2:]


print(replace_rows([[i, i] for i in range(60)]))


def dict_values_kept(n):
    d = {"a": [0.0], "b": 1.5}
    out = []
    for i in range(n):
        cell = d["a"]
        d["b"] = i * 0.5
        cell[0] += d["b"]
        out.append(cell[0])
    return out[-3:]


print(dict_values_kept(80))
