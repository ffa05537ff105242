# Hot loops building and scanning strings and bytes.


def build(n):
    parts = []
    s = ""
    for i in range(n):
        s += chr(65 + i % 26)
        if len(s) > 40:
            parts.append(s[::3])
            s = s[20:]
    return s, len(parts), parts[-1]


def count_vowels(text):
    count = 0
    for ch in text:
        if ch in "aeiou":
            count += 1
    return count


def checksum_bytes(data):
    h = 5381
    for b in data:
        h = ((h << 5) + h + b) & 0xFFFFFFFF
    return h


text = "the quick brown fox jumps over the lazy dog " * 100
print(build(5000))
print(count_vowels(text))
print(checksum_bytes(text.encode()))
print("-".join(f"{i:03x}" for i in range(0, 3000, 250)))
