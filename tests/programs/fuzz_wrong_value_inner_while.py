# Found by the fuzzer: bridges that ran round an outer loop gave wrong results.
def f(n):
    x = 2
    for i in range(n):
        j = 0
        while j < 3:
            j += 1
            y = i + 1
            x = x * 7
            if x >= 2**40:
                x = 2
    return x

print(f(200))
