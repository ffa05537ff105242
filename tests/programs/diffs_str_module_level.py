# String work in loops at the top level of the script, where the variables are
# globals (a dict holds them, not a frame): += accumulators, slices, `in`,
# comparisons and str(); functions called from the loop that read the global
# being built (they must see its current value); globals() snapshots; a global
# rebound to a non-str midway; and reference counts after each loop.
import sys


def peek():
    return len(acc), acc[-3:]


def peek_globals():
    g = globals()
    return len(g["acc"]), g["acc"][:2]


acc = ""
peeks = []
for i in range(700):
    acc += "0123456789"[i % 10]
    if i % 150 == 0:
        peeks.append(peek())
        peeks.append(peek_globals())
print(len(acc), acc[-10:], peeks, sys.getrefcount(acc))

# two globals holding the same string
a = "g"
b = a
for i in range(500):
    b = a
    a = a + "h"
print(len(a), len(b), a[-3:], b[-3:], a is b, sys.getrefcount(a), sys.getrefcount(b))

# prepend, slice and compare at module level
word = "start"
best = ""
for i in range(600):
    word = str(i % 37) + word[:20]
    if word > best:
        best = word
    if "36" in word[:2]:
        best = best[:5]
print(word, best, sys.getrefcount(word), sys.getrefcount(best))

# swaps at module level
x, y = "x", "y"
for i in range(400):
    x, y = y, x + "."
print(len(x), len(y), x[:3], y[:3], sys.getrefcount(x), sys.getrefcount(y))

# a global rebound to an int midway
val = ""
for i in range(500):
    if i == 250:
        val = 0
    val += "v" if type(val) is str else 1
print(val)

# del of a global holding a built string, then it is rebuilt
for r in range(3):
    tmp = ""
    for i in range(300):
        tmp += str(i % 4)
    print(r, len(tmp), tmp[-8:], sys.getrefcount(tmp))
    del tmp

# nested: inner builds a row, outer collects rows
rows = []
for r in range(40):
    row = ""
    for c in range(60):
        row += "#" if (r * c) % 7 == 0 else "."
    rows.append(row)
print(len(rows), rows[3], rows[-1][:20], sys.getrefcount(rows[5]))

# the loop variable itself is a string built by the loop
line = ""
for ch in "the quick brown fox" * 30:
    line = line + ch if ch != " " else line + "_"
print(len(line), line[:30], sys.getrefcount(line))

# finally an uncaught NameError after a string loop (del'd global read again)
text = ""
for i in range(300):
    text += "t"
    if i == 299:
        del text
print(text)
