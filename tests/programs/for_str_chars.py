# `for c in s` over strs in hot loops, ASCII or not (characters above 255
# are new strs each time, as in CPython), strs that change kind midway, and
# str loops inside generators and called functions.


def count_vowels(s):
    n = 0
    for c in s:
        if c in "aeiou":
            n += 1
    return n


print(count_vowels("the quick brown fox jumps over the lazy dog" * 50))
print(count_vowels(""))
print(count_vowels("héllo wörld" * 40))
print(count_vowels("smile 😀 " * 40))


def char_codes(s):
    total = 0
    last = None
    for c in s:
        total += ord(c) if len(c) == 1 else -1
        last = c
    return total, last, last is s[-1]


print(char_codes("abcdefghij" * 100))
print(char_codes("abc" * 100 + "é"))


def mixed(strings):
    out = []
    for s in strings:
        k = 0
        for c in s:
            k += c == "x"
        out.append(k)
    return out[-5:]


print(mixed(["xax", "é x", "", "xxxxx", "\U0001f600x"] * 40))


def kept_iterator(s):
    it = iter(s)
    seen = ""
    for c in it:
        seen += c
        if c == "!":
            break
    return seen[-5:], "".join(it)[:5]


print(kept_iterator("hello world" * 30 + "!" + "after"))


def histogram(s):
    counts = {}
    kept = []
    for c in s:
        counts[c] = counts.get(c, 0) + 1
        if c > "z":
            kept.append(c)
    return sorted(counts.items())[-3:], len(kept), kept[-2:], kept[-1] is kept[-2]


print(histogram("naïve café € 😀 ünïcödé " * 30))
print(histogram("€" * 50))


def chars_of(words):
    for w in words:
        for c in w:
            yield c


def from_generator(words):
    n = 0
    for c in chars_of(words):
        n += ord(c)
    return n


print(from_generator(["€uro", "abc", "日本語", "é"] * 30))


def width(w):
    n = 0
    for c in w:
        n += 2 if ord(c) > 0x2000 else 1
    return n


def widths(words):
    total = 0
    for w in words:
        total += width(w)
    return total


print(widths(["日本語テキスト", "plain", "mixed 日本"] * 60))


def ids_differ(s):
    seen = []
    for c in s:
        seen.append(c)
    return sum(a is b for a, b in zip(seen, seen[1:])), len(set(seen))


print(ids_differ("€€€€€€€€€€" * 10 + "aaaa"))
