# Methods that update their instance and then test it, called in hot loops:
# the stores of an inlined call happen once, in order, whichever way the
# tests go, whatever the attributes held before, and when the call leaves
# early (a branch not taken before, an exception, a value of another type).


class Particle:
    def __init__(self, x, y, vx, vy):
        self.x, self.y = x, y
        self.vx, self.vy = vx, vy
        self.bounces = 0

    def move(self, dt):
        self.x = self.x + self.vx * dt
        if not 0.0 <= self.x <= 10.0:
            self.vx = -self.vx
            self.bounces = self.bounces + 1
        self.y = self.y + self.vy * dt
        if not 0.0 <= self.y <= 10.0:
            self.vy = -self.vy
            self.bounces = self.bounces + 1
        return self.bounces


def particles(steps):
    ps = [Particle(i * 0.7 % 10, i * 1.3 % 10, 1.5 - i % 3, 0.5 + i % 2) for i in range(20)]
    for _ in range(steps):
        for p in ps:
            p.move(0.1)
    return [(round(p.x, 9), round(p.y, 9), p.vx, p.vy, p.bounces) for p in ps]


class Counter:
    def __init__(self):
        self.count = 0
        self.total = 0
        self.last = None

    def add(self, v):
        self.count += 1
        self.total = self.total + v
        self.last = v
        if self.total > 1000:
            self.total -= 1000
        return self.count


def counter_with_types_changing(n):
    c = Counter()
    seen = 0
    for i in range(n):
        # From 300 on the values are floats, from 600 big ints: the call's
        # guards fail after the stores were recorded, and the interpreter
        # makes the call again, from its start.
        v = i if i < 300 else (i * 0.5 if i < 600 else i * 10**20)
        seen += c.add(v)
    return seen, c.count, c.total, c.last


class Loud:
    log = []

    def __init__(self, name):
        self.name = name

    def __del__(self):
        Loud.log.append("del " + self.name)


class Holder:
    def __init__(self):
        self.value = 0.0
        self.other = 1

    def set(self, v, w):
        self.value = v
        self.other = w
        if v > 1e9:
            return 1
        return 0


def replaced_values_with_del(n):
    h = Holder()
    flags = 0
    for i in range(n):
        if i == n // 2:
            h.value = Loud("a")  # the next store releases it: __del__ runs there
            Loud.log.append("set a")
        flags += h.set(i * 1.5, i)
        if i == n // 2:
            Loud.log.append("after set")
    return flags, h.value, h.other, Loud.log


class Pair:
    def __init__(self, x):
        self.x = x
        self.y = 0.0

    def copy_from(self, other):
        self.x = other.x + 1.0
        self.y = other.x * 2.0
        if self.y > other.x:
            return self.y - other.x
        return 0.0


def aliasing(n):
    a, b = Pair(1.0), Pair(2.0)
    total = 0.0
    for i in range(n):
        # Half of the time `other` is `self`: its `x` is the one just stored.
        total += a.copy_from(a if i % 2 else b)
        a.x = a.x % 7.0
    return total, a.x, a.y, b.x, b.y


class Slotted:
    __slots__ = ("pos", "speed", "hits")

    def __init__(self):
        self.pos = 0
        self.speed = 3
        self.hits = 0

    def step(self, limit):
        self.pos += self.speed
        if self.pos >= limit:
            self.pos -= limit
            self.hits += 1
        return self.pos


def slotted(n):
    s = Slotted()
    acc = 0
    for i in range(n):
        acc += s.step(7 + i % 5)
    return acc, s.pos, s.hits


class Account:
    def __init__(self):
        self.balance = 100
        self.ops = 0

    def withdraw(self, amount):
        self.ops += 1
        self.balance -= amount
        return self.balance // amount  # ZeroDivisionError when amount is 0


def raising_after_stores(n):
    acct = Account()
    errors = 0
    for i in range(n):
        try:
            acct.withdraw(i % 4)
        except ZeroDivisionError:
            errors += 1
    return errors, acct.balance, acct.ops


class Node:
    def __init__(self):
        self.level = 0
        self.items = []

    def grow(self, v):
        self.level += 1
        self.items.append(v)  # a call after a store: the store happens first
        if self.level > 50:
            self.level = 0
        return len(self.items)


def store_then_call(n):
    node = Node()
    total = 0
    for i in range(n):
        total += node.grow(i)
    return total, node.level, len(node.items)


class Cell:
    def __init__(self, v):
        self.v = v


def items_updated_in_place(n):
    cells = [Cell(float(i)) for i in range(50)]
    for _ in range(n):
        # The item, a list element, is carried round the loop in `c`, which
        # the next turn rebinds before its store; `prev` keeps the previous
        # one across the store.
        for c in cells:
            c.v = c.v * 0.5 + 1.0
        prev = cells[-1]
        for c in cells:
            c.v = prev.v + c.v * 0.25
            prev = c
    return [round(c.v, 9) for c in cells[:5]]


print(particles(400))
print(items_updated_in_place(40))
print(counter_with_types_changing(900))
print(replaced_values_with_del(400))
print(aliasing(500))
print(slotted(700))
print(raising_after_stores(600))
print(store_then_call(500))
