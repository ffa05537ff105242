# with blocks inside hot loops: context managers whose __exit__ suppresses the
# exception (returns True) or lets it through, __enter__ returning a value,
# __exit__ that raises its own exception (replacing the original, with the
# original as __context__), contextlib.suppress and contextmanager-based
# managers, and break/continue/return leaving a with block.
import contextlib
import traceback


class Suppress:
    def __init__(self, *types):
        self.types = types
        self.entered = 0
        self.suppressed = 0

    def __enter__(self):
        self.entered += 1
        return self.entered

    def __exit__(self, et, ev, tb):
        if et is not None and issubclass(et, self.types):
            self.suppressed += 1
            return True
        return False


class Loud:
    log = []

    def __init__(self, tag):
        self.tag = tag

    def __enter__(self):
        Loud.log.append(("in", self.tag))
        return self

    def __exit__(self, et, ev, tb):
        Loud.log.append(("out", self.tag, et.__name__ if et else None))
        if self.tag == "explode" and et is not None:
            raise RuntimeError("exit failed")


def suppressing(n):
    cm = Suppress(ZeroDivisionError)
    t = 0
    for i in range(n):
        with cm as k:
            t += k
            t += 100 // (i % 7)
    return t, cm.entered, cm.suppressed


def not_suppressed(n):
    cm = Suppress(KeyError)
    caught = 0
    for i in range(n):
        try:
            with cm:
                if i % 10 == 0:
                    raise ValueError(i)
        except ValueError:
            caught += 1
    return caught, cm.suppressed


def exit_raises(n):
    caught = []
    for i in range(n):
        try:
            with Loud("explode" if i % 50 == 0 else "calm"):
                if i % 25 == 0:
                    raise KeyError(i)
        except RuntimeError as e:
            caught.append((str(e), type(e.__context__).__name__))
        except KeyError:
            caught.append("key")
    return caught[:4], len(Loud.log)


@contextlib.contextmanager
def tracked(log, i):
    log.append(i)
    try:
        yield i * 2
    except IndexError:
        log.append("handled")
    finally:
        log.append(-i)


def generator_managers(n):
    log = []
    t = 0
    for i in range(n):
        with tracked(log, i) as v:
            t += v
            if i % 40 == 0:
                [][1]
        with contextlib.suppress(KeyError):
            if i % 2:
                {}[i]
            t += 1
    return t, log[:7], log.count("handled")


def leave_with_block(n):
    Loud.log.clear()
    for i in range(n):
        with Loud(i % 3):
            if i % 3 == 1:
                continue
            if i == n - 2:
                break
    with Loud("ret"):
        pass
    return len(Loud.log), Loud.log[-4:]


def nested_with(n):
    a = Suppress(ValueError)
    b = Suppress(TypeError)
    t = 0
    for i in range(n):
        with a, b:
            t += 1
            if i % 3 == 0:
                raise ValueError
            if i % 3 == 1:
                raise TypeError
            t += 10
    return t, a.suppressed, b.suppressed


for f in (suppressing, not_suppressed, exit_raises, generator_managers,
          leave_with_block, nested_with):
    print(f.__name__, f(300))
try:
    with Loud("explode"):
        1 / 0
except RuntimeError:
    traceback.print_exc()
