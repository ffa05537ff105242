# while loops left with break and shortened with continue, also nested.


def first_square_above(limit):
    i = 0
    while True:
        i += 1
        if i * i > limit:
            break
    return i


def skip_multiples(n):
    i = 0
    total = 0
    while i < n:
        i += 1
        if i % 3 == 0:
            continue
        if i % 7 == 0:
            continue
        total += i
    return total


def break_from_inner(n):
    found = 0
    i = 0
    while i < n:
        j = 0
        while j < 50:
            if (i * j) % 97 == 96:
                found += j
                break
            j += 1
        else:
            found -= 1
        i += 1
    return found


def while_else(n):
    i = 0
    while i < n:
        i += 3
    else:
        i = -i
    return i


print([first_square_above(x) for x in (0, 1, 10, 10**6, 10**7)])
print(skip_multiples(10000))
print(break_from_inner(300))
print(while_else(3000), while_else(3001))
