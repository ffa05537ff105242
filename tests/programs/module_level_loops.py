# Hot loops at module level, where the variables are globals, not fast locals.
total = 0
i = 0
while i < 5000:
    total += i * i % 7
    i += 1
print("while", i, total)

x = 0.0
for k in range(6000):
    x = x * 0.75 + k * 0.5
print("for", k, repr(x))

count = 0
for a in range(80):
    for b in range(80):
        if (a ^ b) & 1:
            count += 1
        else:
            count -= a % 3
print("nested", count)

n = 3000
fib_a, fib_b = 0, 1
for _ in range(n):
    fib_a, fib_b = fib_b, (fib_a + fib_b) % 1000000007
print("fib", fib_a, fib_b)
print(sorted(name for name in globals() if not name.startswith("__")))
