# Loop-carried strings moving between variables: swaps (`a, b = b, a + "x"`),
# three-way rotations, a variable that holds a new string on one path and a
# constant on another, fibonacci-like string growth, strings that alternate
# between two variables, and the reference counts of all of them afterwards.
import sys


def swap_concat(n):
    a, b = "a", "b"
    for i in range(n):
        a, b = b, a + "x"
    return len(a), len(b), a[:2], b[:2], sys.getrefcount(a), sys.getrefcount(b)


def swap_both_made(n):
    a, b = "a" + str(n), "b" + str(n)
    for i in range(n):
        a, b = b + "1", a + "2"
        a = a[-20:]
        b = b[-20:]
    return a, b, sys.getrefcount(a), sys.getrefcount(b)


def rotate3(n):
    x, y, z = "x", "y", "z"
    for i in range(n):
        x, y, z = y, z, x + str(i % 3)
        x = x[-15:]
    return x, y, z, [sys.getrefcount(v) for v in (x, y, z)]


def fib_strings(n):
    a, b = "0", "1"
    lens = []
    for i in range(n):
        a, b = b, a + b
        if len(b) > 5000:
            a, b = a[-10:], b[-10:]
        lens.append(len(b))
    return lens[-8:], a, b, sys.getrefcount(a), sys.getrefcount(b)


def path_dependent(n):
    s = "start"
    made = 0
    for i in range(n):
        if i % 5 == 0:
            s = "reset"
        else:
            s = s + str(i % 5)
            made += 1
    return s, made, sys.getrefcount(s)


def alternate_holders(n):
    cur = ""
    prev = ""
    for i in range(n):
        prev, cur = cur, prev + "ab"[i % 2]
    return len(cur), len(prev), cur[-4:], prev[-4:], sys.getrefcount(cur), sys.getrefcount(prev)


def tmp_swap(n):
    a = "A" + str(n)
    b = "B" + str(n)
    for i in range(n):
        t = a
        a = b
        b = t + "."
        b = b[-10:]
    return a, b, sys.getrefcount(a), sys.getrefcount(b)


def self_assign(n):
    s = "self" + str(n)
    for i in range(n):
        s = s
        t = s
        s = t
        s = s[:]
    return s, sys.getrefcount(s)


def swap_with_int_midway(n):
    a, b = "p", "q"
    for i in range(n):
        if i == n // 2:
            b = len(b)
        a, b = b, a + ("r" if type(a) is str else "s") if type(a) is str else a
    return a, b


print(swap_concat(600))
print(swap_both_made(500))
print(rotate3(700))
print(fib_strings(400))
print(path_dependent(800))
print(alternate_holders(900))
print(tmp_swap(500))
print(self_assign(600))
print(swap_with_int_midway(400))

# module-level swap, ending with an uncaught TypeError (str + None)
p, q = "", ""
for i in range(500):
    p, q = q, p + "z"
    if i == 480:
        q = None
print("unreachable")
