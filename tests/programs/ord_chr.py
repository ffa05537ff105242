# ord() and chr() in hot loops, called directly from compiled code: ASCII,
# Latin-1 and astral characters, and the errors CPython raises (a str of
# another length, a non-str, a code point out of range, a bool, a big int).
import traceback


def checksum(text):
    total = 0
    for c in text:
        total = (total * 31 + ord(c)) % 1000003
    return total


print(checksum("hello world " * 50))
print(checksum("naïve café € 😀 " * 30))


def caesar(text, k):
    out = []
    for c in text:
        if "a" <= c <= "z":
            out.append(chr((ord(c) - 97 + k) % 26 + 97))
        else:
            out.append(c)
    return "".join(out)


print(caesar("the quick brown fox jumps over the lazy dog " * 5, 3)[:60])
print(caesar("über straße " * 10, 13)[:40])


def codes(values):
    out = []
    for v in values:
        try:
            out.append(ord(v))
        except TypeError as e:
            out.append(str(e))
    return out


print(codes(["a", "é", "€", "😀"] * 10 + ["ab", "", 5, b"x", None]))


def chars(values):
    out = []
    for v in values:
        try:
            out.append(chr(v))
        except (ValueError, TypeError, OverflowError) as e:
            out.append(f"{type(e).__name__}: {e}")
    return out


print(chars(list(range(60, 70)) * 5 + [0x20AC, 0x1F600, True, -1, 0x110000, 2**70, 2.0, "a"]))

# The identity CPython gives: Latin-1 characters are shared, others are new.
same = []
for i in range(200, 300, 10):
    same.append(chr(i) is chr(i))
print(same)

try:
    for c in ["x", "y", "zz"] * 20:
        ord(c)
except TypeError:
    traceback.print_exc()
