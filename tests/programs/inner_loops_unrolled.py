"""Short inner loops unrolled into the trace of the loop around them: a
tokenizer (a `while` loop with `continue`, which CPython 3.12 gives a second
header, and a scan over each word), inner loops whose turns vary from none to
far past the unroll limit, `break` and `else`, an exception raised in the
third turn of an inner loop, `__del__` of values dropped inside it, and an
inner loop whose variable changes type."""


def tokens(text):
    out = []
    i = 0
    n = len(text)
    while i < n:
        c = text[i]
        if c == " ":
            i += 1
            continue
        j = i
        while j < n and text[j] != " ":
            j += 1
        out.append(text[i:j])
        i = j
    return out


words = ["alpha", "be", "gamma12", "d", "x+y", "zz", "a" * 40, "", "q"]
text = "  ".join(words * 60) + " tail"
found = tokens(text)
print(len(found), found[:9], found[-3:])


def digit_runs(n):
    total = 0
    k = 0
    while k < n:
        m = k % 23
        steps = 0
        while m > 0:
            steps += 1
            m -= 3 if steps % 2 else 1
        total += steps * (k % 5)
        k += 1
    return total


print("digit runs", digit_runs(3000))


def first_multiples(limit):
    found = []
    n = 2
    while n < limit:
        d = 2
        while d * d <= n:
            if n % d == 0:
                found.append((n, d))
                break
            d += 1
        else:
            found.append((n, 0))
        n += 1
    return found


primes = first_multiples(2500)
print("factors", len(primes), primes[-4:], sum(d for _, d in primes))


class Noisy:
    def __init__(self, tag):
        self.tag = tag

    def __del__(self):
        print("del", self.tag)


def dropped_inside(n):
    i = 0
    kept = None
    while i < n:
        j = 0
        while j < i % 3:
            kept = Noisy((i, j)) if i > n - 4 else j
            j += 1
        i += 1
    print("last kept", kept if isinstance(kept, int) else kept.tag)


dropped_inside(400)


def raises_in_third_turn(n):
    i = 0
    seen = 0
    try:
        while i < n:
            j = 0
            while j < 4:
                seen += 10 // (j - 2 if i == n - 7 else 1)
                j += 1
            i += 1
    except ZeroDivisionError as e:
        print("raised", type(e).__name__, i, j, seen)


raises_in_third_turn(900)


def changes_type(n):
    out = 0.0
    i = 0
    while i < n:
        x = 1 if i < n // 2 else 1.5
        j = 0
        while j < 2:
            x = x * 2
            j += 1
        out += x
        i += 1
    return out


print("changes type", changes_type(2000))


def nested_while_for(rows):
    total = 0
    r = 0
    while r < len(rows):
        row = rows[r]
        c = 0
        while c < len(row) and row[c] >= 0:
            total += row[c]
            c += 1
        r += 1
    return total


rows = [[k % 7 - (k % 11 == 0)] * (k % 5) + [-1] for k in range(3000)]
print("rows", nested_while_for(rows))
