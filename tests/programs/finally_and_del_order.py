# Object finalizers and finally blocks around hot loops run in the same order
# and at the same moments as in the interpreter.
events = []


class Tracked:
    def __init__(self, name):
        self.name = name
        events.append(("new", name))

    def __del__(self):
        events.append(("del", self.name))


def kernel(n):
    guard = Tracked("guard")
    try:
        total = 0
        for i in range(n):
            total += i * 3 % 7
            if i == n // 2:
                events.append(("midway", total))
        return total
    finally:
        events.append(("finally", n))


def replace_in_loop(n):
    holder = Tracked("first")
    x = 0
    for i in range(n):
        x += i
        if i == n - 2:
            holder = Tracked("second")
    events.append(("loop done", x))
    return x


print(kernel(5000))
print(replace_in_loop(3000))
for event in events:
    print(event)
