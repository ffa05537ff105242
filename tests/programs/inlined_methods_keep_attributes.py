# Methods inlined into hot loops that read attributes into locals and then
# store over them (the locals die with the call), that store attribute values
# themselves (`self.x = a if a > b else b`, deferred until the call returns),
# and that swap two attributes (the first store could free what the second
# stores). Instances with __slots__ and without; objects whose release prints.
from math import sqrt


class Point:
    __slots__ = ("x", "y", "z")

    def __init__(self, i):
        self.x = i * 0.5 - 3.0
        self.y = 100.0 - i * 0.25
        self.z = 1.0 + (i % 7)

    def normalize(self):
        x = self.x
        y = self.y
        z = self.z
        norm = sqrt(x * x + y * y + z * z)
        self.x /= norm
        self.y /= norm
        self.z /= norm

    def maximize(self, other):
        self.x = self.x if self.x > other.x else other.x
        self.y = self.y if self.y > other.y else other.y
        self.z = self.z if self.z > other.z else other.z
        return self

    def swap(self):
        self.x, self.y = self.y, self.x
        return self


class Loud:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        print("released", self.name)


class Box:
    def __init__(self, a, b):
        self.a = a
        self.b = b

    def keep_larger(self, other):
        self.a = self.a if self.a.name > other.a.name else other.a
        return self

    def swap(self):
        self.a, self.b = self.b, self.a


def run(n):
    points = [Point(i) for i in range(n)]
    for p in points:
        p.normalize()
    best = points[0]
    for p in points[1:]:
        best = best.maximize(p)
    for p in points[::3]:
        p.swap()
    return best.x, best.y, best.z, sum(p.x - p.y for p in points)


def boxes(n):
    items = [Box(Loud(f"a{i}"), Loud(f"b{i}")) for i in range(n)]
    keeper = Box(Loud("first"), Loud("other"))
    for box in items:
        keeper = keeper.keep_larger(box)
    print("kept", keeper.a.name)
    for box in items:
        box.swap()
    print([(box.a.name, box.b.name) for box in items[:3]])
    del items
    print("items gone")
    return keeper.a.name


print(run(300))
print(boxes(40))
print("done")
