# Functions whose hot loops read and write module globals.
counter = 0
scale = 2.5
total = 0.0


def bump_counter(n):
    global counter
    for i in range(n):
        counter += i % 5


def accumulate(n):
    global total
    i = 0
    while i < n:
        total = total + i * scale
        i += 1


bump_counter(4000)
accumulate(3000)
scale = -1.0
accumulate(3000)
print(counter, repr(total), scale)
