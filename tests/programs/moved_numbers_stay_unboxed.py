# Loop-carried variables that take another variable's number object
# (`a, b = b, a % b`): compiled, they are carried unboxed, and the objects
# they held on entry must keep their identity at every exit.


def gcd_steps(a, b):
    steps = 0
    while b:
        a, b = b, a % b
        steps += 1
    return a, steps


def rotate(x, y, z, n):
    seen_same = 0
    for _ in range(n):
        x, y, z = y, z, x
        if x is y:
            seen_same += 1
    return x, y, z, seen_same


def float_shift(n):
    prev, cur = 0.5, 1.5
    for i in range(n):
        prev, cur = cur, prev * 0.5 + cur * 0.25 + i
    return prev, cur


big = 10**12 + 39
results = []
for start in range(1, 400):
    results.append(gcd_steps(start * 7919, 1_000_003))
    results.append(gcd_steps(big + start, big * 3 + 2 * start))
print(sum(r[0] for r in results), sum(r[1] for r in results))

keep = [10**15 + 1, 10**15 + 2, 10**15 + 3]
out = rotate(keep[0], keep[1], keep[2], 1000)
print(out[3], [o is k for o in out[:3] for k in keep])
out = rotate(1.25, 2.5, 1.25, 999)
print(out)
print(float_shift(2000))
