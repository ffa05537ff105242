# Variables shared with nested functions (cells) in compiled loops.
def counter(n):
    count = 0
    total = 0.0

    def report():
        return count, total

    for i in range(n):
        count += 1
        total += i * 0.5
        if i % 97 == 0:
            snapshot = report()
    return count, total, snapshot


print(counter(1000))


def closure_reads(xs):
    scale = 3

    def f(v):
        return v * scale

    acc = 0
    for x in xs:
        acc += x * scale
        if x == 500:
            scale = 4
    return acc, f(1)


print(closure_reads(list(range(1000))))


def unbound(n):
    out = []
    for i in range(n):
        if i == n - 1:
            del_later()
        out.append(i)
    def del_later():
        pass
    return len(out)


try:
    print(unbound(300))
except NameError as e:
    print("NameError", e)


def big_values(n):
    acc = 2**62

    def peek():
        return acc

    for i in range(n):
        acc += i
    return acc, peek()


print(big_values(500))


def lambdas(n):
    k = 0
    get = lambda: k
    seen = []
    for i in range(n):
        k = i * i
        if i % 100 == 0:
            seen.append(get())
    return seen


print(lambdas(600))
