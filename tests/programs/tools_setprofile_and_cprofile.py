# sys.setprofile and cProfile around hot loops that call small functions
# (which hotloop inlines into the loop's trace): every call and return is
# reported as under CPython, and the call counts match.
import cProfile
import pstats
import sys


def square(x):
    return x * x


def halve(x):
    return x / 2


def work(n):
    total = 0.0
    for i in range(n):
        total += halve(square(i))
    return total


print(work(1000))
calls = []


def profiler(frame, event, arg):
    if frame.f_code.co_name in ("square", "halve", "work"):
        calls.append((event, frame.f_code.co_name))


sys.setprofile(profiler)
print(work(30))
sys.setprofile(None)
print(len(calls), calls[:6])

profile = cProfile.Profile()
profile.enable()
print(work(2000))
profile.disable()
stats = pstats.Stats(profile)
counts = sorted(
    (name, ncalls) for (filename, line, name), (ncalls, *_rest) in stats.stats.items() if name in ("square", "halve", "work")
)
print(counts)
print(work(1000))
