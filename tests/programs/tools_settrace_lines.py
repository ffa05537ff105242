# sys.settrace set while a loop is hot (its trace compiled): the tracer must see
# every line and call event CPython shows, including in functions the loop
# calls (which hotloop inlines), and nothing once it is removed.
import sys


def step(x):
    return x * 3 % 7


def work(n):
    total = 0
    for i in range(n):
        total += step(i)
        if total % 5 == 0:
            total += 1
    return total


events = []


def tracer(frame, event, arg):
    if frame.f_code.co_name in ("work", "step"):
        events.append((event, frame.f_code.co_name, frame.f_lineno))
    return tracer


print(work(500))
sys.settrace(tracer)
print(work(40))
sys.settrace(None)
print(work(500))
print(len(events), events[:8], events[-4:])
lines = {}
for event, name, line in events:
    if event == "line":
        lines[(name, line)] = lines.get((name, line), 0) + 1
print(sorted(lines.items()))


def set_inside(n):
    # The tracer is switched on from inside the running (compiled) loop.
    seen = 0
    for i in range(n):
        if i == n // 2:
            sys.settrace(tracer)
        seen += step(i)
    sys.settrace(None)
    return seen


events.clear()
print(set_inside(400), len(events), events[:5])
