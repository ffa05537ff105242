# A global defined later shadows a builtin the compiled loop calls, and a builtin
# replaced in the builtins module: the loop must call the new function at once.
import builtins


def total_abs(n):
    t = 0
    for i in range(n):
        t += abs(i - 1000)
    return t


print(total_abs(3000))
print(total_abs(3000))


def abs(x):
    return 7


print(total_abs(3000))
del abs
print(total_abs(3000))
original_max = builtins.max


def loud_max(a, b):
    return original_max(a, b) + 1


def running_max(n):
    m = 0
    for i in range(n):
        m = max(m, i % 50)
    return m


print(running_max(3000))
builtins.max = loud_max
try:
    print(running_max(3000))
finally:
    builtins.max = original_max
print(running_max(3000))
