"""Dict-heavy counting: get/set with int and str keys, membership."""

N = 300_000


def run(n=N):
    counts = {}
    names = {"a": 0, "b": 0, "c": 0}
    for i in range(n):
        k = (i * 7) % 101
        counts[k] = counts.get(k, 0) + 1
        key = "abc"[i % 3]
        names[key] += i
        if k in names:
            names[key] -= 1
    return sorted(counts.items())[:5], names
