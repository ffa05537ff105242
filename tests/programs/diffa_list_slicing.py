# Slicing lists inside hot loops: sliding windows, negative bounds, steps
# (including negative steps), slices past the ends, slice assignment that grows
# and shrinks the list while the loop keeps indexing it, and del of slices.


def windows(xs, w):
    best = None
    for i in range(len(xs) - w + 1):
        s = sum(xs[i:i + w])
        if best is None or s > best:
            best = s
    return best


def negative_bounds(xs, n):
    t = 0
    for i in range(n):
        part = xs[-(i % 7) - 3:-(i % 5) - 1]
        t += len(part) * 10 + (part[0] if part else -1)
    return t


def steps(xs, n):
    out = []
    for i in range(n):
        step = (i % 5) - 2
        if step == 0:
            step = 3
        part = xs[::step]
        out.append(part[0] + part[-1] + len(part))
    return sum(out), out[:6]


def past_ends(xs, n):
    t = 0
    for i in range(-n, n):
        t += len(xs[i:i + 50]) - len(xs[i * 3:])
    return t


def grow_shrink(n):
    xs = list(range(10))
    t = 0
    for i in range(n):
        if i % 3 == 0:
            xs[2:4] = [i, i + 1, i + 2]
        elif i % 3 == 1:
            xs[-3:] = []
        else:
            del xs[::4]
            xs.extend(range(i % 7))
        t += xs[len(xs) // 2] if xs else 0
        if len(xs) < 5:
            xs = xs + [i] * 6
    return t, xs


def copy_alias(n):
    xs = [1.5, 2.5, 3.5]
    ys = xs[:]
    for i in range(n):
        ys[i % 3] += xs[i % 3]
        if i % 100 == 99:
            xs = ys[:]
    return xs, ys


data = list(range(-50, 250))
print("windows", windows(data, 17), windows([x * 0.25 for x in data], 9))
print("negative_bounds", negative_bounds(data, 500))
print("steps", steps(data, 500))
print("past_ends", past_ends(data, 400))
print("grow_shrink", grow_shrink(400))
print("copy_alias", copy_alias(500))
