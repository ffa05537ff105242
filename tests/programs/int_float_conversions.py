# Values that cross between ints and floats: int(), float(), round() in loops,
# and floats holding integral values compared with ints.


def roundtrip(n):
    mismatches = 0
    total = 0
    for i in range(n):
        f = i * 0.1
        k = int(f * 10.0 + 0.5)
        if k != i:
            mismatches += 1
        total += round(f) - int(f)
    return mismatches, total


def integral_floats(n):
    equal = 0
    x = 0.0
    for i in range(n):
        if x == i:
            equal += 1
        x += 1.0
        if i == n // 2:
            x += 0.5
    return equal


print(roundtrip(5000))
print(integral_floats(4000))
print(float(2**63), int(2.0**63), int(-1e20), float(2**1000 + 1) == 2.0**1000)
