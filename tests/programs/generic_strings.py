# Strings built, sliced, formatted and searched in hot loops (generic instructions).
def build(n):
    s = ""
    for i in range(n):
        s += str(i % 10)
        if len(s) > 50:
            s = s[10:]
    return s

def words(n):
    text = "the quick brown fox jumps over the lazy dog"
    counts = {}
    for i in range(n):
        w = text.split()[i % 9]
        counts[w] = counts.get(w, 0) + 1
        if w.startswith("t") and "h" in w:
            counts["th"] = counts.get("th", 0) + 1
    return sorted(counts.items())

def fmt(n):
    out = []
    for i in range(n):
        out.append(f"{i:>4}|{i / 7:.3f}|{i!r}|{'x' * (i % 3)}")
    return out[-3:], len("".join(out))

def upper_join(n):
    parts = []
    for i in range(n):
        parts.append(("ab" if i % 2 else "Cd").upper().lower())
    return "-".join(parts[:6]), len(parts)

print(build(300))
print(words(400))
print(fmt(300))
print(upper_join(200))
