"""Generators inlined in the loop over them: a generator local rebound to objects with __del__, elements of a list the loop stores into, a loop that breaks (the generator is closed later), strings yielded into +=."""
import gc
class D:
    n = 0
    def __init__(self, k): self.k = k
    def __del__(self):
        D.n += 1
        print("del", self.k) if self.k % 97 == 0 else None

def gen_rebinds(n):
    obj = D(-1)
    for i in range(n):
        obj = D(i) if i % 3 == 0 else obj
        yield i

def consume(n):
    t = 0
    for v in gen_rebinds(n):
        t += v
    return t
print(consume(600), D.n)

def elems(xs):
    for x in xs:
        yield x

def mutate(xs):
    t = 0
    for v in elems(xs):
        xs[0] = v + 1
        t += v
    return t
print(mutate(list(range(500))))

def closing(n, log):
    try:
        for i in range(n):
            yield i
    finally:
        log.append(("closed", n))

def breaks(n):
    log = []
    t = 0
    for v in closing(10**6, log):
        t += v
        if t > n:
            break
    return t, log
print(breaks(5000), breaks(100000))

def strs(n):
    for i in range(n):
        yield "ab"[i % 2]
def join(n):
    s = ""
    for c in strs(n):
        s += c
    return len(s), s[-6:]
print(join(3000))
