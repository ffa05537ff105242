# Found by the fuzzer: two variables that hold one new float on some paths only.
def f(n, x):
    for i in range(2, n, 3):
        x %= 1009
        same = x
        j = 0
        while j < 3:
            j += 1
    return same is x

print(f(30, 2))
print(f(30, 0.5))
