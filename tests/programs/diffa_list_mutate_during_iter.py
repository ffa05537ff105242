# Lists mutated while a for loop iterates them (CPython's list iterator reads
# the live list by index): appending extends the loop, removing skips items,
# clearing ends it early, replacing the loop variable's list name does not
# change the iterator, and stores ahead of the iterator are seen.


def append_while_iterating(n):
    xs = [1, 2, 3]
    seen = 0
    for x in xs:
        seen += x
        if len(xs) < n:
            xs.append(x * 2 % 97)
    return seen, len(xs)


def remove_while_iterating(n):
    xs = list(range(n))
    visited = []
    for x in xs:
        visited.append(x)
        if x % 3 == 0:
            xs.remove(x)
    return len(visited), visited[:8], len(xs), xs[:6]


def pop_front_while_iterating(n):
    xs = list(range(n))
    count = 0
    total = 0
    for x in xs:
        count += 1
        total += x
        if count % 2 == 0:
            xs.pop(0)
    return count, total, len(xs)


def clear_midway(n):
    xs = [i * 0.5 for i in range(n)]
    t = 0.0
    for i, x in enumerate(xs):
        t += x
        if i == n // 3:
            xs.clear()
    return t, xs


def rebind_name(n):
    xs = list(range(n))
    t = 0
    for x in xs:
        t += x
        xs = [0]
    return t, xs


def store_ahead(n):
    xs = list(range(n))
    t = 0
    for i, x in enumerate(xs):
        t += x
        if i + 1 < len(xs):
            xs[i + 1] = x + xs[i + 1]
    return t, xs[-1]


def insert_front(n):
    xs = [5, 6, 7]
    steps = 0
    for x in xs:
        steps += 1
        if steps < n:
            xs.insert(0, steps)
        else:
            break
    return steps, xs[:5], xs[-3:]


def while_index_mutation(n):
    xs = list(range(n))
    i = 0
    removed = 0
    while i < len(xs):
        if xs[i] % 4 == 1:
            del xs[i]
            removed += 1
            continue
        xs[i] *= 2
        i += 1
    return removed, xs[:6], sum(xs)


print("append_while_iterating", append_while_iterating(500))
print("remove_while_iterating", remove_while_iterating(600))
print("pop_front_while_iterating", pop_front_while_iterating(600))
print("clear_midway", clear_midway(600))
print("rebind_name", rebind_name(400))
print("store_ahead", store_ahead(400))
print("insert_front", insert_front(300))
print("while_index_mutation", while_index_mutation(800))
