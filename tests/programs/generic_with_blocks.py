# `with` blocks inside hot loops: __enter__/__exit__ order, what __enter__
# returns, exceptions in the body suppressed or not, managers that misbehave.
import contextlib
import sys
import threading

log = []


class Managed:
    def __init__(self, name):
        self.name = name
        self.entered = 0

    def __enter__(self):
        self.entered += 1
        log.append(("enter", self.name))
        return self.entered

    def __exit__(self, kind, value, tb):
        log.append(("exit", self.name, kind.__name__ if kind else None))
        return kind is KeyError  # swallow KeyErrors only

    def __del__(self):
        log.append(("del", self.name))


def plain_manager(n):
    total = 0
    m = Managed("m")
    for i in range(n):
        with m as k:
            total += k + i
    return total, len(log)


print(plain_manager(300))
log.clear()


def fresh_manager_each_time(n):
    total = 0
    for i in range(n):
        with Managed(i % 3) as k:
            total += k
    return total, log[-6:]


print(fresh_manager_each_time(200))
log.clear()


def body_raises(n):
    out = []
    m = Managed("r")
    for i in range(n):
        try:
            with m:
                if i % 7 == 0:
                    raise KeyError(i)  # swallowed by __exit__
                if i % 11 == 0:
                    raise ValueError(i)  # passes through
                out.append(i)
        except ValueError as e:
            out.append(("caught", e.args[0]))
    return sum(x if isinstance(x, int) else -1 for x in out), log[-4:]


print(body_raises(400))
log.clear()


def lock_counter(n):
    lock = threading.Lock()
    count = 0
    for i in range(n):
        with lock:
            count += i & 3
    return count, lock.locked()


print(lock_counter(5000))


def suppress_loop(n):
    total = 0
    for i in range(n):
        with contextlib.suppress(ZeroDivisionError):
            total += 100 // (i % 5)
    return total


print(suppress_loop(500))


def nested_withs(n):
    a, b = Managed("a"), Managed("b")
    total = 0
    for i in range(n):
        with a as x, b as y:
            total += x * y
    return total, log[-4:]


print(nested_withs(100))
log.clear()


class NoEnter:
    def __exit__(self, *exc):
        return False


class NoExit:
    def __enter__(self):
        return self


class EnterRaises:
    def __enter__(self):
        raise RuntimeError("no entry")

    def __exit__(self, *exc):
        log.append("exit should not run")


class ExitRaises:
    def __enter__(self):
        return 1

    def __exit__(self, *exc):
        raise OSError("exit failed")


def bad_manager(n, bad_at, manager):
    total = 0
    good = Managed("g")
    for i in range(n):
        with (manager if i == bad_at else good) as k:
            total += k
    return total


for manager in (NoEnter(), NoExit(), EnterRaises(), ExitRaises(), 42):
    try:
        print(bad_manager(100, 60, manager))
    except Exception as e:
        print(type(e).__name__, e, e.__traceback__.tb_next.tb_lineno)
log.clear()


def exit_sees_frame(n):
    seen = []

    class Peek:
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            seen.append(sys._getframe(1).f_locals["i"])

    p = Peek()
    for i in range(n):
        with p:
            pass
    return seen[-3:], len(seen)


print(exit_sees_frame(50))


def with_returns_from_loop(n):
    m = Managed("ret")
    for i in range(n):
        with m:
            if i == n - 5:
                return i, log[-3:]


print(with_returns_from_loop(80))
log.clear()


def with_break_continue(n):
    m = Managed("bc")
    total = 0
    for i in range(n):
        with m as k:
            if i % 3 == 0:
                continue
            if i == n - 2:
                break
            total += k
    return total, log[-2:]


print(with_break_continue(90))
del log[:]
print("done")
