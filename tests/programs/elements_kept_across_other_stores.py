# An element read from a container and still held while the loop stores into
# another place: another list, an instance attribute, another index of the
# same list, a dict. Compiled, such stores cannot free the element; a store
# into the element's own place could, and stays refused. Identity and values
# must match CPython's.


class Box:
    def __init__(self):
        self.total = 0.0
        self.last = None


def into_attribute(xs, box):
    for i in range(len(xs)):
        v = xs[i]
        box.total = box.total + v
        box.last = v
        if v is not xs[i]:
            print("lost", i)
    return box.total, box.last is xs[-1]


def into_other_list(xs, out):
    for i in range(len(xs)):
        v = xs[i]
        out[i % 3] = v * 2.0
        out[2] = v
    return out, out[2] is xs[-1]


def into_other_index(xs):
    for i in range(1, len(xs)):
        v = xs[0]
        xs[1] = v + 1.5
        xs[i] = xs[i] * 0.5
    return xs[:3], v is xs[0]


def into_its_own_place(xs):
    for i in range(len(xs)):
        v = xs[i]
        xs[i] = v * 3.0
        xs[i] = xs[i] + v
    return xs[:3]


def dict_values_and_sets(d):
    seen = 0.0
    for k, v in d.items():
        d[k] = v + 1.0
        seen += v
    totals = {}
    for k in range(50):
        w = d.get(k % 7, 0.0)
        totals[k % 5] = w
    return seen, sorted(totals.items())


class Method:
    def __init__(self):
        self.t = 0.0

    def add(self, v):
        self.t += v


def method_per_element(n, m):
    for i in range(n):
        m.add(i * 0.5)
    return m.t


xs = [0.25 * k + 1000.5 for k in range(400)]
print(into_attribute(xs, Box()))
print(into_other_list(list(xs), [0.0, 0.0, 0.0]))
print(into_other_index(list(xs)))
print(into_its_own_place(list(xs)))
print(dict_values_and_sets({k: k * 1.5 + 1e6 for k in range(300)}))
print(method_per_element(3000, Method()))
