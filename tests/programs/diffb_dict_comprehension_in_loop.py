# Dict (and set/list) comprehensions evaluated inside hot loops: inlined
# comprehensions of 3.12 sharing names with the loop, comprehensions over
# dict items, comprehension variable shadowing an outer loop variable, and an
# exception escaping a comprehension.
def comp_each_iter(n):
    total = 0
    for i in range(n):
        d = {k: k * i for k in range(5)}
        total += d[4] - d[1]
    return total


def shadowing(n):
    k = "outer"
    out = []
    for i in range(n):
        d = {k: i for k in range(i % 4)}
        out.append((len(d), k))
    return out[-3:]


def invert(n):
    src = {i: str(i % 17) for i in range(n)}
    inv = {}
    for rnd in range(3):
        inv = {v: k for k, v in src.items() if k % 3 == rnd}
    return sorted(inv.items(), key=lambda kv: int(kv[0]))[:5]


def comp_with_closure(n):
    acc = []
    for i in range(n):
        fns = {j: (lambda j=j: j + i) for j in range(3)}
        acc.append(fns[2]() - fns[0]())
    return sum(acc), acc[:3]


def comp_raises(n):
    ok = 0
    errs = []
    for i in range(n):
        try:
            d = {k: 10 // (k - i % 7) for k in range(6)}
            ok += len(d)
        except ZeroDivisionError as e:
            errs.append(i % 7)
    return ok, errs[:8], len(errs)


def nested_comp(n):
    s = 0
    for i in range(n):
        m = {a: {b: a * b for b in range(3)} for a in range(3)}
        s += m[2][2] + m[i % 3][1]
    return s


def comp_of_setcomp(n):
    res = None
    for i in range(n):
        res = {x % 5: {y for y in range(x % 4)} for x in range(i % 9)}
    return {k: sorted(v) for k, v in res.items()}


for f in (comp_each_iter, shadowing, invert, comp_with_closure, comp_raises,
          nested_comp, comp_of_setcomp):
    print(f.__name__, f(300))
