# Python code that looks at a running loop's frame (f_locals, f_lineno, locals())
# must see exactly the interpreter's values, also after the loop ran compiled.
import sys


def peek():
    caller = sys._getframe(1)
    return caller.f_lineno, {k: v for k, v in caller.f_locals.items() if k != "samples"}


def kernel(n):
    samples = []
    x = 0
    y = 0.5
    for i in range(n):
        x += i
        y = y * 0.5 + x
        if i % 1000 == 999:
            samples.append(peek())
    samples.append(sorted((k, v) for k, v in locals().items() if k != "samples"))
    return samples


for sample in kernel(5000):
    print(sample)
