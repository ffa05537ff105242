# Found by the fuzzer: object identity of ints the loop carries unboxed.
def f(n, x):
    same = x
    for i in range(n):
        x %= (2**63 - 1) | i
    return same is x, x
print(f(13, 65535))
def g(n, x):
    same = x
    for i in range(n):
        x %= 2**63 - 1
    return same is x, x
print(g(13, 65535))
