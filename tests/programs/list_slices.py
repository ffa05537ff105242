# Slices of lists in hot loops (`xs[i:i + k]`, `xs[i:]`, `xs[:-i]`, bounds
# out of range, None, negative): each a new list, its items shared with the
# original; the elements of a slice the loop keeps past the slice's release,
# and objects whose release prints.


class Loud:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        print("released", self.name)


def windows(xs, k):
    best = 0
    for i in range(len(xs) - k + 3):
        w = xs[i:i + k]
        s = len(w) + (w[0] + w[-1] if w else 0)
        if s > best:
            best = s
    return best


def tails(xs):
    total = 0
    for i in range(-3, len(xs) + 3):
        total += len(xs[i:]) + len(xs[:-i]) + len(xs[-3:None]) + len(xs[None:i])
    return total


def firsts(rows):
    kept = []
    for row in rows:
        head = row[:1]
        first = head[0]
        kept.append(first)
    return kept


def shared(xs):
    copies = []
    for i in range(len(xs)):
        part = xs[i:i + 2]
        copies.append(part)
    xs[0].name = "renamed"
    return [p[0].name for p in copies[:2]], len(copies)


xs = list(range(200))
print(windows(xs, 5), tails(xs))
print(firsts([[k, k + 1] for k in range(300)])[-3:])
louds = [Loud(f"l{k}") for k in range(40)]
print(shared(louds))
del louds
print("done")
