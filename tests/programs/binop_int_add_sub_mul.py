# + - * and their in-place forms on ints of both signs, small and large.

VALUES = [0, 1, -1, 2, -3, 7, 1000, -1000, 2**30 - 1, 2**30, -(2**30), 2**31, 2**62, -(2**62), 2**63 - 1, -(2**63)]


def kernel(a, b, n):
    checksum = 0
    x = a
    for i in range(n):
        x = x + b
        x = x - i
        y = x * 3
        y -= b
        y += i
        y *= -1
        checksum = checksum + y - x
    return x, checksum


total = 0
for a in VALUES:
    for b in VALUES:
        x, checksum = kernel(a, b, 40)
        total += checksum
        print(a, b, x, checksum)
print("total", total)
print("long", kernel(3, -5, 20000))
