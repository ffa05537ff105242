# Strings built in loops but held somewhere other than a plain local: a cell
# variable that an inner function reads during the loop, a `nonlocal`
# accumulator appended to from a helper called in the loop, a `global`
# accumulator of a function, a class attribute, and a default argument. Each
# holder must see exactly the value CPython gives it at each point.
import sys

G = ""


def cell_read_in_loop(n):
    s = ""
    seen = []

    def peek():
        return len(s), s[-2:]

    for i in range(n):
        s += "c" if i % 2 else "d"
        if i % 150 == 0:
            seen.append(peek())
    return seen, len(s), sys.getrefcount(s)


def nonlocal_appender(n):
    out = ""

    def add(piece):
        nonlocal out
        out += piece

    for i in range(n):
        add(str(i % 10))
        if i % 3 == 0:
            add("|")
    return len(out), out[:20], sys.getrefcount(out)


def global_accumulator(n):
    global G
    G = ""
    for i in range(n):
        G += "g"
        G = G[-50:] + str(i % 2)
    return len(G), G[-6:], sys.getrefcount(G)


class Holder:
    text = ""


def class_attribute(n):
    for i in range(n):
        Holder.text += "t"
        if len(Holder.text) > 30:
            Holder.text = Holder.text[10:]
    return Holder.text, sys.getrefcount(Holder.text)


# The default is made at run time: a constant of the module's code is also held
# by the code object, which `python SCRIPT` and `hotloop run` count differently
# even with nothing compiled.
def default_arg(n, sep="".join(["-"] * 3) + "x"):
    acc = ""
    for i in range(n):
        acc = acc[-20:] + sep[i % 4:]
    return acc, sys.getrefcount(sep), sys.getrefcount(acc)


def lambda_captures(n):
    fs = []
    s = "L"
    for i in range(n):
        s = s + str(i % 3)
        if i % 100 == 0:
            fs.append(lambda s=s: len(s))
    return [f() for f in fs], len(s)


def closure_over_loop_var(n):
    fs = []
    for i in range(n):
        w = "w" + str(i)
        if i % 200 == 0:
            fs.append(lambda: w)
    return [f() for f in fs]


print(cell_read_in_loop(700))
print(nonlocal_appender(600))
print(global_accumulator(800))
print(class_attribute(500))
print(default_arg(400))
print(lambda_captures(500))
print(closure_over_loop_var(700))
print(G[-3:], sys.getrefcount(G))
