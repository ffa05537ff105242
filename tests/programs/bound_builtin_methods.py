# Builtin types' methods bound once and called in a hot loop (`append =
# out.append`): the call goes to the method on the object it is bound to. The
# local is rebound mid-loop to another list's method, to another method, to a
# Python function, and to a list subclass's method.


class Tagged(list):
    def append(self, x):
        list.append(self, ("tagged", x))


def collect(n):
    out = []
    other = []
    append = out.append
    for i in range(n):
        append(i * 2)
        if i == n // 2:
            append = other.append
    return len(out), len(other), out[-1], other[:3]


def rotate(n):
    xs = list(range(9))
    insert = xs.insert
    pop = xs.pop
    for i in range(n):
        insert(i % 11 - 5, pop(0))
    return xs


def count_words(words):
    counts = {}
    get = counts.get
    seen = set()
    add = seen.add
    for w in words:
        counts[w] = get(w, 0) + 1
        add(w[0])
    return sorted(counts.items()), sorted(seen)


def switching(n):
    out = []
    log = []
    step = out.append
    for i in range(n):
        step(i)
        if i == 100:
            step = out.extend if False else log.append
        elif i == 200:
            step = lambda x: out.append(-x)
        elif i == 300:
            step = Tagged().append
    return len(out), len(log), out[-3:], log[:2]


def prefixes(lines):
    hits = 0
    for line in lines:
        starts = line.startswith
        if starts("ab"):
            hits += 1
        elif starts("b"):
            hits += 10
    return hits


print(collect(1000))
print(rotate(5000))
print(count_words(["alpha", "beta", "gamma", "alpha", "delta", "beta"] * 300))
print(switching(500))
print(prefixes(["abc", "bcd", "cab", "ab"] * 500))


class Plain(list):
    pass


def subclass_receiver(n):
    out = Plain()
    append = out.append
    for i in range(n):
        append(i)
        if i == n // 2:
            append = [].append
    return len(out), type(out).__name__


print(subclass_receiver(400))
