# Str methods called from compiled loops: results of every kind (str, list,
# tuple, int, bool), receivers and arguments that change type midway, methods
# that raise (caught and not), and arguments of unusual types.


def fields(lines):
    total = 0
    caps = []
    for line in lines:
        parts = line.strip().split(",")
        total += len(parts)
        if line.startswith("a"):
            caps.append(line.upper())
        total += line.find("x") + line.count(",")
        if line.strip().isdigit():
            total += 1000
    return total, len(caps), caps[:3]


lines = [f"a{i},b,{i}x " for i in range(300)] + ["  123  ", "abc", "zz,"] * 50
print(fields(lines))


def rebuild(n):
    out = []
    for i in range(n):
        s = "-".join(["k", str(i), "v"])
        a, sep, b = s.partition("-")
        out.append(s.replace("-", "+").rstrip("v") + b.zfill(8) + a.center(5, "*"))
        out.append(s.title().swapcase().removeprefix("K").ljust(12, ".") + sep)
    return out[-4:], len(out), sum(len(x) for x in out)


print(rebuild(400))


def not_found(items):
    n = 0
    for s in items:
        try:
            n += s.index("q")
        except ValueError as e:
            n -= 1
            last = str(e)
    return n, last


print(not_found(["aq", "b", "qq", "zzzq"] * 50))


def changing_receiver(items):
    n = 0
    for s in items:
        n += len(s.split())
    return n


print(changing_receiver(["a b", "c d e"] * 40 + ["q"] * 10))
try:
    print(changing_receiver(["a b", "c d e"] * 40 + [b"x y", 5]))
except AttributeError as e:
    print("AttributeError", e)


def odd_arguments(items, seps):
    out = []
    for s, sep in zip(items, seps):
        try:
            out.append(s.split(sep))
        except TypeError as e:
            out.append(("TypeError", str(e)))
    return out[-6:]


seps = [","] * 60 + [None, 3, ("a",), 2.5, True, [","]]
print(odd_arguments(["x,y z,w"] * len(seps), seps))


def starts(words, prefixes):
    hits = 0
    for w in words:
        if w.startswith(prefixes) or w.endswith(("z", "y")):
            hits += 1
        hits += w.rfind("a", 1) + w.count("a", 2)
    return hits


print(starts(["banana", "apple", "cherry", "kiwiz"] * 100, ("ap", "ch")))


def predicates(text):
    counts = [0] * 8
    for ch in text:
        counts[0] += ch.isalpha()
        counts[1] += ch.isdigit()
        counts[2] += ch.isspace()
        counts[3] += ch.isupper()
        counts[4] += ch.islower()
        counts[5] += ch.isalnum()
        counts[6] += ch.isidentifier()
        counts[7] += ch.isprintable()
    return counts


print(predicates("Hello World 123 ÄÖü\t\n_x9" * 30))


class Text(str):
    def upper(self):
        return "sub:" + self


def subclass_receiver(items):
    out = []
    for s in items:
        out.append(s.upper())
    return out[-3:]


print(subclass_receiver(["ab", "cd"] * 40 + [Text("ef"), "gh"]))


def lines_of(blocks):
    n = 0
    longest = ""
    for b in blocks:
        for piece in b.splitlines(True):
            n += 1
        head, _, tail = b.rpartition("\n")
        if len(tail) > len(longest):
            longest = tail.expandtabs(4).casefold()
    return n, longest


print(lines_of([f"a\tb\nc{i}\r\nd" + "\tX" * (i % 7) for i in range(200)]))


def elements_of_made_lists(rows):
    # Elements outlive the list split made: unpacked, indexed, kept across
    # iterations (identity included) and appended.
    keys = []
    previous_key = None
    total = 0
    for row in rows:
        key, value = row.split("=")
        word = row.split("=")[-1]
        keys.append(key)
        total += len(value) + len(word)
        if previous_key is not None and previous_key is not key:
            total += 1
        previous_key = key
    return total, keys[-3:], previous_key


print(elements_of_made_lists([f"k{i}=v{i * i}" for i in range(300)]))


def element_of_last_turns_list(rows):
    # `first` comes from the list made on the turn before, freed when `parts`
    # is rebound: not compiled (named reason), and still the right answer.
    total = 0
    parts = ["start"]
    for row in rows:
        first = parts[0]
        parts = row.upper().split("=")
        total += len(first)
    return total, parts, first


print(element_of_last_turns_list([f"k{i}=v{i * i}" for i in range(300)]))


def separators_kept(rows, sep):
    # partition's tuple holds `sep` itself: every reference the loop takes to
    # it (unpacked, kept, dropped) is given back.
    import sys

    before = sys.getrefcount(sep)
    kept = []
    for row in rows:
        key, found, value = row.partition(sep)
        if len(kept) < 5:
            kept.append(found)
    middle = sys.getrefcount(sep) - before
    kept.clear()
    return middle, sys.getrefcount(sep) - before


print(separators_kept([f"k{i}=>v{i}" for i in range(300)], "".join(["=", ">"])))
