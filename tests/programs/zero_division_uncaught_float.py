# An uncaught ZeroDivisionError from a float division in a module-level loop.
x = 0.0
scale = 5000.0
for i in range(10000):
    x = x + 1.0 / scale
    scale -= 1.0
print("never reached", x)
