# sys.settrace turned on midway through hot loops (from inside the loop body
# and from a function the loop calls): the 'line' events of the rest of the
# loop must be exactly CPython's (line numbers relative to the function's
# first line are printed). Also f_trace set on the looping frame via
# sys._getframe, tracing turned off again midway, and a trace function
# raising an exception that propagates into the loop.
import sys

EVENTS = []


def make_tracer(code_name):
    def local(frame, event, arg):
        if frame.f_code.co_name == code_name:
            EVENTS.append((event, frame.f_lineno - frame.f_code.co_firstlineno))
        return local

    def glob(frame, event, arg):
        if frame.f_code.co_name == code_name:
            EVENTS.append(("g" + event, frame.f_lineno - frame.f_code.co_firstlineno))
            return local
        return None

    return glob, local


def on_inside_loop(n):
    glob, local = make_tracer("on_inside_loop")
    t = 0
    for i in range(n):
        t += i
        if i == n - 3:
            sys.settrace(glob)
            sys._getframe().f_trace = local
        t -= 1
    sys.settrace(None)
    return t


def turn_on(glob, local):
    sys.settrace(glob)
    sys._getframe(1).f_trace = local


def on_from_callee(n):
    glob, local = make_tracer("on_from_callee")
    t = 0.0
    for i in range(n):
        if i == n - 2:
            turn_on(glob, local)
        t += i * 0.5
    sys.settrace(None)
    return t


def on_then_off(n):
    glob, local = make_tracer("on_then_off")
    t = 0
    for i in range(n):
        if i == n // 2:
            sys.settrace(glob)
            sys._getframe().f_trace = local
        if i == n // 2 + 2:
            sys.settrace(None)
            sys._getframe().f_trace = None
        t += i % 7
    return t


def raising_tracer(frame, event, arg):
    if event == "line" and frame.f_code.co_name == "trace_raises":
        raise LookupError("from tracer")
    return raising_tracer


def trace_raises(n):
    t = 0
    try:
        for i in range(n):
            if i == n - 5:
                sys.settrace(raising_tracer)
                sys._getframe().f_trace = raising_tracer
            t += i
    except LookupError as e:
        sys.settrace(None)
        return t, str(e)
    sys.settrace(None)
    return t


def callee_traced(n):
    def inner(x):
        return x * 2

    glob, local = make_tracer("inner")
    t = 0
    for i in range(n):
        if i == n - 2:
            sys.settrace(glob)
        t += inner(i)
    sys.settrace(None)
    return t


for f in (on_inside_loop, on_from_callee, on_then_off, trace_raises, callee_traced):
    EVENTS.clear()
    r = f(300)
    print(f.__name__, r, EVENTS)
