"""`x is None` / `x is not None` on a variable the loop carries as a number
after starting out as None: the minimum-finding idiom, with floats, ints and
bools, and variables that go back to None."""


def closest(point, centers):
    best = 0
    best_d = None
    for i, c in enumerate(centers):
        dx = point[0] - c[0]
        dy = point[1] - c[1]
        d = dx * dx + dy * dy
        if best_d is None or d < best_d:
            best_d = d
            best = i
    return best, best_d


def smallest_int(values):
    low = None
    for v in values:
        if low is None or v < low:
            low = v
    return low


def last_positive_flag(values):
    seen = None
    for v in values:
        if v > 0:
            seen = True
        elif seen is not None and v < -5:
            seen = False
    return seen


def resets(values):
    # The carried float goes back to None now and then: the guard that it is
    # a float fails, and the loop leaves there.
    running = None
    out = []
    for v in values:
        if running is None:
            running = v * 1.5
        else:
            running += v
        if running > 40.0:
            out.append(round(running, 6))
            running = None
    return out, running


centers = [(1.0, 1.0), (5.0, 5.0), (9.0, 1.0), (1.0, 9.0), (9.0, 9.0)] * 8
total = 0
for k in range(300):
    point = ((k * 7) % 11 * 1.0, (k * 3) % 13 * 1.0)
    index, distance = closest(point, centers)
    total += index + distance
print(total)
print(smallest_int([(k * 37) % 101 - 50 for k in range(500)]))
print(smallest_int([]))
print(last_positive_flag([(k * 13) % 17 - 8 for k in range(400)]))
print(last_positive_flag([-1] * 100))
print(resets([(k % 7) * 1.25 for k in range(600)]))
