# A list read at ascending constant indices has its size checked once, for
# the largest index, at the first read (`strengthen`). Lists shorter than
# that leave there: the interpreter then reads the indices that exist, and
# raises IndexError at the one that does not, with the same side effects
# (the appends and the counter) as without the JIT.


def weighted(rows, log):
    total = 0.0
    for k, row in enumerate(rows):
        log.append(k)
        total += row[0] * 2.0
        total -= row[1]
        log.append(-k)
        total += row[2] * row[3]
    return total


def shrinking(rows):
    out = []
    for row in rows:
        first = row[0]
        out.append(first)
        try:
            out.append(row[1] + row[4])
        except IndexError as error:
            out.append(str(error))
    return out


def mutated_between(rows):
    # The second read comes after the list grew: its size is loaded again.
    sums = []
    for row in rows:
        a = row[0]
        if len(row) < 3:
            row.append(a * 10)
        sums.append(a + row[2])
    return sums


full = [[float(i), float(i + 1), float(i + 2), float(i + 3)] for i in range(300)]
log = []
print(weighted(full, log), len(log))
for cut in (1, 2, 3):
    rows = full[:150] + [full[150][:cut]] + full[151:]
    log = []
    try:
        weighted(rows, log)
    except IndexError as error:
        print("IndexError", error, len(log), log[-3:])

rows = [[i, i + 1, i + 2, i + 3, i + 4] for i in range(200)]
rows[120] = [7, 8]
rows[160] = [9]
try:
    print(shrinking(rows)[-6:])
except IndexError as error:
    print("IndexError", error)

grow = [[i, i + 1, i + 2] for i in range(200)]
grow[100] = [5, 6]
grow[150] = [1, 2]
print(sum(mutated_between(grow)), grow[100], grow[150])
