# Loads the optimizer may keep or forward across stores: two names for one
# list or one instance, constant and variable indexes, a store of an int
# where a float was, attributes written through another reference, and a
# store in one branch of the loop only.


class Point:
    def __init__(self, x, v):
        self.x = x
        self.v = v


def two_names_one_list(n):
    data = [0.5, 1.5, 2.5]
    a = data
    b = data
    total = 0.0
    for i in range(n):
        a[0] = b[1] + i
        total += b[0] + a[2]
        b[2] = a[0] * 0.5
    return total, data


def variable_index(n):
    data = [1.0, 2.0, 3.0, 4.0]
    total = 0.0
    for i in range(n):
        k = i % 4
        data[k] = data[3 - k] + 1.0
        total += data[0] + data[k]
    return total, data


def int_where_a_float_was(n):
    data = [0.0, 1.0]
    seen = 0.0
    for i in range(n):
        data[0] = i if i % 3 == 0 else i * 0.5
        seen += data[0] + data[1]
    return seen, data


def attributes_through_another_reference(n):
    p = Point(1.0, 0.25)
    q = p
    total = 0.0
    for i in range(n):
        p.x = p.x + q.v
        q.v = p.x * 0.001
        total += p.v
    return total, p.x, p.v


def store_in_one_branch(n):
    p = Point(0.0, 2.0)
    total = 0.0
    for i in range(n):
        if i % 7 == 0:
            p.v = p.v + 1.0
        p.x = p.x + p.v
        total += p.x
    return total, p.v


def other_instance_same_class(n):
    p = Point(0.0, 1.0)
    r = Point(5.0, 3.0)
    total = 0.0
    for i in range(n):
        p.x = p.x + r.v
        r.v = r.v * 0.5 + 1.0
        total += p.x - r.x
    return total


print(two_names_one_list(3000))
print(variable_index(3000))
print(int_where_a_float_was(3000))
print(attributes_through_another_reference(3000))
print(store_in_one_branch(3000))
print(other_instance_same_class(3000))
