# `for c in s` over strs in hot loops: ASCII strs run compiled, others and
# strs that change type midway behave as in CPython.


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
