# A bridge's path reads a global that the program rebinds right after each
# call, while the tree grown by that bridge may still be compiling on the
# compiler's thread: the grown tree must not go in with the old value.

SCALE = 2


def weigh(n):
    total = 0
    for i in range(n):
        if i % 3 == 0:
            total += SCALE * i
        else:
            total -= 1
    return total


results = []
for call in range(60):
    results.append(weigh(400 + call))
    SCALE = call % 7 - 3
print(results[:5], results[-5:], sum(results))


class Settings:
    factor = 1.5


def scaled(values):
    out = 0.0
    for v in values:
        if v > 2.0:
            out += v * Settings.factor
        else:
            out -= v
    return out


totals = []
for call in range(60):
    totals.append(scaled([i * 0.25 for i in range(40)]))
    Settings.factor = call * 0.5 - 4.0
print(totals[:4], totals[-4:])
