"""A loop calls functions made by `exec`, each freed (its code object too)
right after the loop ran with it: a trace that inlined one must not outlive
its code object, also while the trace is still being compiled on hotloop's
thread when the code object goes."""


def run(helper, data):
    total = 0
    for x in data:
        total += helper(x)
    return total


data = list(range(300))
results = []
for k in range(60):
    namespace = {}
    exec(f"def helper(x):\n    return x * {k % 7} + {k}\n", namespace)
    results.append(run(namespace["helper"], data))
    del namespace
print(sum(results), results[:5], results[-3:])
