# A loop calling a small function, run at every depth up to the recursion
# limit: where CPython's call raises RecursionError, so must the compiled loop.
# Depths are relative to the first one where a bare call raises, so that the
# frames of whatever runs this script do not matter.
import sys


def inc(x):
    return x + 1


def loop(n):
    t = 0
    for i in range(n):
        # The first iterations call nothing: the compiled loop is entered
        # before any call could raise.
        t = inc(t) if i >= 10 else t + 1
    return t


def bare(n):
    return inc(n)


def at_depth(depth, body, n):
    if depth > 0:
        return at_depth(depth - 1, body, n)
    return body(n)


def first_failure(body):
    for depth in range(0, 200):
        try:
            at_depth(depth, body, 300)
        except RecursionError:
            return depth
    return None


sys.setrecursionlimit(150)
for i in range(3):
    loop(300)  # hot and compiled before the runs near the limit
print(first_failure(loop) - first_failure(bare))
