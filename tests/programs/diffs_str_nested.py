# Nested loops doing string work: an inner loop building a row that the outer
# loop appends to a page, inner loops scanning strings with slices and `in`,
# an inner loop whose string outlives it and is carried by the outer loop,
# `break` out of an inner loop holding new strings, and a while loop that
# tokenizes by slicing.
import sys


def rows_and_page(n):
    page = ""
    for r in range(n):
        row = ""
        for c in range(n):
            row += "*" if (r + c) % 3 == 0 else "-"
        page += row[: r % 17] + "\n"
    return len(page), page[:40], sys.getrefcount(page)


def scan_words(text, reps):
    counts = {}
    for _ in range(reps):
        start = 0
        for end in range(len(text) + 1):
            if end == len(text) or text[end:end + 1] == " ":
                w = text[start:end]
                if w:
                    counts[w] = counts.get(w, 0) + 1
                start = end + 1
    return sorted(counts.items())


def carried_across(n):
    s = ""
    for outer in range(n):
        t = s
        for inner in range(20):
            t = t + str(inner % 10)
        s = t[-30:]
    return s, sys.getrefcount(s), sys.getrefcount(t)


def inner_break(n):
    found = []
    for a in range(n):
        acc = ""
        for b in range(50):
            acc += chr(65 + (a * b) % 26)
            if acc[-2:] == "AA":
                break
        found.append((a, len(acc), acc[-3:]))
    return found[:6], found[-3:], sum(x[1] for x in found)


def tokenize(text, reps):
    total = 0
    last = None
    for _ in range(reps):
        rest = text
        tokens = 0
        while rest:
            k = 0
            while k < len(rest) and rest[k:k + 1] not in " ,;":
                k += 1
            if k:
                tokens += 1
                last = rest[:k]
            rest = rest[k + 1:]
        total += tokens
    return total, last, sys.getrefcount(last)


def triple(n):
    out = ""
    for i in range(n):
        for j in range(n):
            for k in range(3):
                if str(i) + str(j) < str(k) * 2:
                    out += str(k)
    return len(out), out[:30], sys.getrefcount(out)


def compare_pairs(words):
    pairs = 0
    for a in words:
        for b in words:
            if a < b and a[:1] == b[:1]:
                pairs += 1
            if a in b and a != b:
                pairs += 100
    return pairs


TEXT = "alpha beta gamma,delta;epsilon zeta eta theta  iota kappa lambda \xe9t\xe9 \u20acuro \U0001f600x"
print(rows_and_page(60))
print(scan_words(TEXT, 20))
print(carried_across(300))
print(inner_break(200))
print(tokenize(TEXT, 30))
print(triple(25))
print(compare_pairs(TEXT.replace(",", " ").replace(";", " ").split() * 3))

# module-level nested loops
grid = ""
for y in range(30):
    line = ""
    for x in range(40):
        cell = str((x * y) % 10)
        line += cell if cell in "0159" else "."
    grid += line[:10] + "|"
print(grid[:60], len(grid), sys.getrefcount(grid), sys.getrefcount(line), sys.getrefcount(cell))
