# Loops that call Python functions, builtins, methods and lambdas every iteration.
import math


def square(x):
    return x * x


class Counter:
    def __init__(self):
        self.value = 0

    def bump(self, by):
        self.value += by
        return self.value


def kernel(n):
    total = 0
    acc = 0.0
    counter = Counter()
    scale = lambda v: v * 3
    for i in range(n):
        total += square(i) - abs(i - n // 2) + max(i, 100) - min(i, 50)
        acc += math.sqrt(i) + math.sin(i * 0.001)
        counter.bump(scale(i % 5))
    return total, acc, counter.value


print(kernel(5000))
print(sum(map(square, range(3000))), round(math.fsum(x * 0.1 for x in range(3000)), 6))
