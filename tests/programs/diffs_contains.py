# `needle in hay` / `not in` on strs in hot loops: empty needles, needles
# longer than the hay, wide needles in ASCII hay and vice versa, needles built
# in the loop, a non-str needle (TypeError, caught and uncaught), a non-str
# hay appearing midway (list, dict, a class with __contains__), and a str
# subclass overriding __contains__.
import sys

HAY = "the quick brown fox jumps over the lazy dog \xe9t\xe9 \u20ac10 \U0001f600!"


def basic(n):
    words = ["the", "fox", "cat", "", "dog ", " ", "\xe9t\xe9", "\u20ac1", "\U0001f600", "\U0001f601",
             HAY, HAY + "x", "Quick", "lazy dog \xe9", "z"]
    hits = 0
    misses = 0
    pattern = []
    for i in range(n):
        w = words[i % len(words)]
        if w in HAY:
            hits += 1
        if w not in HAY:
            misses += 1
        if i < len(words):
            pattern.append(w in HAY)
    return hits, misses, pattern


def built_needles(n):
    found = 0
    misses = []
    nums = ",".join(["5", "17", "42", "99", "100", "119"])
    for i in range(n):
        needle = str(i % 120)
        hay = "," + nums + ","
        if "," + needle + "," in hay:
            found += 1
        elif needle[-1:] in "13579":
            misses.append(needle)
    return found, len(misses), misses[:8]


def growing_hay(n):
    hay = ""
    hits = 0
    for i in range(n):
        hay += "ab"[i % 2] if i % 7 else "c"
        if "cab" in hay[-10:]:
            hits += 1
        if "ca" not in hay:
            hits += 100
    return hits, len(hay), sys.getrefcount(hay)


def wide_in_ascii(n):
    ascii_hay = "abcdefghij" * 10
    wide_hay = "abc\u4e2d\u6587" * 10
    c = 0
    for i in range(n):
        if "\u4e2d" in ascii_hay:
            c += 1000
        if "c\u4e2d" in wide_hay:
            c += 1
        if "abc" in wide_hay:
            c += 1
        if "\U0001f600" in wide_hay:
            c += 1000
        if wide_hay[i % 50:i % 50 + 3] in ascii_hay:
            c += 7
    return c


def non_str_needle(n):
    needles = ["a"] * n
    needles[n // 2] = 5
    errs = []
    count = 0
    for i in range(n):
        try:
            if needles[i] in "banana":
                count += 1
        except TypeError as e:
            errs.append((i, str(e)))
    return count, errs


def non_str_hay(n):
    class Box:
        def __contains__(self, item):
            return item == "box"

    hays = ["xboxy"] * n
    hays[n // 4] = ["box"]
    hays[n // 3] = {"box": 1}
    hays[n // 2] = Box()
    hays[(2 * n) // 3] = ("b", "o", "x")
    hays[(3 * n) // 4] = frozenset(["box"])
    results = []
    for i in range(n):
        results.append("box" in hays[i])
    return sum(results), [i for i, r in enumerate(results) if not r]


def subclass_hay(n):
    class Liar(str):
        def __contains__(self, item):
            return not str.__contains__(self, item)

    hays = ["abc"] * n
    for k in range(0, n, n // 5):
        hays[k + 3] = Liar("abc")
    out = []
    for i in range(n):
        out.append(("b" in hays[i], "z" not in hays[i]))
    return [i for i, t in enumerate(out) if t != (True, True)]


def bytes_needle_midway(n):
    needles = ["ll"] * n
    needles[n - 10] = b"ll"
    c = 0
    for i in range(n):
        if needles[i] in "hello":
            c += 1
    return c


print(basic(900))
print(built_needles(700))
print(growing_hay(800))
print(wide_in_ascii(500))
print(non_str_needle(600))
print(non_str_hay(800))
print(subclass_hay(500))

# module level
count = 0
text = "abracadabra" * 3
for i in range(1000):
    part = text[i % 20:i % 20 + 4]
    if part in "cadabra":
        count += 1
    if "bra" not in part:
        count += 10
print("module", count, part, sys.getrefcount(part))

print(bytes_needle_midway(700))
