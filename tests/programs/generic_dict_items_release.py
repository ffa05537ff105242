# `for k, v in d.items()` keeps the last (key, value) in the iterator's reused
# result tuple until the next turn: values dropped from the dict die exactly
# when CPython's FOR_ITER lets go of them, compiled or not.
import sys


class Noisy:
    log = []

    def __init__(self, name):
        self.name = name

    def __del__(self):
        frame = sys._getframe(1)
        Noisy.log.append((self.name, frame.f_code.co_name, frame.f_lineno))


def values_replaced(n):
    d = {i: Noisy(i) for i in range(n)}
    kept = []
    for k, v in d.items():
        d[k] = k
        kept.append(v.name)
    Noisy.log.append("loop done")
    return kept[-3:]


print(values_replaced(40))
print(Noisy.log)
Noisy.log.clear()


def pairs_dropped(n):
    d = {i: Noisy(-i) for i in range(n)}
    total = 0
    for pair in d.items():
        d[pair[0]] = None
        total += pair[0]
    Noisy.log.append("loop done")
    return total


print(pairs_dropped(40))
print(Noisy.log)
