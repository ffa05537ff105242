# Nested loops with break out of inner loops, loop else clauses on both loops,
# flag variables and exceptions used to leave two loops at once, return from
# inside a doubly nested loop, and continue of the outer loop from an inner
# else.


class Found(Exception):
    pass


def first_pair(n, target):
    for i in range(n):
        for j in range(i, n):
            if i * j == target:
                break
        else:
            continue
        return i, j
    return None


def primes(n):
    out = []
    for k in range(2, n):
        for d in range(2, k):
            if d * d > k:
                out.append(k)
                break
            if k % d == 0:
                break
        else:
            out.append(k)
    return len(out), out[-3:]


def flag_exit(grid, value):
    found = False
    pos = None
    for r, row in enumerate(grid):
        for c, v in enumerate(row):
            if v == value:
                found = True
                pos = (r, c)
                break
        if found:
            break
    return pos


def exception_exit(grid, value):
    try:
        for r in range(len(grid)):
            for c in range(len(grid[r])):
                if grid[r][c] == value:
                    raise Found(r, c)
    except Found as f:
        return f.args
    return None


def while_in_for(n):
    t = 0
    for i in range(n):
        j = i
        while j > 0:
            if j % 17 == 0:
                break
            j -= 3
        else:
            t += 1
            continue
        t += j
    return t


def triple_nested(n):
    count = 0
    for a in range(1, n):
        for b in range(a, n):
            c2 = a * a + b * b
            c = int(c2 ** 0.5)
            while c * c < c2:
                c += 1
            if c >= n:
                break
            if c * c == c2:
                count += 1
    return count


print("first_pair", first_pair(60, 391), first_pair(30, 10007))
print("primes", primes(700))
grid = [[(r * 31 + c * 17) % 101 for c in range(25)] for r in range(25)]
print("flag_exit", flag_exit(grid, 55), flag_exit(grid, 1000))
print("exception_exit", exception_exit(grid, 55), exception_exit(grid, -1))
print("while_in_for", while_in_for(400))
print("triple_nested", triple_nested(120))
