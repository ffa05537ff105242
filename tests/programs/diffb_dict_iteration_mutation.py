# Iterating dict keys()/values()/items() in hot loops, and mutating the dict
# while iterating: CPython raises RuntimeError (size changed / keys changed),
# both caught in the loop and finally uncaught with its traceback.
import traceback


def sum_views(n):
    d = {i: i * 3 for i in range(n)}
    a = 0
    for k in d.keys():
        a += k
    b = 0
    for v in d.values():
        b += v
    c = 0
    for k, v in d.items():
        c += k * v
    return a, b, c


def add_during_iteration(n):
    d = {i: i for i in range(20)}
    caught = []
    for rnd in range(n):
        try:
            for k in d:
                if k == 10 + rnd % 5:
                    d[1000 + rnd] = rnd
        except RuntimeError as e:
            caught.append(str(e))
    return len(caught), caught[0], len(d)


def delete_during_items(n):
    caught = 0
    last = None
    for rnd in range(n):
        d = {i: i for i in range(30)}
        try:
            for k, v in d.items():
                if v == rnd % 30:
                    del d[k]
        except RuntimeError as e:
            caught += 1
            last = str(e)
    return caught, last


def replace_same_size(n):
    # delete one key and add another: same size, CPython reports keys changed
    d = {i: i for i in range(10)}
    msgs = []
    for rnd in range(n):
        try:
            for k in d.keys():
                if k % 10 == 5:
                    del d[k]
                    d[k + 10] = rnd
        except RuntimeError as e:
            msgs.append(str(e))
    return len(msgs), sorted(set(msgs)), sorted(d)[:5]


def value_update_is_fine(n):
    d = {i: 0 for i in range(50)}
    for rnd in range(n // 50):
        for k in d:
            d[k] = d[k] + rnd
    for k, v in d.items():
        d[k] = v * 2
    return sum(d.values())


def pop_during_values(n):
    d = {i: i for i in range(n)}
    seen = 0
    for v in d.values():
        seen += 1
        if seen == n // 2:
            d.pop(0)
    return seen


print(sum_views(400))
print(add_during_iteration(300))
print(delete_during_items(300))
print(replace_same_size(300))
print(value_update_is_fine(400))
try:
    print(pop_during_values(400))
except RuntimeError:
    traceback.print_exc()
print(pop_during_values(400))
