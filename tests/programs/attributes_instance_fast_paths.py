# Instance attributes read and written directly under type-version guards, and
# every way the guarded facts can change while a compiled loop runs.
import gc


class Particle:
    kind = "default"  # a class attribute the instance may shadow

    def __init__(self):
        self.x = 0.0
        self.v = 1.0
        self.hits = 0


class Slotted:
    __slots__ = ("a", "b")

    def __init__(self):
        self.a = 0
        self.b = 0.5


class Other:
    def __init__(self):
        self.x = 10
        self.v = 2
        self.hits = 0


def drift(n):
    p = Particle()
    for i in range(n):
        p.x = p.x + p.v * 0.01
        if p.x > 1.0:
            p.x = p.x - 1.0
            p.hits = p.hits + 1
    return round(p.x, 9), p.hits


def slots(n):
    s = Slotted()
    for i in range(n):
        s.a = s.a + i
        s.b = s.b * 1.0001
    return s.a, round(s.b, 9)


def shadowed_class_attribute(n):
    p = Particle()
    seen = []
    for i in range(n):
        if i == n // 2:
            p.kind = "mine"  # the name joins the shared keys mid-loop
        if i % 37 == 0:
            seen.append(p.kind)
    return seen


def class_changes_midway(n):
    p = Particle()
    total = 0.0
    for i in range(n):
        if i == n // 3:
            Particle.v = property(lambda self: 100.0)  # a data descriptor now wins
        total += p.v
    del Particle.v
    return total


def class_attribute_rebinding(n):
    p = Particle()
    out = []
    for i in range(n):
        if i == n // 2:
            Particle.kind = "rebound"
        out.append(p.kind)
    Particle.kind = "default"
    return out[0], out[-1], len(out)


def dict_materialized_midway(n):
    p = Particle()
    for i in range(n):
        if i == n // 2:
            vars(p)["x"] = 100.0  # the instance's values become a dict
        p.x = p.x + 1.0
    return p.x


def class_assignment_midway(n):
    p = Particle()
    for i in range(n):
        if i == n // 2:
            p.__class__ = type("Sub", (Particle,), {})
        p.hits = p.hits + 1
    return p.hits, type(p).__name__


def polymorphic(n):
    objs = [Particle(), Other(), Particle(), Other()]
    total = 0.0
    for i in range(n):
        o = objs[i % 4]
        o.hits = o.hits + 1
        total += o.x + o.v
    return total, [o.hits for o in objs]


def deleted_midway(n):
    p = Particle()
    for i in range(n):
        if i == n - 5:
            del p.hits
        p.hits = p.hits + 1
    return p.hits


def replaced_object_with_del(n):
    log = []

    class Noisy:
        def __init__(self, k):
            self.k = k

        def __del__(self):
            log.append(self.k)

    p = Particle()
    p.x = Noisy(-1)
    for i in range(n):
        if i % 50 == 0:
            p.x = Noisy(i)  # the old value's __del__ runs at the store
        else:
            p.hits = p.hits + 1
    del p
    gc.collect()
    return log[:5], len(log)


def identity_of_stored_floats(n):
    p = Particle()
    kept = []
    for i in range(n):
        before = p.x
        p.x = p.x + 0.5
        if i % 40 == 0:
            kept.append(before)
    return p.x, kept[:3], [k is p.x for k in kept][:3]


def attribute_of_none(n):
    items = [Particle(), Particle(), None]
    out = 0
    for i in range(n):
        out += items[i % 3].hits
    return out


def method_shadowed_midway(n):
    class Counter:
        def __init__(self):
            self.count = 0

        def step(self):
            self.count += 1
            return self.count

    c = Counter()
    out = 0
    for i in range(n):
        if i == n // 2:
            c.step = lambda: -1000
        out += c.step()
    return out, c.count


print(drift(3000))
print(slots(3000))
print(shadowed_class_attribute(300))
print(class_changes_midway(300))
print(class_attribute_rebinding(300))
print(dict_materialized_midway(300))
print(class_assignment_midway(300))
print(polymorphic(400))
try:
    print(deleted_midway(300))
except AttributeError as e:
    print("AttributeError:", e)
print(replaced_object_with_del(300))
print(identity_of_stored_floats(300))
try:
    print(attribute_of_none(300))
except AttributeError as e:
    print("AttributeError:", e)
print(method_shadowed_midway(300))
