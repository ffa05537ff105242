# Found by the fuzzer: bridges that ran round an outer loop crashed.
def f(n, y):
    a = 4
    b = 0
    for i in range(2, n, 3):
        a, b = b, a
        j = 0
        while j < 5:
            j += 1
            z = max(a, y)
            if j:
                pass
            if j == 120:
                pass
            y = 123.456
            y %= 2.5
    return z

print(f(300, 0.0))
