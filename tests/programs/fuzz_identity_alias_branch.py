# Found by the fuzzer: one int in two variables on one branch only.
def f(n):
    for i in range(n):
        x = i + 1000
        if i % 3 == 1:
            pass
        else:
            same = x
    return same is x

print(f(1000))
