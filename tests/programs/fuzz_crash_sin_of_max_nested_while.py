# Found by the fuzzer: bridges that ran round an outer loop crashed.
import math

def f(n):
    y = 0.1
    i = 0
    while i < n:
        i += 1
        j = 0
        while j < i:
            j += 1
            y = i * y
            z = math.sin(max(i, y))

f(300)
print("done")
