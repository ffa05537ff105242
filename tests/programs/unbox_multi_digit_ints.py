# Ints of two and three 30-bit digits read from a list in the loop: compiled
# code reads their digits in place, and leaves for those past 64 bits.

EDGES = [
    2**30, -(2**30), 2**60 - 1, 2**60, -(2**60), 2**62 + 12345, 2**63 - 1, -(2**63), -(2**63) + 1,
    (2**63 - 1) // 3, -(2**61) - 7,
]
TOO_BIG = [2**63, -(2**63) - 1, 2**64, 2**90, -(2**90)]


def fold(values, rounds):
    checksum = 0
    for r in range(rounds):
        for v in values:
            checksum = (checksum ^ (v >> 7)) & 0xFFFF_FFFF_FFFF
            checksum = checksum + (v & 0xFFFF) + r
    return checksum


print(fold(EDGES, 60))
for k in range(len(TOO_BIG)):
    # Mostly values that fit, then one that does not, at different places.
    values = EDGES * 3
    values.insert(k * 5, TOO_BIG[k])
    print(k, fold(values, 40))
print(fold([2**62, 2**63 - 1, -(2**63)] * 20, 80))
