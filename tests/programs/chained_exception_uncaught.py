# An exception raised while handling another from a hot loop: the traceback shows
# both, chained ("During handling of the above exception..."), and then one with
# an explicit cause ("The above exception was the direct cause...").


def divide_all(n):
    total = 0
    for d in range(n, -1, -1):
        total += 10**6 // d
    return total


def wrapped(n):
    try:
        return divide_all(n)
    except ZeroDivisionError as error:
        raise ValueError("bad divisor") from error


try:
    divide_all(3000)
except ZeroDivisionError:
    print("first failure handled")
try:
    wrapped(3000)
except ValueError as error:
    print("second failure handled:", error, type(error.__cause__).__name__)
try:
    divide_all(3000)
except ZeroDivisionError:
    wrapped(4000)
