# __del__ of objects made and dropped by called code in a compiled loop runs
# in the same order as in the interpreter.
log = []

class Noisy:
    def __init__(self, i):
        self.i = i
    def __del__(self):
        log.append(("del", self.i))

def make(i):
    return Noisy(i)

def loop(n):
    keep = None
    for i in range(n):
        obj = make(i)
        log.append(("made", i))
        if i % 3 == 0:
            keep = obj
        make(-i)
        log.append(("after temp", i))
    return keep.i

print(loop(40))
print(log[-30:])


def rebound(n):
    # The object a call made dies when its only variable is rebound, with
    # nothing but fast paths around.
    for i in range(n):
        obj = make(100 + i)
        log.append(("made", i))
        obj = i
        log.append(("rebound", obj))
        t = (i, i)
        log.append(t)


log.clear()
rebound(30)
print(log[-12:])


def dropped_argument(n):
    # A temporary passed to a call and dropped by it.
    total = 0
    for i in range(n):
        total += len([make(200 + i)])
        log.append(("after", i))
    return total


log.clear()
print(dropped_argument(30), log[-6:])
