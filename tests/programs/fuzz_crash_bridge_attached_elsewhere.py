# Found by the fuzzer: a bridge was attached to another exit than the one it was
# recorded from (exits were named by a count that a second bridge shifted), so it
# read the interpreter's NULL as a value and crashed.
G2 = 2.75

def f(n, x0):
    y1 = 1.7976931348623157e+308
    i1 = 0
    while i1 < n:
        i1 += 1
        z3 = G2 / (y1 + 1) / 2.0
        if 0 < z3 < 40:
            pass
        x0 = abs(-x0 + 2)
        if 0 < x0 < 0:
            pass
        if i1 % 3:
            y1 = y1

f(150, 257)
print("done")
