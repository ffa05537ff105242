# An object whose __del__ the loop can see, held only by a local that a
# compiled loop rebinds (or deletes): __del__ runs at that store, as in
# CPython, not when the compiled code next leaves.
G = 0
log = []


class D:
    def __init__(self, tag):
        self.tag = tag

    def __del__(self):
        global G
        G += 1
        log.append(self.tag)


def rebound_global(n):
    x = 0
    t = 0
    for i in range(n):
        x = D(i) if i == 100 else i
        t += G
    return t


def rebound_list(n):
    x = 0
    t = 0
    for i in range(n):
        x = D(i) if i % 97 == 0 else i
        t += len(log)
    return t


def deleted(n):
    t = 0
    for i in range(n):
        y = D(-i) if i % 50 == 0 else float(i)
        t += len(log)
        del y
    return t


def shared_then_dropped(n):
    keep = [D("kept")]
    x = keep[0]
    t = 0
    for i in range(n):
        x = i
        t += len(log)
        if i == n // 2:
            keep.clear()
    return t, x


for f in (rebound_global, rebound_list, deleted, shared_then_dropped):
    print(f.__name__, f(300), G, log[-3:])
