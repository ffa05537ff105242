# int(s) and float(s) of strs in hot loops: parsed by CPython's own C code;
# a str that is no number (ValueError, raised at the right line), huge ints,
# underscores, whitespace, other digits, inf and nan, and a str subclass.


class Text(str):
    pass


def total_ints(fields):
    total = 0
    for f in fields:
        total += int(f)
    return total


def total_floats(fields):
    total = 0.0
    for f in fields:
        total += float(f)
    return total


def columns(lines):
    a = 0
    b = 0.0
    for line in lines:
        parts = line.split(",")
        a += int(parts[0])
        b += float(parts[1]) * 2
    return a, b


def first_bad(fields):
    seen = 0
    try:
        for f in fields:
            seen += int(f)
    except ValueError as e:
        return seen, str(e)
    return seen, None


print(total_ints([str(i) for i in range(300)] + [" 7 ", "1_000", "-5", "\u0661\u0662"]))
print(total_ints([str(i) for i in range(300)] + ["9" * 30, "12"]))
print(total_floats([f"{i}.25" for i in range(300)] + ["1e300", " -2.5 ", "1_0.5"]))
print(total_floats([f"{i}.5" for i in range(300)] + ["inf", "-inf"]), total_floats(["nan"] * 3 + ["1.0"] * 300))
print(columns([f"{i},{i / 4}" for i in range(500)]))
print(first_bad([str(i) for i in range(300)] + ["12x", "5"]))
print(total_ints([str(i) for i in range(200)] + [Text("40")]))
try:
    total_floats([str(i) for i in range(300)] + ["one"])
except ValueError as e:
    print("ValueError", e)
