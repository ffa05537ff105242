# Constants keep their identity across compiled code: after an exit, names bound to
# the same co_consts entry still hold the very same object (`is` agrees with CPython).


def same_objects(n):
    same = 0
    for i in range(n):
        a = 123456789123
        b = 123456789123
        x = 2.5
        y = 2.5
        total = a + i
        if i % 97 == 96:
            same += (a is b) + (x is y) * 10
    return same, total


def identity_of_globals_after_loop(n):
    value = 10**15
    keep = None
    for i in range(n):
        keep = value
        value = value
    return keep is value


print(same_objects(5000))
print(identity_of_globals_after_loop(3000))
