# List stores in hot loops that release an object whose __del__ shrinks a
# list: the list being stored into, the list being iterated, or another list
# the loop reads the length of. The loop must see the shorter list right after
# the store, and "del" must print at the same point as under CPython.


class Shrinker:
    def __init__(self, target, tag):
        self.target = target
        self.tag = tag

    def __del__(self):
        print("del", self.tag, len(self.target))
        self.target.pop()
        self.target.pop()


def store_same_list(n):
    xs = [1] * n
    xs[n - 50] = Shrinker(xs, "same")
    t = 0
    for i in range(n):
        if i < len(xs):
            xs[i] = i
        t += i
    return t, len(xs), xs[-1]


def store_while_enumerating(n):
    xs = [1] * n
    xs[n - 50] = Shrinker(xs, "enumerated")
    t = 0
    for i, x in enumerate(xs):
        xs[i] = i * 2
        t += i
    return t, len(xs), xs[-1]


def floats_replaced(n):
    xs = [float(k) for k in range(n)]
    xs[n // 3] = Shrinker(xs, "floats")
    t = 0.0
    for i in range(n):
        if i < len(xs):
            xs[i] = 2.5
        t += 1.0
    return t, len(xs), xs[-1]


def other_list_length(n):
    xs = list(range(n))
    ys = [0] * n
    ys[n // 2] = Shrinker(xs, "other")
    t = 0
    for i in range(n):
        ys[i] = 1
        t += len(xs)
    return t


def iterated_list_shrinks(n):
    xs = list(range(n))
    ys = [0] * n
    ys[n // 2] = Shrinker(xs, "iterated")
    t = 0
    k = 0
    for x in xs:
        ys[k] = 1
        k += 1
        t += x if type(x) is int else 0
    return t, k


def while_reads_after_store(n):
    xs = [k * 3 for k in range(n)]
    xs[n // 4] = Shrinker(xs, "while")
    i = 0
    t = 0
    while i < len(xs):
        xs[i] = -1
        if i + 1 < len(xs):
            t += xs[i + 1] if type(xs[i + 1]) is int else 0
        i += 1
    return t, i, len(xs)


print("store_same_list", store_same_list(300))
print("store_while_enumerating", store_while_enumerating(300))
print("floats_replaced", floats_replaced(300))
print("other_list_length", other_list_length(300))
print("iterated_list_shrinks", iterated_list_shrinks(300))
print("while_reads_after_store", while_reads_after_store(300))
