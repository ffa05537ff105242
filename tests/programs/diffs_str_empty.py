# Empty strings in every role of compiled string operations: "" + "" and
# s + "" / "" + s (CPython hands back the other operand itself), empty slices
# (s[5:2], s[len:], s[:0]) which are the shared empty string, `"" in s`
# (always True), `s in ""`, comparisons against "", str() results compared with
# "", and accumulators that start or stay empty; identities are checked where
# CPython's answer is fixed (the empty string is a singleton).
import sys

EMPTY = ""


def plus_empty(n):
    s = "base" + str(n)
    same_left = 0
    same_right = 0
    e = ""
    for i in range(n):
        t = s + e
        u = e + s
        if t is s:
            same_left += 1
        if u is s:
            same_right += 1
        e = e + e
    return same_left, same_right, e == "", e is EMPTY, sys.getrefcount(s)


def empty_slices(n):
    s = "abcdefgh"
    empties = 0
    identical = 0
    for i in range(n):
        k = i % 12
        p = s[k:k - 3]
        q = s[len(s) + k:]
        r = s[:0]
        w = s[-k - 20:-k - 12]
        if p == "" and q == "" and r == "" and w == "":
            empties += 1
        if p is EMPTY and q is EMPTY and r is EMPTY:
            identical += 1
    return empties, identical


def empty_contains(n):
    hays = ["", "a", "\xe9", "\U0001f600", "abc"]
    c1 = c2 = c3 = 0
    for i in range(n):
        h = hays[i % 5]
        if "" in h:
            c1 += 1
        if h in "":
            c2 += 1
        if "" not in h:
            c3 += 1000
        if h not in "":
            c3 += 1
    return c1, c2, c3


def empty_compare(n):
    vals = ["", "\x00", " ", "a", ""[0:0]]
    out = [0] * 6
    for i in range(n):
        v = vals[i % 5]
        if v == "":
            out[0] += 1
        if v != "":
            out[1] += 1
        if v < "":
            out[2] += 1
        if "" < v:
            out[3] += 1
        if v <= "":
            out[4] += 1
        if "" >= v:
            out[5] += 1
    return out


def stays_empty(n):
    s = ""
    for i in range(n):
        s += ""
        s = s[3:]
        s = s + s
    return s, s is EMPTY, len(s)


def starts_empty_grows(n):
    s = ""
    firsts = []
    for i in range(n):
        s += "" if i % 3 else str(i)[:1]
        if len(s) == 1:
            firsts.append(s)
    return len(s), s[:20], firsts, sys.getrefcount(s)


def shrink_to_empty_and_back(n):
    s = "x" * 50
    empties = 0
    for i in range(n):
        s = s[2:]
        if not s:
            empties += 1
            s = "y" * (i % 40 + 1)
    return empties, s, sys.getrefcount(s)


print(plus_empty(600))
print(empty_slices(700))
print(empty_contains(500))
print(empty_compare(500))
print(stays_empty(400))
print(starts_empty_grows(600))
print(shrink_to_empty_and_back(900))

# module level: an empty accumulator and empty pieces
acc = ""
pieces = ["", "", "q", ""]
for i in range(800):
    acc = acc + pieces[i % 4]
    acc = acc[:100]
print(len(acc), acc[:5], sys.getrefcount(acc))
