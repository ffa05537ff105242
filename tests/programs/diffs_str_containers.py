# Strings stored into lists, dicts, sets and attributes while they are being
# built: the stored object must keep the value it had when stored (the append
# may grow a string in place only when nothing else holds it), dict keys built
# by concatenation (their hash is cached, so they must never be grown in place
# afterwards), attributes assigned from the accumulator, and reference counts
# of the stored strings after the loops.
import sys


def list_snapshots(n):
    s = ""
    snaps = []
    for i in range(n):
        s += "abc"[i % 3]
        if i % 50 == 0:
            snaps.append(s)
    return [len(x) for x in snaps], snaps[2], [sys.getrefcount(x) for x in snaps[:3]], sys.getrefcount(s)


def list_slot_store(n):
    slots = ["", "", ""]
    for i in range(n):
        k = i % 3
        slots[k] = slots[k] + str(i % 10)
    return [len(x) for x in slots], [x[-5:] for x in slots], [sys.getrefcount(x) for x in slots]


def dict_keys_built(n):
    d = {}
    s = "k"
    for i in range(n):
        s += str(i % 13)
        if i % 10 == 9:
            d[s] = i
        s = s[-6:]
    lookups = 0
    for key in list(d):
        if d.get(key[:] + "") is not None:
            lookups += 1
    return len(d), lookups, sorted(d.items())[:5]


def hashed_then_grown(n):
    s = "h" + str(n)
    seen = set()
    wrong = 0
    for i in range(n):
        s += "x"
        if i % 64 == 0:
            # hash is computed (and cached) for s, but s itself is not kept
            if s in seen:
                wrong += 1
            seen.add(s + "")
    again = 0
    for t in seen:
        if (t[:] + "") in seen:
            again += 1
    return len(s), wrong, len(seen), again, hash(s) == hash(s[:] + "")


def dict_values_accumulate(n):
    d = {"a": "", "b": ""}
    for i in range(n):
        key = "ab"[i % 2]
        d[key] = d[key] + key.upper()
        d[key] += "."
    return {k: (len(v), v[:6]) for k, v in sorted(d.items())}, [sys.getrefcount(v) for k, v in sorted(d.items())]


class Node:
    def __init__(self):
        self.name = ""
        self.log = ""


def attribute_build(n):
    node = Node()
    other = Node()
    for i in range(n):
        node.name = node.name + str(i % 7)
        node.log += "+"
        if i % 100 == 0:
            other.name = node.name
    return len(node.name), node.name[-7:], len(node.log), len(other.name), other.name[-3:], \
        sys.getrefcount(node.name), sys.getrefcount(other.name)


def local_and_attr_alias(n):
    node = Node()
    s = ""
    for i in range(n):
        s += "z"
        node.log = s
    return len(s), len(node.log), node.log is s, sys.getrefcount(s)


def tuple_and_list_hold(n):
    s = "t"
    pairs = []
    for i in range(n):
        s = s + "."
        if i % 40 == 0:
            pairs.append((i, s))
        s += ":"
    return [(i, len(x)) for i, x in pairs[:5]], len(s), [sys.getrefcount(x) for _, x in pairs[:3]]


def dict_key_then_append(n):
    # s is used as a dict key (hash cached), then removed from the dict, then
    # appended to: the result must hash correctly
    d = {}
    s = "d"
    for i in range(n):
        s += "q"
        d[s] = 1
        del d[s]
    d[s] = 2
    return len(s), d.get("d" + "q" * n), hash(s) == hash("d" + "q" * n)


print(list_snapshots(600))
print(list_slot_store(900))
print(dict_keys_built(800))
print(hashed_then_grown(1000))
print(dict_values_accumulate(700))
print(attribute_build(800))
print(local_and_attr_alias(500))
print(tuple_and_list_hold(400))
print(dict_key_then_append(600))
