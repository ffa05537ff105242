# The same key looked up twice in a row (get, then set), in compiled loops,
# while other statements delete and re-add that key, resize the dict, swap in
# another dict with the same keys, or look up equal keys of other types.


def counting(keys):
    d = {}
    for k in keys:
        d[k] = d.get(k, 0) + 1
    return sorted(d.items())[:4], len(d)


print(counting([i % 37 for i in range(3000)]))
print(counting(["k%d" % (i % 11) for i in range(2000)]))


def delete_between(n):
    d = {i: i for i in range(8)}
    out = []
    for i in range(n):
        k = i % 8
        v = d.get(k, -1)
        if i % 5 == 0:
            del d[k]
            d[k + 100] = v
            d[k] = v + 1
        d[k] = d.get(k, 0) + 1
        out.append(d[k])
    return out[-6:], sorted(d)[:10]


print(delete_between(400))


def resizing(n):
    d = {"a": 0}
    for i in range(n):
        d["a"] = d.get("a", 0) + 1
        d[i] = i
    return d["a"], len(d)


print(resizing(3000))


def two_dicts(n):
    first = {1: 10, 2: 20, 3: 30}
    second = {3: 300, 2: 200, 1: 100}
    total = 0
    for i in range(n):
        d = first if i % 2 else second
        k = 1 + i % 3
        total += d[k]
        d[k] = d[k] + 1
    return total, first, second


print(two_dicts(600))


def equal_keys_of_other_types(n):
    d = {1: "one", 2.0: "two", True: "true?"}
    hits = []
    for i in range(n):
        hits.append(d.get(1 + i % 3, "none"))
    return hits[:6]


print(equal_keys_of_other_types(60))
