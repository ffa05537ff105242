# Class attributes read through instances and classes in hot loops while the
# class is changed midway: a class constant rebound, a method replaced, a
# method added to a base class that shadows nothing then something, an instance
# attribute shadowing a class attribute, and a module global rebound from a
# method called in the loop. Each change must be seen on the next iteration.
class Base:
    k = 1

    def get(self):
        return self.k


class Child(Base):
    pass


SCALE = 2


def set_scale(v):
    global SCALE
    SCALE = v


def const_rebound(n):
    c = Child()
    acc = 0
    for i in range(n):
        if i == 100:
            Base.k = 10
        if i == 200:
            Child.k = 100
        acc += c.k + Child.k
    del Child.k
    Base.k = 1
    return acc


def method_replaced(n):
    c = Child()
    out = []
    for i in range(n):
        if i == n // 2:
            Base.get = lambda self: -self.k
        out.append(c.get())
    return sum(out), out[n // 2 - 1], out[n // 2]


def method_added_to_child(n):
    c = Child()
    acc = 0
    for i in range(n):
        if i == 150:
            Child.get = lambda self: 1000
        if i == 250:
            del Child.get
        acc += c.get()
    return acc


def instance_shadow(n):
    c = Child()
    acc = 0
    for i in range(n):
        if i == 120:
            c.k = 50
        if i == 240:
            del c.k
        acc += c.k
    return acc


def global_rebound_in_call(n):
    acc = 0
    for i in range(n):
        if i % 100 == 99:
            set_scale(SCALE + 1)
        acc += SCALE * i
    return acc, SCALE


class Counter:
    count = 0

    def bump(self):
        type(self).count += 1
        return type(self).count


def class_attr_incremented(n):
    a = Counter()
    last = 0
    for i in range(n):
        last = a.bump() + Counter.count
    return last, Counter.count


def bases_changed(n):
    class A:
        v = "A"

    class B:
        v = "B"

    class C(A):
        pass

    c = C()
    out = []
    for i in range(n):
        if i == n // 2:
            C.__bases__ = (B,)
        out.append(c.v)
    return out[n // 2 - 1], out[n // 2], out.count("B")


for f in (const_rebound, method_replaced, method_added_to_child, instance_shadow,
          global_rebound_in_call, class_attr_incremented, bases_changed):
    print(f.__name__, f(300))
