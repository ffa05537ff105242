# Recursive functions whose frames each run a loop: the same code object has many
# live frames, and its loop is compiled while deeper frames run it.


def tree_sum(depth, width):
    if depth == 0:
        total = 0
        for i in range(width):
            total += i * i
        return total
    total = 0
    i = 0
    while i < 3:
        total += tree_sum(depth - 1, width) + i
        i += 1
    return total


def nested_float(depth, x):
    for i in range(200):
        x = x * 0.99 + 0.01 * i
    if depth == 0:
        return x
    return nested_float(depth - 1, x) + x


def ackermann_like(m, n):
    while m > 0:
        if n == 0:
            n = 1
        else:
            n = ackermann_like(m, n - 1)
        m -= 1
    return n + 1


print(tree_sum(5, 30))
print(repr(nested_float(40, 0.5)))
print(ackermann_like(2, 300), ackermann_like(3, 5))
