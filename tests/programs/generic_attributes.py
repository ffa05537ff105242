# Attribute loads and stores on instances, slots and properties in hot loops.
class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y

class Slotted:
    __slots__ = ("a", "b")
    def __init__(self):
        self.a = 0
        self.b = 1.5

class WithProperty:
    def __init__(self):
        self._v = 0
        self.reads = 0
    @property
    def v(self):
        self.reads += 1
        return self._v
    @v.setter
    def v(self, value):
        self._v = value

def move(n):
    p = Point(0, 0)
    for i in range(n):
        p.x = p.x + 1
        p.y = p.y - p.x * 0.5
    return p.x, p.y

def slotted(n):
    s = Slotted()
    for i in range(n):
        s.a += i
        s.b *= 1.001
    return s.a, round(s.b, 6)

def props(n):
    w = WithProperty()
    for i in range(n):
        w.v = w.v + i
    return w.v, w.reads

def missing_attribute(n):
    p = Point(1, 2)
    for i in range(n):
        if i == n - 3:
            del p.y
        p.x = p.x + p.y
    return p.x

print(move(300))
print(slotted(300))
print(props(300))
try:
    missing_attribute(200)
except AttributeError as e:
    print("AttributeError:", e)
