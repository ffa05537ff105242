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
