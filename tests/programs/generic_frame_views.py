# Called code looks at the caller's frame: f_locals, f_lineno, warnings and
# logging report the line of the call inside the compiled loop.
import sys
import warnings

seen = []

def spy():
    f = sys._getframe(1)
    seen.append((f.f_lineno, sorted((k, v) for k, v in f.f_locals.items() if k in ("i", "acc", "name"))))
    return 1

def loop(n):
    acc = 0.5
    name = "x"
    for i in range(n):
        acc = acc * 1.5 if i % 2 else acc + i
        if i % 40 == 0:
            acc += spy()
            name = name + "y"
    return acc

def warn_in_loop(n):
    total = 0
    for i in range(n):
        total += i
        if i % 100 == 99:
            warnings.warn(f"at {i}", UserWarning)
    return total

print(loop(200))
print(seen)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    print(warn_in_loop(300))
print([(w.lineno, str(w.message)) for w in caught])
