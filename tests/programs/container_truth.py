# The truth of containers (while stack:, if d:) in compiled loops.
def f(rows):
    n = 0
    for r in rows:
        if r:
            n += 1
    return n
print(f([[1], [], [2, 3]] * 100))
def g(stack):
    n = 0
    while stack:
        n += stack.pop()
    return n
print(g(list(range(1000))))
d = {}
def h(n):
    k = 0
    for i in range(n):
        if d:
            k += 1
        if i == 50:
            d[1] = 2
    return k
print(h(300))
