# << and >> on ints of both signs, including shifts that make big ints and right
# shifts of negatives (which round toward negative infinity).


def shift_table(n):
    left = 0
    right = 0
    for i in range(n):
        amount = i % 70
        left += (i << amount) >> (amount // 2)
        right += (-i * 12345) >> (amount % 40)
    return left, right


def in_place(n):
    x = 1
    y = -(2**100)
    for i in range(n):
        x <<= 1
        if x > 2**80:
            x >>= 77
        y >>= 1
        y <<= 1
        y -= i
    return x, y


print("table", shift_table(6000))
print("in_place", in_place(5000))
samples = []
for v in (1, -1, 5, -5, 2**31 - 1, -(2**31), 2**62, -(2**63)):
    for s in (0, 1, 2, 30, 31, 32, 62, 63, 64, 65, 200):
        samples.append((v << s, v >> s))
print(samples)
shifted = 0
try:
    for i in range(5000):
        shifted += 1 << (1500 - i)
except ValueError as error:
    print("ValueError:", error, "at", i, shifted.bit_length())
