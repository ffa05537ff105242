"""List, dict and set comprehensions (inlined into their function since 3.12):
their loops append, add and store into the container being built."""


class Key:
    def __init__(self, k):
        self.k = k

    def __hash__(self):
        return hash(self.k)

    def __eq__(self, other):
        return isinstance(other, Key) and other.k == self.k


def build(n):
    doubled = [i * 2 for i in range(n)]
    squares = {i: i * i for i in range(n)}
    by_name = {str(i): i for i in range(n)}
    residues = {i % 7 for i in range(n)}
    thirds = [x / 3 for x in doubled if x % 3]
    names = [f"n{i}" for i in range(n)]
    nested = [[j for j in range(i % 5)] for i in range(n)]
    objects = {Key(i % 10): i for i in range(n)}
    overwritten = {i % 3: i for i in range(n)}
    return (sum(doubled), sum(squares.values()), len(by_name), sorted(residues), sum(thirds),
            names[-3:], nested[-2:], sorted(v for v in objects.values())[-3:], overwritten)


for n in (5, 50, 500):
    print(build(n))

i = "outer"
values = [i for i in range(40)]
print(i, values[-1])


def raises_midway(n):
    try:
        return [10 // (k - n // 2) for k in range(n)]
    except ZeroDivisionError as e:
        return f"ZeroDivisionError {e}"


print(raises_midway(60))

try:
    print({[k]: 1 for k in range(30)})
except TypeError as e:
    print("TypeError", e)


def sums_of_rows(n):
    out = []
    for k in range(n):
        out.append(sum([k * j for j in range(5)]))
    return out[-5:]


print(sums_of_rows(300))

kept = []
big = [kept.append(k) or k ** 40 for k in range(50)]
print(len(kept), big[-1] % 1000003)
