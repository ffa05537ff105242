# New strings moved around the value stack by the instructions CPython uses
# for compound expressions: chained comparisons (COPY / SWAP, and a POP_TOP
# of the copy when the chain stops early), conditional expressions as an
# operand of +, `x = y = s + t` (COPY), `s + s` (one string as both operands),
# walrus assignments, tuple building and unpacking, augmented assignment to a
# subscript (`d[k] += s`), and f-strings over new strings.
import sys


def chains(n):
    c = [0, 0, 0, 0]
    for i in range(n):
        a = str(i % 7)
        b = str(i % 5)
        if a < b < "9":
            c[0] += 1
        if "0" <= a < b <= "9":
            c[1] += 1
        if a == b == "3":
            c[2] += 1
        if a != b != "2" != a:
            c[3] += 1
    return c, sys.getrefcount(a), sys.getrefcount(b)


def chains_of_slices(n):
    s = "0123456789"
    c = 0
    for i in range(n):
        a = s[i % 7:i % 7 + 2]
        b = s[i % 5:i % 5 + 2]
        if a < b < "9":
            c += 1
        if a < b[:1] + "z" >= a:
            c += 10
    return c


def conditional_operand(n):
    s = "c"
    for i in range(n):
        s = s + ("x" if i % 3 else "y") + ("" if i % 2 else "-")
    return len(s), s[:12], sys.getrefcount(s)


def double_assign(n):
    out = []
    for i in range(n):
        x = y = "k" + str(i % 4)
        y = y + "!"
        if i % 97 == 0:
            out.append((x, y))
    return out, sys.getrefcount(x), sys.getrefcount(y)


def both_operands(n):
    total = 0
    last = ""
    for i in range(n):
        t = str(i % 100)
        u = t + t
        last = u + u
        total += len(last)
    return total, last, sys.getrefcount(last), sys.getrefcount(u)


def walrus(n):
    found = []
    for i in range(n):
        if (t := "w" + str(i % 50)) in "w1w2w3" or (u := t[:2]) == "w4":
            found.append(t)
    return found[:8], len(found)


def tuples(n):
    acc = ""
    for i in range(n):
        p, q = "p" + str(i % 3), "q" + str(i % 4)
        q, p = p, q
        pair = (p + q, q + p)
        acc = pair[i % 2][-2:] + acc[:30]
    return acc, sys.getrefcount(acc)


def subscript_augmented(n):
    d = {"a": "", "b": ""}
    lst = ["", ""]
    for i in range(n):
        k = "ab"[i % 2]
        d[k] += str(i % 10)
        lst[i % 2] += k
    return {k: len(v) for k, v in sorted(d.items())}, [len(v) for v in lst], d["a"][:10]


def fstrings(n):
    out = ""
    for i in range(n):
        t = "v" + str(i % 9)
        out = f"{t}|{out[:20]}"
    return out, sys.getrefcount(out)


print(chains(700))
print(chains_of_slices(700))
print(conditional_operand(600))
print(double_assign(500))
print(both_operands(600))
print(walrus(400))
print(tuples(500))
print(subscript_augmented(600))
print(fstrings(500))

# module level chained comparison over new strings
count = 0
for i in range(800):
    a = str(i % 11)
    b = str(i % 13)
    if a <= b < "7":
        count += 1
print(count, sys.getrefcount(a), sys.getrefcount(b))
