# Ints stored over ints only their list item, attribute or dict value holds:
# the runtime may make the old int the new one in place. Values cross the
# 30- and 60-bit digit boundaries both ways, change sign, and land in the
# small-int cache (whose shared objects `is` tells apart); an int another
# variable still holds must keep its value. Floats over floats in dict
# values, likewise.


class Counter:
    def __init__(self, start):
        self.total = start


def run(start, step, turns):
    items = [start, start]
    counter = Counter(start)
    counts = {"k": start, 7: start}
    kept = []
    for i in range(turns):
        items[0] += step
        items[1] = items[0] * 3 - i
        counter.total -= step
        counts["k"] += step
        counts[7] = counts[7] - 2 * step
        if i % 97 == 0:
            kept.append(items[0])  # a second reference to the int stored
        if i % 53 == 0:
            held = counter.total
            counter.total += 1
            assert held == counter.total - 1
    small = [x for x in (items[0], counter.total, counts["k"]) if -5 <= x <= 256]
    return items, counter.total, counts, kept[:3], kept[-3:], [x is int(str(x)) for x in small]


for start, step, turns in [
    (1000, 1, 500),
    (2**30 - 300, 1, 600),
    (2**30 + 300, -1, 600),
    (2**60 - 250, 1, 500),
    (-(2**60) + 250, -1, 500),
    (300, -1, 600),
    (262, -1, 260),
    (-262, 1, 259),
    (-300, 1, 600),
    (2**62, -(2**58), 40),
]:
    print(run(start, step, turns))


def read_before_store(n):
    # `x`, `y` and `z` still name the ints the stores replace; the exit
    # at `i == n - 5` writes them back to the frame.
    items = [10**12]
    counter = Counter(10**12)
    counts = {"k": 10**12}
    seen = []
    for i in range(n):
        x = items[0]
        items[0] = x + 1000
        y = counter.total
        counter.total = y - 7
        z = counts["k"]
        counts["k"] = z + 3
        if i == n - 5:
            seen.append((x, items[0], y, counter.total, z, counts["k"]))
    return seen


print(read_before_store(1000), read_before_store(2000))


def float_values(n):
    # Floats only the dict holds take the new value in place too.
    sums = {"a": 0.0, 3: -1.5}
    kept = []
    for i in range(n):
        sums["a"] += i * 0.25
        sums[3] = sums[3] * 0.5 + i
        if i % 101 == 0:
            kept.append(sums["a"])
    return sums, kept[-2:]


print(float_values(1000))
