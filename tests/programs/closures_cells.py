# Loop variables captured by closures live in cells, not fast locals, and
# nonlocal updates from inner functions must be seen by the loop.


def make_counter():
    count = 0

    def bump(k):
        nonlocal count
        for i in range(k):
            count += i
        return count

    return bump


def captured_loop(n):
    total = 0
    scale = 3
    for i in range(n):
        total += i * scale
    reader = lambda: (total, scale)
    return reader()


def loop_variable_in_closures(n):
    funcs = []
    acc = 0.0
    for i in range(n):
        acc += i * 0.5
        if i % 1000 == 0:
            funcs.append(lambda: acc + i)
    return [f() for f in funcs]


bump = make_counter()
print([bump(k) for k in (10, 3000, 5000, 0)])
print(captured_loop(5000))
print(loop_variable_in_closures(4000))
