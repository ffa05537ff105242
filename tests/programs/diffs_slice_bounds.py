# Slicing strs with int / None bounds in hot loops: negative and out-of-range
# bounds, start > stop (empty), bounds near the i64 limits, bools and big ints
# as bounds (arriving midway through a loop that was compiled for ints), None
# bounds changing to ints and back, and a non-str (list, bytes, str subclass)
# being sliced midway.
import sys

S = "0123456789abcdefghij"


def int_bounds(n):
    out = []
    for i in range(n):
        a = i % 50 - 25
        b = (i * 7) % 50 - 25
        out.append(S[a:b])
    return out


def none_bounds(n):
    acc = 0
    parts = []
    for i in range(n):
        k = i % 30 - 15
        x = S[k:]
        y = S[:k]
        z = S[None:k]
        w = S[k:None]
        acc += len(x) * 3 + len(y) * 5 + len(z) + len(w)
        if i % 41 == 0:
            parts.append(x + "|" + y + "|" + z + "|" + w)
    return acc, parts[:6]


def fixed_shapes(n):
    s = "hello world, hot loop"
    seen = []
    for i in range(n):
        seen.append(s[1:] + s[-3:] + s[:-1] + s[5:2] + s[0:0] + s[-100:100] + s[100:] + s[:-100])
    return len(seen), seen[0], seen[-1] == seen[0]


def extreme_bounds(n):
    big = 2 ** 63 - 1
    small = -(2 ** 63)
    out = []
    for i in range(n):
        out.append(S[small:big] + S[big:small] + S[small:3] + S[-3:big] + S[i - big:]
                   + S[:i - 2 ** 62])
    return len(out), out[0], out[-1]


def bound_types_change(n):
    bounds = [3, -2, None, 0, 7]
    res = []
    for i in range(n):
        b = bounds[i % len(bounds)]
        if i == n // 2:
            bounds.append(True)
            bounds.append(False)
        if i == (3 * n) // 4:
            bounds.append(2 ** 70)
            bounds.append(-(2 ** 80))
        res.append(S[b:] + "/" + S[:b] + "/" + S[1:b])
    return res[:7], res[-9:], len(res)


def bool_bounds(n):
    out = []
    t = True
    f = False
    for i in range(n):
        out.append(S[t:] + S[:t] + S[f:t] + S[t:-t])
    return out[-1], len(out)


def bigint_bounds(n):
    out = []
    for i in range(n):
        k = 2 ** 62 + i * 2 ** 61  # overflows i64 partway
        out.append(S[-k:k] + S[k:] + S[:-k] + "!")
    return out[0], out[-1], len(out)


def non_str_midway(n):
    class Sub(str):
        def __getitem__(self, item):
            return "SUB" + str.__getitem__(self, item)

    items = [S] * n
    items[n // 3] = list(S)
    items[n // 2] = S.encode()
    items[(2 * n) // 3] = Sub(S)
    items[(3 * n) // 4] = (1, 2, 3, 4, 5)
    got = []
    for i in range(n):
        x = items[i]
        got.append(x[2:-12])
    return [g for g in got if g != "23456789"]


def slice_in_place_chain(n):
    s = S * 20
    lens = []
    for i in range(n):
        s = s[1:]
        if not s:
            s = S * 3
        s = s[:-1] if i % 2 else s
        lens.append(len(s))
    return lens[-5:], s, sys.getrefcount(s)


def consume(n):
    s = (S * 60)[:n + 5]
    heads = ""
    for i in range(n):
        heads += s[:1]
        s = s[1:]
    tail = s
    s2 = S * 40
    for i in range(n // 3):
        s2 = s2[:-1]
        s2 = s2[-300:]
    return heads[-12:], tail, len(s2), s2[-5:], sys.getrefcount(tail), sys.getrefcount(s2), sys.getrefcount(heads)


def index_vs_slice(n):
    # slicing never raises, indexing does
    out = []
    errors = 0
    for i in range(n):
        k = i % 30
        out.append(S[k:k + 1])
        try:
            out.append(S[k])
        except IndexError:
            errors += 1
    return "".join(out[-20:]), errors


r = int_bounds(700)
print(len(r), r[:10], r[-5:], sum(map(len, r)))
print(none_bounds(600))
print(fixed_shapes(400))
print(extreme_bounds(300))
print(bound_types_change(700))
print(bool_bounds(400))
print(bigint_bounds(300))
print(non_str_midway(800))
print(slice_in_place_chain(900))
print(index_vs_slice(600))
print(consume(700))

# a float bound midway: TypeError, uncaught
bounds = [1] * 500 + [1.5]
total = 0
for b in bounds:
    total += len(S[b:])
print("unreachable", total)
