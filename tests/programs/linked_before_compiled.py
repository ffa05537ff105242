# Run at threshold 200 too (test_differential): the first inner loop compiles
# and its end gets a bridge before the second inner loop turns hot. The
# bridge goes round the outer body to the second loop: it unrolls that loop
# when few items are left, and otherwise ends at its header, compiled or not
# yet. The second loop breaks, raises, meets a float late and sees its list
# shrink and grow; the outer body between them does work of its own.
def long_then_varied(n):
    out = []
    items = list(range(20))
    caught = 0
    for r in range(n):
        t = 0
        for x in range(150):
            t += x ^ r
        m = (r * 7) % 13
        if m % 3 == 0:
            t += m // 3
        try:
            for v in items:
                if v == 17 and r % 7 == 0:
                    break
                if v == 15 and r % 50 == 49:
                    raise ValueError(r)
                t -= v
        except ValueError:
            caught += 1
        if r == n // 3:
            items = items[:10]
        if r == n // 2:
            items = items * 6
        if r == n - 20:
            items.append(2.5)
        out.append(t)
    return out[-6:], sum(out), caught


print(long_then_varied(400))
