# Comparisons of two strs (== != < <= > >=) in hot loops: equal strings that
# are different objects, the same object, prefixes, empty strings, strings of
# different widths (ordering is by code point), strings built in the loop; and
# a non-str operand arriving midway (== / != give False / True, ordering
# raises TypeError), a str subclass with its own __eq__ / __lt__ (the
# reflected method of a subclass on the right runs first), and None.
import sys

WORDS = ["", "a", "b", "ab", "abc", "abd", "B", "\xe9", "\xe8z", "\u20ac", "\U0001f600", "z" * 5, "a\x00",
         "ab" + "c"]


def table(n):
    counts = [0] * 6
    bits = []
    for i in range(n):
        x = WORDS[i % len(WORDS)]
        y = WORDS[(i // len(WORDS)) % len(WORDS)]
        r = (x == y, x != y, x < y, x <= y, x > y, x >= y)
        for k in range(6):
            if r[k]:
                counts[k] += 1
        if i % 17 == 0:
            bits.append("".join("1" if v else "0" for v in r))
    return counts, bits[:12]


def built_equal(n):
    same = 0
    ordered = 0
    prev = ""
    for i in range(n):
        a = "k" + str(i % 10)
        b = "k" + str(i % 10)
        if a == b:
            same += 1
        if a is b:
            same += 1000
        if prev < a:
            ordered += 1
        if prev >= a:
            ordered -= 1
        prev = a
    return same, ordered, prev, sys.getrefcount(prev)


def identity_shortcut(n):
    s = "identity" * 3
    c = 0
    for i in range(n):
        if s == s:
            c += 1
        if s != s:
            c += 100
        if s <= s and s >= s and not (s < s) and not (s > s):
            c += 2
    return c


def mixed_types(n):
    others = ["abc"] * n
    others[n // 5] = 3
    others[n // 4] = None
    others[n // 3] = b"abc"
    others[n // 2] = 2.5
    others[(2 * n) // 3] = ["abc"]
    eqs = 0
    nes = 0
    errs = []
    for i in range(n):
        o = others[i]
        if "abc" == o:
            eqs += 1
        if o != "abc":
            nes += 1
        try:
            if o < "abd":
                eqs += 0
        except TypeError as e:
            errs.append((i, str(e)))
    return eqs, nes, errs


class Weird(str):
    def __eq__(self, other):
        return "weird-eq"

    def __ne__(self, other):
        return "weird-ne"

    def __lt__(self, other):
        return "weird-lt"

    def __gt__(self, other):
        return "weird-gt"

    __hash__ = str.__hash__


def subclass_midway(n):
    vals = ["x"] * n
    vals[n // 2] = Weird("x")
    vals[n // 2 + 1] = Weird("y")
    out = []
    for i in range(n):
        v = vals[i]
        r = ("x" == v, "x" != v, "x" < v, "x" > v, v == "x", v < "x")
        if i >= n // 2 - 1 and i <= n // 2 + 2:
            out.append(r)
    odd = []
    for i in range(n):
        v = vals[i]
        a = "x" == v
        b = v < "x"
        c = "x" >= v
        if a is not True or b is not False or c is not True:
            odd.append((i, a, b, c))
    return out, odd


def compare_chain(n):
    c = 0
    for i in range(n):
        a = str(i % 7)
        b = str(i % 5)
        if "0" <= a < b <= "9":
            c += 1
        if a == b == "3":
            c += 100
    return c


def sort_by_hand(n):
    items = [str((i * 7919) % 1000) for i in range(n)]
    # insertion sort with string comparisons
    for i in range(1, len(items)):
        key = items[i]
        j = i - 1
        while j >= 0 and items[j] > key:
            items[j + 1] = items[j]
            j -= 1
        items[j + 1] = key
    return items[:5], items[-5:], items == sorted(items)


print(table(196 * 3))
print(built_equal(800))
print(identity_shortcut(500))
print(mixed_types(600))
print(subclass_midway(400))
print(compare_chain(700))
print(sort_by_hand(300))

# module level, ending with an uncaught TypeError from ordering str against int
best = ""
vals = [str(i * 37 % 101) for i in range(400)] + [7]
for v in vals:
    if v > best:
        best = v
print("unreachable", best)
