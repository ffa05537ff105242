# A called function that raises now and then, caught in the hot loop: the
# raising iterations fall on the iterations a recording would start at (every
# 2nd and 4th, matching a threshold of 2 and its backoff), so the callee must
# still be inlined on the common path. Handlers, else/finally and tracebacks
# must be CPython's.
import traceback


def parse(i):
    if i % 2 == 0:
        raise ValueError(i)
    return i * 2


def parse_rarely(i):
    if i % 4 == 0:
        raise KeyError(f"k{i}")
    return i + 1


def caught(n):
    total = 0
    errors = 0
    for i in range(n):
        try:
            total += parse(i)
        except ValueError as e:
            errors += e.args[0] % 3
    return total, errors


def with_else_finally(n):
    log = []
    ok = 0
    for i in range(n):
        try:
            v = parse_rarely(i)
        except KeyError as e:
            log.append(str(e))
        else:
            ok += v
        finally:
            ok += 1
    return ok, log[:3], len(log)


def uncaught_after_many(n):
    total = 0
    for i in range(1, n):
        if i < n - 5:
            try:
                total += parse(i)
            except ValueError:
                total -= 1
        else:
            total += parse(i * 2)
    return total


print(caught(400))
print(with_else_finally(400))
try:
    uncaught_after_many(300)
except ValueError:
    traceback.print_exc()
