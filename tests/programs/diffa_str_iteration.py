# Iterating the characters of strs in hot loops: counting with ord, building
# strings by concatenation, non-ASCII and astral characters, indexing a str by
# position (negative, out of range), comparing characters, str.isdigit
# parsing, and a str that becomes a list of ints midway through the loop.


def char_codes(s):
    t = 0
    for ch in s:
        t = (t * 31 + ord(ch)) % 1000000007
    return t


def build(n):
    out = ""
    for i in range(n):
        out += chr(97 + i % 26)
        if i % 60 == 59:
            out = out[::-1][:30]
    return out, len(out)


def unicode_chars(s):
    counts = [0, 0, 0]
    for ch in s:
        o = ord(ch)
        if o < 128:
            counts[0] += 1
        elif o < 0x10000:
            counts[1] += 1
        else:
            counts[2] += o - 0x10000
    return counts


def by_index(s, n):
    t = 0
    misses = 0
    for i in range(-n, n):
        try:
            t += ord(s[i])
        except IndexError:
            misses += 1
    return t, misses


def compare(s):
    runs = 0
    prev = ""
    best = 0
    cur = 0
    for ch in s:
        if ch >= prev:
            cur += 1
        else:
            runs += 1
            cur = 1
        if cur > best:
            best = cur
        prev = ch
    return runs, best


def parse_digits(s):
    nums = []
    cur = None
    for ch in s:
        if ch.isdigit():
            cur = (cur or 0) * 10 + int(ch)
        elif cur is not None:
            nums.append(cur)
            cur = None
    if cur is not None:
        nums.append(cur)
    return len(nums), sum(nums), max(nums)


def str_then_list(n):
    seq = "0123456789" * (n // 10)
    t = 0
    for i in range(len(seq)):
        if i == len(seq) // 2:
            seq = [int(c) for c in seq]
        try:
            t += seq[i] * 2
        except TypeError:
            t += int(seq[i])
    return t


text = "the quick brown fox jumps over the lazy dog 0123456789 " * 12
print("char_codes", char_codes(text), char_codes("é" * 300))
print("build", build(500))
print("unicode_chars", unicode_chars(("aé€😀" * 150)))
print("by_index", by_index("héllo wörld" * 20, 300))
print("compare", compare(text))
print("parse_digits", parse_digits("a12b345c6789d" * 40 + "99999999999999999999999"))
print("str_then_list", str_then_list(600))
