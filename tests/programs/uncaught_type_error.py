# A TypeError raised inside a compiled loop after thousands of iterations, when a
# value of an unexpected type reaches an arithmetic operation.


def accumulate(values):
    total = 0
    for v in values:
        total = total + v * 2
    return total


values = list(range(4000)) + [None]
print("partial", accumulate(values[:-1]))
print(accumulate(values))
