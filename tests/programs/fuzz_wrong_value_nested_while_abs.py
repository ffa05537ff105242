# Found by the fuzzer: bridges that ran round an outer loop gave wrong results.
def f(n):
    for i in range(n):
        x = 0
        j = 0
        while j < 12:
            j += 1
            x = j + x
            x *= abs(i) & 7
            if x >= 2**20:
                x = 5
    return x

print(f(64))
