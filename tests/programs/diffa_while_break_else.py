# while loops with break, continue and else in hot code: else runs only when
# the condition turns false, break skips it, continue before the increment is
# skipped (guarded), while True with several exits, conditions of changing
# type (int, then float, then None), a condition whose __bool__ raises, and
# an object with __del__ dropped at a break.
import traceback


class Noisy:
    def __init__(self, tag):
        self.tag = tag

    def __del__(self):
        print("del", self.tag)


class Flaky:
    def __init__(self, limit):
        self.n = 0
        self.limit = limit

    def __bool__(self):
        self.n += 1
        if self.n > self.limit:
            raise RuntimeError("bool after %d" % self.limit)
        return True


def else_vs_break(n):
    out = []
    for target in (n, n // 2, -1):
        i = 0
        t = 0
        while i < n:
            if i == target:
                out.append(("break", i, t))
                break
            t += i
            i += 1
        else:
            out.append(("else", i, t))
    return out


def continue_paths(n):
    i = 0
    t = 0
    skipped = 0
    while i < n:
        i += 1
        if i % 3 == 0:
            skipped += 1
            continue
        if i % 7 == 0:
            t -= i
            continue
        t += i
    else:
        t += 1000000
    return t, skipped


def many_exits(n):
    i = 0
    x = 1
    while True:
        i += 1
        x = (x * 5 + 3) % 1009
        if x == 0:
            return "zero", i
        if i > n:
            break
        if x > 1000:
            return "big", i, x
    return "count", i, x


def changing_condition(n):
    cond = n
    steps = 0
    while cond:
        steps += 1
        if isinstance(cond, int):
            cond -= 1
            if cond == n // 2:
                cond = float(cond)
        elif isinstance(cond, float):
            cond -= 1.0
            if cond < n / 4:
                cond = None
    return steps, cond


def raising_bool(n):
    f = Flaky(n)
    t = 0
    while f:
        t += 1
    return t


def del_at_break(n):
    i = 0
    holder = None
    while i < n:
        holder = Noisy(i) if i % 100 == 0 else holder
        if i == n - 3:
            break
        i += 1
    print("before drop", i)
    holder = None
    print("after drop")
    return i


print("else_vs_break", else_vs_break(400))
print("continue_paths", continue_paths(600))
print("many_exits", many_exits(500), many_exits(3))
print("changing_condition", changing_condition(400))
try:
    raising_bool(300)
except RuntimeError:
    traceback.print_exc()
print("del_at_break", del_at_break(350))
