# A bridge round an outer loop that gives two variables one new value
# (`x = start` after `start += 1`): they are one object until the inner loop
# changes x, as under CPython, whichever exit the compiled code leaves by.


def steps_from_each_start(n):
    seen = []
    total = 0
    start = 1000
    while start < n:
        x = start
        steps = 0
        while x > 1:
            if steps == 0 and start % 97 == 0:
                seen.append((x is start, x == start))
            if x % 2 == 0:
                x //= 2
            else:
                x = 3 * x + 1
            steps += 1
            if steps == 3 and start % 89 == 0:
                seen.append((x is start, x == start))
        total += steps
        start += 1
    return total, seen.count((True, True)), seen.count((False, False)), len(seen)


def float_walks(n):
    # Floats: never cached, so `is` tells the one object from two equal ones.
    out = []
    level = 0.5
    for i in range(n):
        level = level * 1.0001 + 0.25
        y = level
        k = 0
        while y < level + 3.0:
            if k == 0 and i % 50 == 0:
                out.append(y is level)
            y += 1.0
            k += 1
    return out.count(True), out.count(False), round(level, 6)


def copied_to_a_third_variable(n):
    # `z = x` copies the shared object: the tag may not follow it, and the
    # loop stays exact either way.
    start = 5000
    agree = 0
    z = None
    while start < n:
        x = start
        while x > start - 3:
            z = x
            x -= 1
        agree += (z is x) + 2 * (z == x + 1)
        start += 1
    return agree, z


print(steps_from_each_start(4000))
print(float_walks(600))
print(copied_to_a_third_variable(7000))
