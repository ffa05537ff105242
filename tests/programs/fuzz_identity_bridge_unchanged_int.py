# Found by the fuzzer: object identity of ints the loop carries unboxed.
def f(n, x):
    same = x
    for i in range(n):
        if not x:
            x %= 7
    return same is x

print(f(300, 0))
print(f(64, 2**63 - 1))
print(f(64, 2.5))
