# Building lists with append in hot loops: numbers (boxed), objects, bools and
# None, appending to a list the loop also reads, and appends mixed with exits.


def squares(n):
    out = []
    for i in range(n):
        out.append(i * i)
    return len(out), out[:3], out[-1]


def halves(xs):
    out = []
    for x in xs:
        out.append(x * 0.5)
        if x % 7 == 0:
            out.append(-x)
    return len(out), sum(out)


def objects(words):
    out = []
    for w in words:
        out.append(w)
        out.append(None)
        out.append(w is words[0])
    return len(out), out[:6]


def grow_while_reading(n):
    xs = [1]
    i = 0
    while len(xs) < n:
        xs.append(xs[i] + xs[-1])
        i += 1
    return xs[-1] % 1000003, len(xs)


def same_object(n):
    big = 10**20
    out = []
    for i in range(n):
        out.append(big)
    return all(x is big for x in out)


print(squares(3000))
print(halves(list(range(3000))))
print(objects(["a", "b", "c"] * 700))
print(grow_while_reading(2000))
print(same_object(3000))
