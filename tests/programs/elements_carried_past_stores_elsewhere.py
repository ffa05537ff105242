# A list item kept in a variable round the loop (`prev = c` at the end of the
# body) while the loop stores into instances' attributes: those stores cannot
# free a list's item, so the loop compiles. Where the loop stores into lists
# too, or into the very place the kept item came from, CPython's results
# still come out: the kept item must outlive its place in the list.


class Meter:
    def __init__(self):
        self.total = 0.0
        self.rises = 0


def climb(values, meter):
    prev = values[0]
    for c in values:
        meter.total += c - prev
        if c > prev:
            meter.rises += 1
        prev = c
    return meter.total, meter.rises, prev


print(climb([(i * 37 % 11) * 0.5 for i in range(400)], Meter()))


def smooth_in_place(values):
    prev = values[0]
    for i in range(1, len(values)):
        c = values[i]
        values[i] = (prev + c) * 0.5
        prev = c
    return values[-3:], prev


print(smooth_in_place([float(i * i % 13) for i in range(300)]))


def overwrite_what_was_kept(values, meter):
    kept = values[0]
    out = []
    for i in range(len(values)):
        meter.total += kept
        out.append(kept)
        kept = values[i]
        values[i] = i * 1000.5
    return out[-3:], values[-3:], meter.total


print(overwrite_what_was_kept([float(i) + 0.25 for i in range(300)], Meter()))
