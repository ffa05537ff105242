# An uncaught ZeroDivisionError from an int modulo deep in a hot loop: the
# traceback (lines, carets, frames) must be the interpreter's.


def inner(n):
    total = 0
    i = n
    while i >= 0:
        total += (total + 17) % i
        i -= 1
    return total


def outer():
    return inner(4000)


print("starting")
print(outer())
