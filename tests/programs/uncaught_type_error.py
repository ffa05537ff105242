# A TypeError raised in a compiled loop after thousands of iterations, when a
# value of an unexpected type reaches an arithmetic operation.


def accumulate(n, poison_at):
    total = 0
    step = 2
    for i in range(n):
        if i == poison_at:
            step = None
        total = total + i * step
    return total


print("partial", accumulate(4000, 5000))
print(accumulate(5000, 4000))
