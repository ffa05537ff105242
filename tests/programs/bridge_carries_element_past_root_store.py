# A bridge keeps a list element in a variable (`prev = xs[0]` on one side of
# an `if`) and the loop's next turn stores into that very place before it
# reads the variable: the old element must survive in the variable, as under
# CPython. Ints past the small-int cache and floats, so the stores free them
# unless something holds them; an instance whose attribute the loop replaces,
# likewise; and a control where the variable is rebound before the store.


def ints_kept_past_store(xs, n):
    prev = "start"
    out = []
    for i in range(n):
        xs[0] = i * 1000 + 100000
        out.append(prev)
        if i % 4 == 1:
            prev = xs[0]
    return len(out), out[-5:], out.count("start")


print(ints_kept_past_store([1, 2], 3000))


def floats_or_none(xs, n):
    prev = None
    out = []
    for i in range(n):
        xs[i % 2] = float(i) + 0.5
        out.append(prev)
        if i % 3 == 1:
            prev = xs[(i + 1) % 2]
        elif i % 3 == 2:
            prev = None
    return len(out), out[-6:], sum(v for v in out if v is not None)


print(floats_or_none([1.0, 2.0], 3000))


class Cell:
    def __init__(self):
        self.value = 0.0


def attribute_kept_past_store(cell, n):
    prev = None
    seen = []
    for i in range(n):
        cell.value = i * 0.25
        seen.append(prev)
        if i % 5 == 2:
            prev = cell.value
    return seen[-6:], sum(v for v in seen if v is not None)


print(attribute_kept_past_store(Cell(), 2000))


def rebound_before_store(xs, letters, n):
    prev = "start"
    out = []
    for i in range(n):
        prev = letters[i % 2]
        xs[0] = i * 1000 + 100000
        out.append(prev)
        if i % 4 == 1:
            prev = xs[0]
            out.append(prev)
    return len(out), out[-5:]


print(rebound_before_store([1, 2], "ab", 3000))
