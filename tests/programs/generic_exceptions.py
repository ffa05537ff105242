# Exceptions raised by called code inside compiled loops: caught, uncaught,
# with finally blocks and tracebacks through several frames.
import traceback

def check(v):
    if v % 97 == 96:
        raise ValueError(f"bad value {v}")
    return v

def caught(n):
    total = 0
    errors = []
    for i in range(n):
        try:
            total += check(i)
        except ValueError as e:
            errors.append(str(e))
        finally:
            total += 1
    return total, errors

def inner(i):
    return {"a": 1}["b" if i == 250 else "a"]

def uncaught_with_traceback(n):
    t = 0
    for i in range(n):
        t += inner(i)
    return t

print(caught(500))
try:
    uncaught_with_traceback(400)
except KeyError:
    tb = traceback.format_exc()
    print(tb.replace(__file__, "FILE"))
