# + - * / on floats and their in-place forms; results must be bit-identical.


def kernel(a, b, n):
    x = a
    y = b
    for i in range(n):
        x = x + y * 0.001
        y = y - x * 0.001
        x *= 1.0000001
        y /= 1.0000002
        x -= 1e-9
        y += 1e-9
    return x, y


def products(n):
    p = 1.0
    q = 1.0
    for i in range(1, n):
        p = p * 1.0001
        q = q / 1.0001
    return p, q, p * q


for a, b in ((1.0, 0.0), (0.0, 1.0), (-2.5, 3.75), (1e300, 1e-300), (123.456, -654.321)):
    x, y = kernel(a, b, 5000)
    print(repr(x), repr(y))
print([repr(v) for v in products(8000)])
