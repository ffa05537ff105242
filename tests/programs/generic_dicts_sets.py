# Dict and set reads, writes, membership and deletion in hot loops.
def histogram(n):
    d = {}
    for i in range(n):
        k = (i * 7) % 13
        if k in d:
            d[k] += 1
        else:
            d[k] = 1
    return sorted(d.items())

def set_ops(n):
    seen = set()
    dups = 0
    for i in range(n):
        v = (i * i) % 37
        if v in seen:
            dups += 1
        seen.add(v)
        if len(seen) > 20:
            seen.discard(v)
    return dups, sorted(seen)

def string_keys(n):
    d = {"a": 0, "b": 0, "c": 0}
    for i in range(n):
        key = "abc"[i % 3]
        d[key] = d[key] + i
        if i % 50 == 0:
            del d[key]
            d[key] = -1
    return d

def missing_key(n):
    d = {i: i for i in range(10)}
    total = 0
    try:
        for i in range(n):
            total += d[i % 12]
    except KeyError as e:
        print("KeyError", e, "at total", total)
    return total

print(histogram(500))
print(set_ops(400))
print(string_keys(300))
print(missing_key(300))
