# An uncaught ZeroDivisionError from a float division in a compiled loop: the
# traceback must show the interpreter's frames, lines and carets.


def harmonic_countdown(scale):
    x = 0.0
    for i in range(10000):
        x = x + 1.0 / scale
        scale -= 1.0
    return x


print("start")
print("never reached", harmonic_countdown(5000.0))
