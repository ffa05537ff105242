# `del` of a local inside and after loops; reading it afterwards raises
# UnboundLocalError, caught outside the loop.


def delete_after_loop(n):
    total = 0
    for i in range(n):
        temp = i * 2
        total += temp
    del temp
    try:
        return total + temp
    except UnboundLocalError as error:
        return total, str(error)


def delete_inside_loop(n):
    total = 0
    for i in range(n):
        scratch = i + 1
        total += scratch
        del scratch
    return total


def delete_then_read(n):
    x = 0
    i = 0
    try:
        while i < n:
            x += i
            if i == n - 10:
                del x
            i += 1
    except UnboundLocalError as error:
        return i, str(error)
    return i, x


def redefine_after_delete(n):
    acc = 0
    for i in range(n):
        acc += i
        if i % 500 == 499:
            kept = acc
            del acc
            acc = kept // 2
    return acc


print(delete_after_loop(3000))
print(delete_inside_loop(3000))
print(delete_then_read(3000))
print(redefine_after_delete(5000))
