# Loops inside generators, loops consuming generators, and generator expressions.


def evens(limit):
    i = 0
    while i < limit:
        if i % 2 == 0:
            yield i
        i += 1


def running_mean(values):
    total = 0.0
    count = 0
    for v in values:
        total += v
        count += 1
        yield total / count


def consume(n):
    total = 0
    for e in evens(n):
        total += e
    last = None
    for last in running_mean(x * 0.5 for x in range(n)):
        pass
    return total, last


def send_accumulator():
    total = 0
    while True:
        received = yield total
        total += received


gen = send_accumulator()
next(gen)
for i in range(3000):
    result = gen.send(i)
print(consume(6000))
print(result)
print(sum(i * i for i in range(3000) if i % 3), list(evens(20)))
