# zip over one iterator given twice (or three times) takes several items per
# step; a loop compiled for distinct iterators meets the same one later.


def pairs(z):
    t = 0
    c = 0
    for a, b in z:
        t += b * 3 - a
        c += 1
    return t, c


def triples(it):
    out = []
    for a, b, c in zip(it, it, it):
        out.append(a + b * c)
    return out[-3:], len(out)


print(pairs(zip(iter(range(20)), iter(range(20)))))
print(pairs(zip(iter(range(400)), iter(range(5, 405)))))
shared = iter(range(401))
print(pairs(zip(shared, shared)), next(shared, "exhausted"))
shared = iter(list(range(300)))
print(pairs(zip(shared, shared)))
shared = iter(tuple(range(50)))
print(pairs(zip(shared, iter(range(1000)), shared) if False else zip(shared, shared)))
print(triples(iter(range(300))))
print(triples(iter([1.5 * i for i in range(200)])))
