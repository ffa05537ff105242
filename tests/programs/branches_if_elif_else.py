# if/elif/else inside hot loops, with branches taken often, rarely, and only
# after the loop has been running (and compiled) for a while.


def fizz(n):
    a = b = c = d = 0
    for i in range(1, n):
        if i % 15 == 0:
            a += i
        elif i % 5 == 0:
            b += i
        elif i % 3 == 0:
            c += i
        else:
            d += i
    return a, b, c, d


def late_branch(n, switch):
    x = 0
    y = 0.0
    for i in range(n):
        if i < switch:
            x += 1
        else:
            x -= 2
            y += 0.5
    return x, y


def float_branches(n):
    x = 0.3
    ups = downs = 0
    for i in range(n):
        if x > 0.5:
            x = x * 0.9 - 0.01
            downs += 1
        else:
            x = x * 1.1 + 0.02
            ups += 1
    return repr(x), ups, downs


def nested_conditions(n):
    total = 0
    for i in range(n):
        if i & 1:
            if i & 2:
                total += 3
            else:
                total -= 1
        elif i & 4:
            total *= 1
        else:
            total += i & 7
    return total


print(fizz(6000))
for switch in (0, 1, 2, 100, 2999, 3000, 5000):
    print(switch, late_branch(3000, switch))
print(float_branches(5000))
print(nested_conditions(6000))
