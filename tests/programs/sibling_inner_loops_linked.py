# Two inner loops in one outer loop: a bridge from the end of one runs the
# outer body up to the other's header, leaves there and enters that loop's
# trace at once (a link). The loops change types, raise, break, and rebind
# what the other loop reads.
def collatz_and_gcd(n):
    longest = steps_total = gcd_total = 0
    start = 1
    while start < n:
        x, steps = start, 0
        while x != 1:
            x = x // 2 if x % 2 == 0 else 3 * x + 1
            steps += 1
        steps_total += steps
        longest = max(longest, steps)
        a, b = start, n
        while b:
            a, b = b, a % b
        gcd_total += a
        start += 1
    return longest, steps_total, gcd_total


print(collatz_and_gcd(3000))


def dot_then_peak(xs, ys, rounds):
    total = peak = 0.0
    for r in range(rounds):
        for i in range(len(xs)):
            total += xs[i] * ys[i]
        for x in xs:
            if x > peak:
                peak = x
        if r == rounds // 2:
            xs = [v * 1.5 for v in xs]
        if r == rounds - 3:
            ys = [int(v) for v in ys]
    return total, peak


print(dot_then_peak([i * 0.25 for i in range(300)], [i % 7 * 0.5 for i in range(300)], 60))


def second_loop_raises(n):
    caught = 0
    out = []
    for r in range(n):
        s = 0
        for i in range(150):
            s += i
        try:
            for j in range(150):
                if r % 11 == 10 and j == 75:
                    raise KeyError(r)
                s -= 1
        except KeyError:
            caught += 1
        out.append(s)
    return caught, out[-4:]


print(second_loop_raises(60))


def second_loop_breaks(n):
    found = []
    for r in range(n):
        acc = 0
        for i in range(200):
            acc += i * r
        for j in range(200):
            if j * j > acc % 997:
                found.append(j)
                break
    return found[-6:], len(found)


print(second_loop_breaks(80))


def types_change_between(n):
    acc = 0
    for r in range(n):
        for i in range(120):
            acc += i
        if r == n // 2:
            acc = acc * 0.5
        k = 0
        while k < 130:
            acc -= 1
            k += 1
    return acc


print(types_change_between(40))


def while_loops_in_turn(n):
    # The for loop's end bridges to a while loop's header, compiled or not
    # yet; that loop sometimes runs no turn, breaks or ends in its else, and
    # the second one sees a float late and is skipped every fifth turn.
    out = []
    for r in range(n):
        t = 0
        for i in range(60):
            t += i * r
        k = t % 7
        while k < 40:
            if k == r % 45:
                break
            k += 3
        else:
            t += 1
        m = 0 if r % 5 == 0 else r
        if r == n - 10:
            m = float(m)
        while m > 1:
            m = m // 2 if m % 2 == 0 else m - 1
            t += 1
        out.append((t, k, m))
    return out[-5:], sum(x[0] for x in out)


print(while_loops_in_turn(400))




def branch_between_inner_loops(n):
    # A bridge from the outer body's `if`, after the first inner loop ended,
    # makes the second one's iterator where the first one's was. The second
    # loop sees a tuple, then floats.
    items = list(range(40))
    t = 0
    for r in range(n):
        for x in range(100):
            t += x ^ r
        if r % 3 == 0:
            t += 5
        for v in items:
            t -= v
        if r == n // 2:
            items = tuple(items)
        if r == n - 5:
            items = [0.5, 1.5]
    return t


print(branch_between_inner_loops(300))
