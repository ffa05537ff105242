# A float the loop carries is sometimes reset to an existing object (a constant,
# its value on entry): `is` must see that object afterwards (found by the fuzzer).
def f(n):
    y = 7.0
    same = y
    for i in range(n):
        y = (y * y) ** 1.5
        if not 0 < y < 1e6:
            y = 7.0
    return same is y

print(f(100))
def g(n, x, y):
    same = y
    for i in range(n):
        for j in range(5):
            if x == j:
                y = i / 3.0
    return same is y

print(g(100, 3.0, 7.0))
print(g(1000, 0.25, 7.0))
