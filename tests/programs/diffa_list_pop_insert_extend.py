# list.pop / insert / extend / remove in hot loops: a stack and a queue, pop of
# a negative index, pop from an empty list (IndexError caught), insert at
# out-of-range positions (clamped), extend by itself, by a generator and by a
# tuple, and remove of a missing value raising.
import traceback


def stack(n):
    st = []
    out = 0
    for i in range(n):
        if i % 3 == 2:
            out += st.pop()
        else:
            st.append(i)
    return out, len(st)


def queue(n):
    q = list(range(10))
    t = 0
    for i in range(n):
        t += q.pop(0)
        q.append(i)
    return t, q[:3]


def pop_negative(n):
    xs = list(range(n * 2))
    t = 0
    for i in range(n):
        t += xs.pop(-2) - xs.pop(-(i % 3) - 1) if len(xs) > 3 else 0
    return t, len(xs)


def pop_empty(n):
    xs = []
    got = 0
    errs = []
    for i in range(n):
        if i % 4 == 0:
            xs.append(i)
        try:
            got += xs.pop()
            got += xs.pop()
        except IndexError as e:
            errs.append(str(e))
    return got, len(errs), errs[0]


def insert_clamped(n):
    xs = []
    for i in range(n):
        xs.insert(i * 7 - 300, i)
    return xs[:5], xs[-5:], len(xs)


def extend_variants(n):
    xs = [1]
    for i in range(n):
        if i % 4 == 0:
            xs.extend((i, i + 1))
        elif i % 4 == 1:
            xs.extend(k * 2 for k in range(i % 5))
        elif i % 4 == 2 and len(xs) < 200:
            xs.extend(xs)
        else:
            xs += [i]
    return len(xs), sum(xs), xs[-4:]


def remove_missing(n):
    xs = list(range(n // 2))
    for i in range(n):
        xs.remove(i)


print("stack", stack(600))
print("queue", queue(500))
print("pop_negative", pop_negative(300))
print("pop_empty", pop_empty(300))
print("insert_clamped", insert_clamped(200))
print("extend_variants", extend_variants(400))
try:
    remove_missing(300)
except ValueError:
    traceback.print_exc()
