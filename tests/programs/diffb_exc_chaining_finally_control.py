# Exception chaining and control flow in finally inside hot loops: raise ...
# from ..., raise from None, implicit __context__, break/continue/return
# inside finally swallowing an in-flight exception, a finally that raises
# replacing the exception, and a chained exception escaping uncaught so its
# whole traceback (both parts) is printed.
import traceback


class AppError(Exception):
    pass


def lookup(d, k):
    try:
        return d[k]
    except KeyError as e:
        if k % 2:
            raise AppError("missing %d" % k) from e
        raise AppError("missing %d quietly" % k) from None


def explicit_chain(n):
    d = {i: i for i in range(0, n, 3)}
    causes = {"KeyError": 0, "None": 0}
    t = 0
    for i in range(n):
        try:
            t += lookup(d, i)
        except AppError as e:
            causes[type(e.__cause__).__name__ if e.__cause__ else "None"] += 1
            assert e.__suppress_context__ == (e.__cause__ is None) or e.__cause__ is not None
    return t, causes


def implicit_context(n):
    names = []
    for i in range(n):
        try:
            try:
                1 // (i % 4)
            except ZeroDivisionError:
                [][i]
        except IndexError as e:
            names.append(type(e.__context__).__name__)
    return len(names), names[0]


def continue_in_finally(n):
    done = 0
    for i in range(n):
        try:
            if i % 5 == 0:
                raise ValueError(i)
            done += 1
        finally:
            continue
    return done


def break_in_finally(n):
    i = 0
    for i in range(n):
        try:
            if i == n // 2:
                raise KeyError("swallowed")
        finally:
            if i == n // 2:
                break
    return i


def return_in_finally(n):
    def f(i):
        try:
            if i % 4 == 0:
                raise ValueError
            return "try"
        finally:
            if i % 2 == 0:
                return "finally"

    out = {}
    for i in range(n):
        r = f(i)
        out[r] = out.get(r, 0) + 1
    return out


def finally_raises(n):
    caught = []
    for i in range(n):
        try:
            try:
                if i % 3 == 0:
                    raise ValueError("orig")
            finally:
                if i % 2 == 0:
                    raise TypeError("from finally")
        except (ValueError, TypeError) as e:
            ctx = e.__context__
            caught.append((type(e).__name__, type(ctx).__name__ if ctx else None))
    return len(caught), sorted(set(caught), key=str)


def escape(n):
    d = {}
    t = 0
    for i in range(0, n, 2):
        d[i] = i
    for i in range(n):
        if i in d:
            t += lookup(d, i)
        elif i == n - 1:
            t += lookup(d, i)
    return t


for f in (explicit_chain, implicit_context, continue_in_finally, break_in_finally,
          return_in_finally, finally_raises):
    print(f.__name__, f(300))
try:
    escape(300)
except AppError:
    traceback.print_exc()
escape(300)
