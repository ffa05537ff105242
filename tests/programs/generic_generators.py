# for loops over generators, dict views, strings, reversed and map.
def gen(n):
    for i in range(n):
        yield i * 3

def over_generator(n):
    t = 0
    for v in gen(n):
        t += v
    return t

def over_dict(n):
    d = {str(i): i for i in range(n)}
    keys = 0
    vals = 0
    for k in d:
        keys += len(k)
    for v in d.values():
        vals += v
    pairs = 0
    for k, v in d.items():
        pairs += v - int(k)
    return keys, vals, pairs

def over_str(n):
    s = "hello world " * n
    vowels = 0
    for ch in s:
        if ch in "aeiou":
            vowels += 1
    return vowels

def over_reversed_map(n):
    r = 0
    for v in reversed(range(n)):
        r = r * 3 + v
        r %= 1000003
    for v in map(abs, range(-n, 0)):
        r += v
    return r

print(over_generator(300))
print(over_dict(300))
print(over_str(100))
print(over_reversed_map(300))
