# Another sys.monitoring tool (a coverage tool's kind) and the stdlib trace
# module (settrace's kind) counting lines of hot loops: the counts match CPython.
import sys
import trace


def work(n):
    total = 0
    for i in range(n):
        if i % 3:
            total += i
        else:
            total -= 1
    return total


print(work(1000))

TOOL = sys.monitoring.COVERAGE_ID
sys.monitoring.use_tool_id(TOOL, "counter")
line_counts = {}


def on_line(code, line):
    if code is work.__code__:
        line_counts[line] = line_counts.get(line, 0) + 1


sys.monitoring.register_callback(TOOL, sys.monitoring.events.LINE, on_line)
sys.monitoring.set_events(TOOL, sys.monitoring.events.LINE)
print(work(300))
sys.monitoring.set_events(TOOL, 0)
sys.monitoring.free_tool_id(TOOL)
print(sorted(line_counts.items()))
print(work(1000))

tracer = trace.Trace(count=1, trace=0)
print(tracer.runfunc(work, 200))
counts = tracer.results().counts
print(sorted((line, n) for (filename, line), n in counts.items() if filename == __file__))
print(work(1000))
