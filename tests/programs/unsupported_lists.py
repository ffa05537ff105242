# Hot loops over lists: indexing, appending, slicing, list comprehensions.


def build_and_sum(n):
    values = []
    for i in range(n):
        values.append(i * 3 % 17)
    total = 0
    for v in values:
        total += v
    i = 0
    while i < len(values):
        values[i] = values[i] * 2 - 1
        i += 1
    return total, values[:10], values[-5:], sum(values)


def matrix(n):
    m = [[(r * n + c) % 11 for c in range(n)] for r in range(n)]
    trace = 0
    for k in range(n):
        trace += m[k][k]
        m[k][n - 1 - k] = -1
    return trace, m[3][:8]


def sieve(n):
    is_prime = [True] * n
    is_prime[0] = is_prime[1] = False
    for p in range(2, n):
        if is_prime[p]:
            for multiple in range(p * p, n, p):
                is_prime[multiple] = False
    return [p for p in range(n) if is_prime[p]][-10:]


print(build_and_sum(5000))
print(matrix(60))
print(sieve(20000))
