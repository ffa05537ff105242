# A loop variable that turns from int into str midway: + becomes concatenation,
# * repetition, and % formatting.


def becomes_str(n, switch):
    x = 0
    for i in range(n):
        if i == switch:
            x = str(x)
        if isinstance(x, str):
            x = x[-20:] + chr(97 + i % 26)
        else:
            x = x + i
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


for switch in (0, 1, 1500, 2999, 5000):
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
