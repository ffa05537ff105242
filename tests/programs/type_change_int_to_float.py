# Loop-carried variables that change from int to float (and back) midway; the
# compiled loop must notice and the results must not change.


def int_then_float(n, switch):
    x = 0
    for i in range(n):
        if i == switch:
            x = x + 0.5
        x = x + i
    return x


def float_then_int(n, switch):
    x = 0.0
    for i in range(n):
        x = x + i
        if i == switch:
            x = int(x)
    return x


def alternating_types(n):
    x = 1
    total = 0.0
    for i in range(n):
        if i % 1000 == 999:
            x = float(x) if isinstance(x, int) else int(x)
        x = x + 1
        total += x
    return x, total


def divisor_type_changes(n):
    total = 0
    d = 3
    for i in range(n):
        if i == n // 2:
            d = 3.0
        total += i // d
    return total


for switch in (0, 1, 10, 2999, 3000):
    print(switch, repr(int_then_float(3000, switch)), repr(float_then_int(3000, switch)))
print([repr(v) for v in alternating_types(5000)])
print(repr(divisor_type_changes(4000)))
