# Float recurrences in for-range loops: the loop-carried floats stay floats.


def halving_series(n):
    x = 0.0
    for i in range(n):
        x = x * 0.5 + i
    return x


def harmonic(n):
    total = 0.0
    for k in range(1, n + 1):
        total += 1.0 / k
    return total


def alternating_pi(n):
    total = 0.0
    sign = 1.0
    for k in range(n):
        total += sign / (2 * k + 1)
        sign = -sign
    return 4.0 * total


def logistic(r, x, n):
    samples = []
    for i in range(n):
        x = r * x * (1.0 - x)
        if i % 997 == 0:
            samples.append(x)
    return x, samples


for n in (0, 1, 3, 1000, 5000):
    print("halving", n, repr(halving_series(n)))
    print("harmonic", n, repr(harmonic(n)))
print("pi", repr(alternating_pi(20000)))
for r in (2.5, 3.2, 3.9):
    x, samples = logistic(r, 0.25, 6000)
    print("logistic", r, repr(x), [repr(s) for s in samples])
