# Loop-carried strings built with + and +=: a plain accumulator (the in-place
# append), an accumulator another name also holds (`last = s`, which must see
# the old value, never the grown one), prepending, two accumulators feeding
# each other, an alias kept only on some iterations, and reference counts of
# the results measured after each loop.
import sys


def accumulate(n):
    s = ""
    for i in range(n):
        s += "ab"
    return s


def accumulate_str_i(n):
    s = "start:"
    for i in range(n):
        s += str(i)
        s += ","
    return s


def aliased_last(n):
    s = "x"
    last = s
    olds = 0
    for i in range(n):
        last = s
        s += "y"
        if len(last) + 1 != len(s):
            olds += 1
    return s, last, olds


def alias_sometimes(n):
    s = "q"
    keep = []
    for i in range(n):
        s = s + "r"
        if i % 97 == 0:
            keep.append(s)
    # each kept string must still have the length it had when kept
    return [len(k) for k in keep], s.count("r"), keep


def prepend(n):
    s = ""
    for i in range(n):
        s = "<" + s
        s = s + ">"
    return s


def two_accumulators(n):
    a = "a"
    b = "b"
    for i in range(n):
        a = a + b[-1:]
        b = b + a[-1:] + "."
    return a, b


def concat_expression_chain(n):
    out = ""
    for i in range(n):
        t = "[" + str(i) + "]"
        out = out + t + "-"
    return out, t


def reassigned_each_iteration(n):
    total = 0
    s = ""
    for i in range(n):
        s = "k" + str(i % 13)
        total += len(s)
    return total, s


def same_string_twice(n):
    s = "m"
    t = s
    for i in range(n):
        s = s + "n"
        t = s
    return s is t, len(s), len(t)


def self_concat(n):
    s = "z"
    lens = []
    for i in range(n):
        if len(s) > 64:
            s = s[:3]
        s = s + s
        lens.append(len(s))
    return lens[-10:], s


def refcounts():
    r = accumulate(500)
    print("accumulate", len(r), r[:6], r[-4:], sys.getrefcount(r))
    r = accumulate_str_i(700)
    print("accumulate_str_i", len(r), r[:20], r[-12:], sys.getrefcount(r))
    s, last, olds = aliased_last(600)
    print("aliased_last", len(s), len(last), olds, s[-3:], last[-3:], sys.getrefcount(s), sys.getrefcount(last))
    lens, count, keep = alias_sometimes(800)
    print("alias_sometimes", lens, count, [sys.getrefcount(k) for k in keep])
    p = prepend(400)
    print("prepend", len(p), p[:5], p[-5:], p.count("<"), p.count(">"), sys.getrefcount(p))
    a, b = two_accumulators(300)
    print("two_accumulators", len(a), len(b), a[-6:], b[-6:], sys.getrefcount(a), sys.getrefcount(b))
    out, t = concat_expression_chain(500)
    print("concat_expression_chain", len(out), out[:24], out[-12:], t, sys.getrefcount(out), sys.getrefcount(t))
    total, s = reassigned_each_iteration(1000)
    print("reassigned_each_iteration", total, s, sys.getrefcount(s))
    same, ls, lt = same_string_twice(700)
    print("same_string_twice", same, ls, lt)
    lens, s = self_concat(300)
    print("self_concat", lens, s, sys.getrefcount(s))


refcounts()
for round_ in range(3):
    r = accumulate(200 + round_)
    print("round", round_, len(r), sys.getrefcount(r))
