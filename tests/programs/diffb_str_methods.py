# str methods in hot loops: upper/lower, split with and without separators,
# replace with a count, startswith/endswith with tuples, find/index (ValueError
# from index), strip, `in` on str, count, and the str method rebound on a
# subclass midway.
import traceback

WORDS = "the quick brown fox jumps over the lazy dog again and again".split()


def upper_lower(n):
    out = []
    for i in range(n):
        w = WORDS[i % len(WORDS)]
        out.append(w.upper() if i % 2 else w.lower().title())
    return out[:6], sum(len(x) for x in out)


def splitting(n):
    total = 0
    last = None
    for i in range(n):
        line = "a,b,,c%d, d " % i
        parts = line.split(",")
        total += len(parts) + len(line.split()) + len(line.split(",", 1))
        last = [p.strip() for p in parts]
    return total, last, "x  y\tz\n".split()


def replacing(n):
    s = "abcabcabc"
    for i in range(n):
        s = s.replace("a", "b", 1).replace("bb", "a")
        if len(s) < 5:
            s += "abc"
    return s


def prefixes(n):
    hits = [0, 0, 0, 0]
    for i in range(n):
        w = WORDS[i % len(WORDS)]
        if w.startswith("t"):
            hits[0] += 1
        if w.endswith(("n", "g")):
            hits[1] += 1
        if "o" in w:
            hits[2] += 1
        if w.startswith("ag", 0, 2) and "ai" in w:
            hits[3] += 1
    return hits


def find_index(n):
    s = "mississippi"
    acc = 0
    errs = 0
    for i in range(n):
        ch = "spqi"[i % 4]
        acc += s.find(ch) + s.rfind(ch) + s.count(ch)
        try:
            acc += s.index(ch, i % 11)
        except ValueError as e:
            errs += 1
            if errs == 1:
                traceback.print_exc()
    return acc, errs


class Shout(str):
    def upper(self):
        return "!" + str.upper(self)


def subclass_method_rebound(n):
    s = Shout("hey")
    out = []
    for i in range(n):
        if i == n // 2:
            Shout.upper = lambda self: "?" + str.lower(self)
        out.append(s.upper())
    return out[n // 2 - 1], out[n // 2], len(out)


def in_operator_types(n):
    c = 0
    for i in range(n):
        hay = "abcdef" * (i % 3)
        needle = "cd" if i % 4 else ""
        if needle in hay:
            c += 1
    try:
        1 in "abc"
    except TypeError as e:
        return c, str(e)


for f in (upper_lower, splitting, replacing, prefixes, find_index,
          subclass_method_rebound, in_operator_types):
    print(f.__name__, f(300))
