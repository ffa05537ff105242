# String building in hot loops: += on a local (the in-place resize fast path
# of CPython when the string has one reference), += when another name also
# holds the string, join, slicing with steps and negative bounds, indexing
# out of range (IndexError), and a str that becomes bytes midway (TypeError).
import traceback


def plus_equals(n):
    s = ""
    for i in range(n):
        s += "ab"[i % 2]
    return len(s), s[:10], s[-5:]


def plus_equals_aliased(n):
    s = "x"
    keep = []
    for i in range(n):
        t = s
        s += str(i % 10)
        if i % 100 == 0:
            keep.append(t)
    return len(s), [len(k) for k in keep], keep[1][-3:], s is not t


def join_parts(n):
    parts = []
    out = 0
    for i in range(n):
        parts.append(chr(97 + i % 26))
        if i % 50 == 49:
            out += len(",".join(parts))
            parts = parts[-3:]
    return out, "-".join(parts)


def slicing(n):
    s = "".join(chr(65 + i % 26) for i in range(100))
    acc = []
    for i in range(n):
        a = i % 30
        acc.append(s[a:a + 3] + s[-a - 1:] [:2] + s[::7][a % 10] + s[a::-9][:1])
    return acc[:4], acc[-2:], len(set(acc))


def index_errors(n):
    s = "hello"
    out = []
    errs = 0
    for i in range(n):
        try:
            out.append(s[i % 7 - 1])
        except IndexError as e:
            errs += 1
            msg = str(e)
    return "".join(out[:14]), errs, msg


def str_becomes_bytes(n):
    s = ""
    for i in range(n):
        if i == n - 5:
            s = s.encode()
        s += "z"
    return len(s)


def multiply_and_compare(n):
    c = 0
    for i in range(n):
        a = "ab" * (i % 5)
        b = "ab" * ((i + 1) % 5)
        if a < b:
            c += 1
        if a == b[: len(a)]:
            c += 10
        if a >= "abab":
            c += 100
    return c


for f in (plus_equals, plus_equals_aliased, join_parts, slicing, index_errors, multiply_and_compare):
    print(f.__name__, f(300))
try:
    print(str_becomes_bytes(300))
except TypeError:
    traceback.print_exc()
