"""Integer kernels with data-dependent control flow: Collatz lengths and Euclid's gcd."""

N = 60_000


def run(n=N):
    longest = 0
    steps_total = 0
    gcd_total = 0
    start = 1
    while start < n:
        x = start
        steps = 0
        while x != 1:
            if x % 2 == 0:
                x //= 2
            else:
                x = 3 * x + 1
            steps += 1
        steps_total += steps
        if steps > longest:
            longest = steps
        a = start
        b = n
        while b:
            a, b = b, a % b
        gcd_total += a
        start += 1
    return longest, steps_total, gcd_total
