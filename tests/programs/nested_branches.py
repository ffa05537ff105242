# Loops whose iterations take one of several paths through consecutive and
# nested ifs, so bridges grow off other bridges: a character classifier, a
# state machine, counters changed on some paths only, a path that raises, and
# objects with __del__ released on some paths only.


def classify(text):
    words = digits = spaces = other = 0
    in_word = False
    for c in text:
        if c == " ":
            spaces += 1
            in_word = False
        elif "0" <= c <= "9":
            digits += 1
            if in_word:
                other += 1
        else:
            if not in_word:
                words += 1
                in_word = True
            if c in "aeiou":
                other += 2
    return words, digits, spaces, other


print(classify("abc 12 de3f  g45 hij 6 " * 200))
print(classify("x" * 500 + " 9" * 300))


def machine(n):
    state = 0
    a = b = c = 0
    for i in range(n):
        if state == 0:
            a += 1
            if i % 3 == 0:
                state = 1
        elif state == 1:
            b += i
            if i % 5 == 0:
                state = 2
            elif i % 7 == 0:
                state = 0
        else:
            c -= 1
            if c % 4 == 0:
                state = 0
    return state, a, b, c


print(machine(5000))


def mixed_types(values):
    total = 0
    for v in values:
        if v > 2:
            total += v
            if v > 10:
                total *= 2
                if total > 10**12:
                    total = total % 1000 + 0.5
        else:
            total -= 1
    return total


print(mixed_types(list(range(20)) * 100))
print(mixed_types([1, 3, 12, 2.5, 11.0, 1, 30] * 200))


class Noisy:
    log = []

    def __init__(self, tag):
        self.tag = tag

    def __del__(self):
        Noisy.log.append(self.tag)


def drop_on_paths(n):
    keep = None
    for i in range(n):
        item = Noisy(i)
        if i % 2:
            if i % 3:
                keep = item
            else:
                keep = None
        del item
    return keep.tag if keep else None


print(drop_on_paths(60), Noisy.log[:20], len(Noisy.log))


def raising(values):
    seen = 0
    try:
        for v in values:
            if v >= 0:
                if v % 2:
                    seen += 1
                else:
                    seen += 10 // (v - 8)
    except ZeroDivisionError as e:
        return "raised", seen, str(e)
    return seen


print(raising(list(range(8)) * 10 + [8]))
