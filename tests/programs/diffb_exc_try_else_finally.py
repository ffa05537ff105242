# try/except/else/finally in hot loop bodies: the else branch taken on most
# iterations, finally running on every path (normal, continue, break, return,
# exception), exceptions raised in called functions several frames down,
# bare raise re-raising, exception variables cleared after the handler, and
# an exception escaping the loop uncaught with its traceback printed.
import sys
import traceback


def maybe_fail(i):
    if i % 17 == 0:
        raise ValueError(i)
    if i % 23 == 0:
        raise KeyError(i)
    return i


def deeper(i):
    return maybe_fail(i) * 2


def else_and_finally(n):
    counts = {"ok": 0, "ve": 0, "ke": 0, "fin": 0}
    for i in range(n):
        try:
            v = deeper(i)
        except ValueError:
            counts["ve"] += 1
        except KeyError as e:
            counts["ke"] += e.args[0] % 2
        else:
            counts["ok"] += v
        finally:
            counts["fin"] += 1
    return counts


def finally_with_continue_break(n):
    log = []
    for i in range(n):
        try:
            if i % 3 == 0:
                continue
            if i == n - 10:
                break
            log.append(i)
        finally:
            log.append(-1)
    return len(log), log[-4:]


def return_from_try(n):
    fin = []
    for i in range(n):
        try:
            if i == n // 2:
                return i, len(fin)
        finally:
            fin.append(i)
    return None


def reraise(n):
    seen = 0
    outer = 0
    for i in range(n):
        try:
            try:
                maybe_fail(i)
            except ValueError:
                seen += 1
                raise
        except ValueError:
            outer += 1
        except KeyError:
            pass
    return seen, outer


def exc_var_cleared(n):
    e = "before"
    for i in range(n):
        try:
            maybe_fail(i)
        except Exception as e:
            pass
    try:
        return e
    except UnboundLocalError as err:
        return "cleared: " + str(err)


def exception_type_changes(n):
    kinds = []
    for i in range(n):
        try:
            if i < n // 3:
                1 // (i % 5)
            elif i < 2 * n // 3:
                [][i]
            else:
                {}["k"]
        except (ZeroDivisionError, IndexError, KeyError) as e:
            kinds.append(type(e).__name__)
    return len(kinds), sorted(set(kinds))


def uncaught(n):
    t = 0
    for i in range(1, n):
        t += deeper(i)
    return t


for f in (else_and_finally, finally_with_continue_break, return_from_try,
          reraise, exc_var_cleared, exception_type_changes):
    print(f.__name__, f(300))
try:
    uncaught(300)
except ValueError:
    traceback.print_exc()
print("exc_info after handler:", sys.exc_info())
uncaught(300)
