# Outer loops around inner loops of more than a hundred turns: the inner
# loop's end grows a bridge that runs the outer body compiled, then leaves at
# the inner loop's header and enters its trace again. The outer bodies change
# types, store into containers, raise, break, release objects with __del__,
# rebind globals and change what the inner loop iterates.
import sys

SCALE = 2.0


def grid(n, m):
    total = 0.0
    h = 1.0 / n
    for i in range(n):
        x = i * h
        row = 0.0
        for j in range(m):
            y = j * h
            row += x * x + y * 0.5 - x * y
        total += row * h
    return total


print(grid(40, 150))
print(grid(3, 1000))


def rows_into(out, n, m):
    for i in range(n):
        acc = 0
        for j in range(m):
            acc += (i * j) % 7
        out[i] = acc
        if i % 9 == 8:
            out.append(-i)
    return out


print(rows_into([0] * 30, 30, 120))


def changes_type(n, m):
    acc = 0
    for i in range(n):
        for j in range(m):
            acc += j
        if i == n // 2:
            acc = float(acc)
        if i == n - 3:
            acc = str(acc)
            break
    return acc


print(changes_type(20, 130))


def raises_in_outer(n, m):
    caught = []
    for i in range(n):
        s = 0
        for j in range(m):
            s += j & 3
        try:
            if i % 7 == 6:
                raise ValueError(i, s)
        except ValueError as e:
            caught.append(e.args)
    return caught


print(raises_in_outer(25, 140))


class Noisy:
    log = []

    def __init__(self, k):
        self.k = k

    def __del__(self):
        Noisy.log.append(self.k)


def releases_in_outer(n, m):
    held = None
    for i in range(n):
        t = 0
        for j in range(m):
            t += 1
        held = Noisy(i + t)
    del held
    return Noisy.log[-5:], len(Noisy.log)


print(releases_in_outer(12, 110))


def uses_global(n, m):
    global SCALE
    out = []
    for i in range(n):
        t = 0.0
        for j in range(m):
            t += SCALE
        out.append(t)
        if i == n // 2:
            SCALE = 3
    return out


print(uses_global(10, 200))


def grows_inner_list(n):
    items = list(range(120))
    sums = []
    for i in range(n):
        s = 0
        for v in items:
            s += v
        sums.append(s)
        items.append(i)
        if i == n - 4:
            items = [1.5] * 130
    return sums


print(grows_inner_list(16))


def breaks_inner(n, m):
    found = []
    for i in range(n):
        for j in range(m):
            if j * i > 1500:
                found.append((i, j))
                break
        else:
            found.append((i, None))
    return found


print(breaks_inner(30, 200))


def nested_while(n, m):
    i = 0
    total = 0
    while i < n:
        j = 0
        while j < m:
            total += i ^ j
            j += 1
        i += 1
    return total


print(nested_while(20, 150))


def three_deep(a, b, c):
    total = 0
    for i in range(a):
        for j in range(b):
            for k in range(c):
                total += i * j - k
    return total


print(three_deep(6, 5, 130))


def traced_outer(n, m):
    events = []

    def tracer(frame, event, arg):
        if event == "line" and frame.f_code.co_name == "traced_outer":
            events.append(frame.f_lineno)
        return tracer

    total = 0
    for i in range(n):
        for j in range(m):
            total += j
        if i == n - 2:
            sys.settrace(tracer)
            sys._getframe().f_trace = tracer
    sys.settrace(None)
    return total, len(events) > 0


print(traced_outer(12, 150))
