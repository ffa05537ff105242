# A loop variable that turns from int into str midway: + becomes concatenation,
# * repetition, and % formatting.


def becomes_str(n, switch):
    # Only arithmetic on the int path, so the loop compiles before x turns into a
    # str; from then on * repeats the string and the slice keeps it short.
    x = 1
    for i in range(n):
        if i == switch:
            x = "ab"
        x = x * 2
        if i >= switch:
            x = x[-7:]
        else:
            x = x % 1000003
    return x


def percent_changes_meaning(n):
    left = 1000
    results = []
    for i in range(n):
        if i == n - 5:
            left = "%d;"
        results.append(left % (i + 7))
    return results[-8:]


def times_changes_meaning(n):
    x = 2
    for i in range(n):
        if i == n - 3:
            x = "xy"
        x = x * 2 if isinstance(x, str) else (x * 2) % 1000
    return x


for switch in (2999, 1500, 5000, 1, 0):
    print(switch, repr(becomes_str(3000, switch)))
print(repr(percent_changes_meaning(3000)))
print(repr(times_changes_meaning(3000)))
try:
    x = 0
    for i in range(3000):
        x += i
        if i == 2500:
            x = "oops"
except TypeError as error:
    print("TypeError:", error, x)
