# Dict counting idioms in hot loops: d[k] = d.get(k, 0) + 1, setdefault with
# list values, `in` / `not in`, del d[k] and pop, KeyError caught and
# uncaught-style (printed through traceback.print_exc), and a value whose type
# changes midway (int counts become floats).
import sys
import traceback


def count_get(n):
    d = {}
    for i in range(n):
        k = (i * 13) % 17
        d[k] = d.get(k, 0) + 1
    return sorted(d.items())


def count_setdefault(n):
    groups = {}
    for i in range(n):
        groups.setdefault(i % 7, []).append(i)
        groups.setdefault("s" + str(i % 3), 0)
    return [(k, len(v) if isinstance(v, list) else v) for k, v in groups.items()]


def membership_and_del(n):
    d = {}
    log = []
    for i in range(n):
        k = i % 23
        if k in d:
            del d[k]
            log.append(-k)
        elif k not in d:
            d[k] = i
            log.append(k)
        if i % 50 == 49:
            log.append(d.pop(3, "none"))
    return log[-12:], sorted(d)


def keyerror_in_loop(n):
    d = {i: i * i for i in range(0, 40, 3)}
    total = 0
    missing = 0
    for i in range(n):
        try:
            total += d[i % 40]
        except KeyError as e:
            missing += 1
            if missing == 5:
                traceback.print_exc()
            if e.args[0] != i % 40:
                raise
    return total, missing


def type_change(n):
    d = {"a": 0, "b": 0}
    for i in range(n):
        key = "a" if i % 2 else "b"
        if i == n // 2:
            d["a"] = float(d["a"])
        d[key] += 1
    return d, type(d["a"]).__name__, type(d["b"]).__name__


def del_missing(n):
    d = {k: k for k in range(10)}
    errs = 0
    for i in range(n):
        try:
            del d[i % 12]
        except KeyError:
            errs += 1
        d[i % 10] = i
    return sorted(d.items()), errs


def pop_default_and_update(n):
    d = {}
    out = 0
    for i in range(n):
        d[i % 11] = i
        out += d.pop(i % 13, -1)
        if i % 100 == 0:
            d.update({100 + i: i}, extra=i)
    return out, len(d), d.get("extra")


for f in (count_get, count_setdefault, membership_and_del, keyerror_in_loop,
          type_change, del_missing, pop_default_and_update):
    print(f.__name__, f(400))
print("done", file=sys.stderr)
