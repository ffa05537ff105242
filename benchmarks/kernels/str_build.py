"""String work: building with +=, slicing, str() of ints and membership tests
(generic instructions on str objects)."""

N = 200_000


def run(n=N):
    s = ""
    hits = 0
    for i in range(n):
        s += str(i % 10)
        if len(s) > 64:
            s = s[32:]
        if "7" in s:
            hits += 1
    return s, hits
