# Loops at module level: their variables live in the module's dict (STORE_NAME /
# LOAD_NAME). Values must be exact after the loops, after exits in the middle,
# after a branch that binds a new name, and for names read but never stored.
import math

SCALE = 3
total = 0
acc = 0.0
for i in range(20000):
    total += i * SCALE % 7
    acc += math.sqrt(i) * 0.5
    if i % 1000 == 999:
        marker = i
print(total, acc, marker, i)

n = 0
evens = odds = 0
while n < 30000:
    if n % 3 == 0:
        evens += 1
    else:
        odds += 2
    n += 1
print(n, evens, odds)

values = [x * 0.25 for x in range(5000)]
best = values[0]
for v in values:
    if v > best:
        best = v
print(best, v)

x = 1
for step in range(200):
    x *= 3
print(x % 1000003, step)

count = 0
for a in range(60):
    for b in range(50):
        count += (a ^ b) & 1
print(count, a, b)

try:
    k = 0
    while True:
        k += 1
        if k > 25000:
            k = k // 0
except ZeroDivisionError as error:
    print("ZeroDivisionError:", error, k)
