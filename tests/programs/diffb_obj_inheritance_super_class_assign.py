# Methods called in hot loops through inheritance chains, super() calls
# (zero-argument and explicit), overridden methods, isinstance checks, and
# __class__ assigned midway through the loop (the method looked up afterwards
# must be the new class's).
class Shape:
    def area(self):
        return 0

    def describe(self):
        return type(self).__name__ + ":" + str(self.area())


class Rect(Shape):
    def __init__(self, w, h):
        self.w = w
        self.h = h

    def area(self):
        return self.w * self.h


class Square(Rect):
    def __init__(self, s):
        super().__init__(s, s)

    def area(self):
        return super().area() + 0


class Loud(Rect):
    def area(self):
        return -super(Loud, self).area()


def dispatch(n):
    shapes = [Shape(), Rect(2, 3), Square(4), Loud(1, 5)]
    acc = 0
    for i in range(n):
        acc += shapes[i % 4].area()
    return acc, [s.describe() for s in shapes]


def super_chain(n):
    s = Square(1)
    acc = 0
    for i in range(n):
        s.w = s.h = i % 10
        acc += s.area()
    return acc


def class_assignment(n):
    r = Rect(3, 4)
    out = []
    for i in range(n):
        if i == n // 3:
            r.__class__ = Loud
        if i == 2 * n // 3:
            r.__class__ = Square
        out.append(r.area())
    return out[n // 3 - 1], out[n // 3], out[-1], type(r).__name__


def isinstance_in_loop(n):
    objs = [Shape(), Rect(1, 1), Square(2), Loud(1, 1), 3]
    counts = [0, 0, 0, 0]
    for i in range(n):
        o = objs[i % 5]
        if isinstance(o, Shape):
            counts[0] += 1
        if isinstance(o, Rect):
            counts[1] += 1
        if isinstance(o, (Square, int)):
            counts[2] += 1
        if type(o) is Loud:
            counts[3] += 1
    return counts


def override_added_midway(n):
    sq = Square(3)
    out = []
    for i in range(n):
        if i == n // 2:
            Rect.area = lambda self: 7
        out.append(sq.area())
    return out[0], out[-1]


class Node:
    def __init__(self, v, nxt):
        self.v = v
        self.nxt = nxt


def linked_walk(n):
    head = None
    for i in range(n):
        head = Node(i, head)
    acc = 0
    node = head
    while node is not None:
        acc += node.v
        node = node.nxt
    return acc


for f in (dispatch, super_chain, class_assignment, isinstance_in_loop,
          override_added_midway, linked_walk):
    print(f.__name__, f(300))
