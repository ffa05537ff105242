"""Numeric kernels really run as compiled code, and compute what CPython computes."""

import types

import pytest

import hotloop

pytestmark = pytest.mark.usefixtures("native")

TRACE_KEYS = {
    "name", "filename", "line", "function", "header_offset",
    "recorded_ir", "optimized_ir", "entries", "exits",
}


def float_kernel(n):
    x = 0.0
    y = 1.0
    for i in range(n):
        x = x * 0.5 + i
        y = y * 0.999 + x / (i + 1)
    return x, y


def int_while_kernel(n):
    i = 0
    total = 0
    mixed = 0
    while i < n:
        total += i
        mixed = (mixed + i * 7) % 1000003 - i // 3
        i += 1
    return total, mixed


@pytest.mark.parametrize("kernel", [float_kernel, int_while_kernel])
def test_kernel_runs_compiled_and_matches_cpython(kernel):
    hotloop.disable()
    expected = [kernel(n) for n in (0, 1, 5, 1000, 20000)]
    before = hotloop.stats()
    hotloop.enable(2)
    try:
        results = [kernel(n) for n in (0, 1, 5, 1000, 20000)]
    finally:
        hotloop.disable()
    after = hotloop.stats()

    assert results == expected
    assert after["traces_compiled"] - before["traces_compiled"] >= 1
    assert after["trace_entries"] - before["trace_entries"] >= 1
    assert after["compiles"] > before["compiles"]
    assert 0.0 < after["compile_ms_median"] <= after["compile_ms_max"]
    assert after["compile_ms_max"] <= after["compile_seconds"] * 1e3
    own_traces = [t for t in hotloop.traces() if t["function"] == kernel.__name__]
    assert own_traces, [t["name"] for t in hotloop.traces()]
    for trace in own_traces:
        assert set(trace) >= TRACE_KEYS
        assert trace["filename"] == __file__
        assert trace["optimized_ir"].strip()
    assert sum(t["entries"] for t in own_traces) >= 1


def matrix_rows(a, b, n):
    """Each row's inner loop runs n turns: long enough for its end to grow a
    bridge that enters the trace again rather than jumping to the header."""
    out = []
    for i in range(n):
        total = 0.0
        for j in range(n):
            total += a[i][j] * b[j]
        out.append(total)
    return out


def test_outer_body_runs_compiled_between_entries_of_a_long_inner_loop():
    n = 150
    a = [[(i * n + j) % 17 * 0.25 for j in range(n)] for i in range(n)]
    b = [j * 0.5 for j in range(n)]
    hotloop.disable()
    expected = matrix_rows(a, b, n)
    before = hotloop.stats()
    hotloop.enable(2)
    try:
        results = matrix_rows(a, b, n)
    finally:
        hotloop.disable()
    after = hotloop.stats()

    assert results == expected
    assert after["bridges_compiled"] > before["bridges_compiled"]
    # Nearly every row after the bridge entered the inner loop's trace again
    # straight from the bridge, without the interpreter in between.
    assert after["reentries"] - before["reentries"] >= n // 2
    assert after["trace_entries"] - after["reentries"] < before["trace_entries"] - before["reentries"] + n // 2


def escape_counts(n, limit):
    """Mandelbrot's shape: a short inner while loop in two for loops."""
    total = 0
    for y in range(n):
        ci = 2.0 * y / n - 1.0
        for x in range(n):
            cr = 2.5 * x / n - 2.0
            zr = zi = 0.0
            i = 0
            while i < limit and zr * zr + zi * zi <= 4.0:
                zr, zi = zr * zr - zi * zi + cr, 2.0 * zr * zi + ci
                i += 1
            total += i
    return total


def test_a_short_inner_loop_bridges_round_its_outer_loop_and_links_to_no_enclosing_loop():
    """The inner loop's end grows a bridge that runs the middle loop's body
    and jumps back into the inner loop: not a link to the middle loop's own
    trace, which would leave again at the inner loop."""
    hotloop.disable()
    expected = escape_counts(60, 30)
    before = hotloop.stats()
    hotloop.enable(2)
    try:
        result = escape_counts(60, 30)
        traces = [t for t in hotloop.traces() if t["function"] == "escape_counts"]
    finally:
        hotloop.disable()
    after = hotloop.stats()
    assert result == expected
    assert after["bridges_compiled"] > before["bridges_compiled"]
    # The innermost loop's trace (the last header) grew side blocks that
    # jump back into it; none leaves to enter another loop's trace.
    inner = max(traces, key=lambda t: t["header_offset"])
    assert "---- side" in inner["optimized_ir"] and "reenter" not in inner["optimized_ir"]
    own = [loop for loop in after["loops"] if loop["function"] == "escape_counts"]
    compiled = sum(loop["iterations_compiled"] for loop in own)
    interpreted = sum(loop["iterations_interpreted"] for loop in own)
    assert compiled > 20 * interpreted, own


def growth_steps(n):
    """An inner while loop started from the outer loop's counter (`k = start`):
    the bridge round the outer loop gives both one new int."""
    out = 0
    start = 1
    while start < n:
        k = start
        count = 0
        while k < n:
            k += k // 3 + 1
            count += 1
        out += count
        start += 1
    return out


def stats_around_compiled_run(function, *args, threshold=None):
    """Run `function(*args)` plainly, then under hotloop (`threshold`): the
    results must agree. Returns the stats from before and after the second."""
    hotloop.disable()
    expected = function(*args)
    before = hotloop.stats()
    hotloop.enable(threshold)
    try:
        result = function(*args)
    finally:
        hotloop.disable()
    assert result == expected
    return before, hotloop.stats()


def test_a_bridge_that_gives_two_variables_one_new_value_runs_the_outer_loop_compiled():
    before, after = stats_around_compiled_run(growth_steps, 20000, threshold=2)
    assert after["bridges_compiled"] > before["bridges_compiled"]
    own = [loop for loop in after["loops"] if loop["function"] == "growth_steps"]
    assert not any(loop["why_kind"] == "identity-lost" for loop in own), own
    # The outer loop's turns run in the bridge: the trace is entered a handful
    # of times, not once per start.
    assert after["trace_entries"] - before["trace_entries"] < 100


def gcd_steps(n):
    """Collatz's shape: the inner loop's end bridges round an outer body with
    a while loop whose turns depend on the data."""
    total = 0
    start = 1
    while start < n:
        x = start
        steps = 0
        while x != 1:
            x = x // 2 if x % 2 == 0 else 3 * x + 1
            steps += 1
        a, b = start, n
        while b:
            a, b = b, a % b
        total += steps + a
        start += 1
    return total


def test_a_bridge_does_not_unroll_a_while_loop_of_the_outer_body():
    before, after = stats_around_compiled_run(gcd_steps, 20000)
    # Unrolled, every count of turns Euclid's loop takes would grow a bridge.
    assert after["bridges_compiled"] - before["bridges_compiled"] <= 4, after["bridges_compiled"] - before["bridges_compiled"]


def test_a_bridge_links_to_a_while_loop_of_the_outer_body():
    """The steps loop's end bridges to the gcd loop's header and the gcd
    loop's end to the steps loop's: each turn of the outer loop goes from one
    trace to the other without the interpreter."""
    n = 20000
    before, after = stats_around_compiled_run(gcd_steps, n)
    own = [loop for loop in after["loops"] if loop["function"] == "gcd_steps"]
    assert len(own) == 2 and all(loop["why_kind"] is None for loop in own), own
    compiled = sum(loop["iterations_compiled"] for loop in own)
    interpreted = sum(loop["iterations_interpreted"] for loop in own)
    assert compiled > 50 * interpreted, own
    # Both traces entered from the other's bridge about once a turn.
    assert after["reentries"] - before["reentries"] > n, after["reentries"] - before["reentries"]


LONG_ITEMS = list(range(300))
SHORT_ITEMS = list(range(20))


def long_then_short(n):
    """The long loop compiles first; the short one (20 items, too many to
    unroll into a bridge) only once the long loop's end has a bridge."""
    total = 0
    for k in range(n):
        for x in LONG_ITEMS:
            total += x * k
        for y in SHORT_ITEMS:
            total -= y
    return total


def test_a_bridge_links_to_a_for_loop_of_the_outer_body_too_long_to_unroll():
    """The long loop's end bridges to the short loop's header, uncompiled
    when the bridge was recorded, and the short loop's end to the long
    loop's: each turn of the outer loop goes from one trace to the other."""
    n = 2000
    before, after = stats_around_compiled_run(long_then_short, n, threshold=200)
    own = [loop for loop in after["loops"] if loop["function"] == "long_then_short"]
    assert len(own) == 2 and all(loop["state"] == "compiled" for loop in own), own
    assert after["bridges_compiled"] - before["bridges_compiled"] == 2
    new_aborts = {r: k - before["aborts"].get(r, 0) for r, k in after["aborts"].items()}
    assert not any(r.startswith("bridge") and k for r, k in new_aborts.items()), new_aborts
    # Each trace is entered from the other's bridge about once a turn.
    assert after["reentries"] - before["reentries"] > 1.8 * n, after["reentries"] - before["reentries"]


def branch_then_loop(n):
    """An `if` of the outer body between two inner loops."""
    items = tuple(range(40))
    total = 0
    for r in range(n):
        for x in range(100):
            total += x * r
        if r % 4 == 1:
            total -= 3
        for v in items:
            total -= v
    return total


def test_a_bridge_from_the_outer_body_makes_the_next_inner_loops_iterator():
    """The bridge from the `if` (its condition still on the stack where the
    first loop's iterator was) makes the second loop's iterator there: both
    sides of the `if` go from one trace to the other."""
    n = 3000
    before, after = stats_around_compiled_run(branch_then_loop, n)
    new_aborts = {r: k - before["aborts"].get(r, 0) for r, k in after["aborts"].items()}
    assert not any(r.startswith("bridge") and k for r, k in new_aborts.items()), new_aborts
    assert after["reentries"] - before["reentries"] > 1.9 * n, after["reentries"] - before["reentries"]


def total_of(items):
    total = 0
    for item in items:
        total += item
    return total


def test_a_loop_about_to_end_when_it_turns_hot_is_compiled_only_when_it_turns_hot_again():
    # At threshold 100, the first call's loop turns hot with 50 items left:
    # not worth a compilation, so it runs on interpreted.
    items = list(range(150))
    before, after = stats_around_compiled_run(total_of, items, threshold=100)
    assert after["traces_compiled"] == before["traces_compiled"]
    own = [loop for loop in after["loops"] if loop["function"] == "total_of"]
    assert [loop["iterations_compiled"] for loop in own] == [0]
    # Called again and again, it turns hot again, and is compiled then.
    hotloop.enable(100)
    try:
        assert [total_of(items) for _ in range(5)] == [sum(items)] * 5
    finally:
        hotloop.disable()
    own = [loop for loop in hotloop.stats()["loops"] if loop["function"] == "total_of"]
    assert own[0]["iterations_compiled"] > 0, own
    # A long loop (of a new code object) is compiled the first time.
    fresh = types.FunctionType(total_of.__code__.replace(), globals())
    before, after = stats_around_compiled_run(fresh, list(range(5000)), threshold=100)
    assert after["traces_compiled"] > before["traces_compiled"]


def pair_sums(rows):
    total = 0
    for row in rows:
        for j in range(5):
            total += row * j
    return total


def test_a_short_loop_whose_turns_divide_the_threshold_is_not_recorded_at_its_last_turn():
    # The inner loop's 100th back edge (and each 100th after) is the last of
    # an entry: a recording started there would leave the loop at once.
    before, after = stats_around_compiled_run(pair_sums, list(range(400)), threshold=100)
    inner = [loop for loop in after["loops"] if loop["function"] == "pair_sums" and loop["line"] == pair_sums.__code__.co_firstlineno + 3]
    assert inner and inner[0]["state"] == "compiled", after["loops"]
    assert "left the loop while recording" not in inner[0]["aborts"], inner[0]
    assert after["aborts"].get("left the loop while recording", 0) == before["aborts"].get(
        "left the loop while recording", 0
    )


def floors(heights):
    """The lowest of each point and its two neighbours: `min` of three ints."""
    total = 0
    for i in range(1, len(heights) - 1):
        total += min(heights[i - 1], heights[i], heights[i + 1])
    return total


def test_min_of_three_numbers_runs_compiled():
    """`min(a, b, c)` compares as CPython's does, in guards: the loop around
    it is compiled, where a call of it used to leave the loop interpreted."""
    heights = [(i * 7919) % 101 - 50 for i in range(6000)]
    before, after = stats_around_compiled_run(floors, heights, threshold=50)
    own = [loop for loop in after["loops"] if loop["function"] == "floors"]
    assert any(loop["state"] == "compiled" for loop in own), own
    assert after["iterations_compiled"] - before["iterations_compiled"] > 5000


class Walker:
    def __init__(self, x, v):
        self.x = x
        self.v = v
        self.turns = 0

    def step(self):
        self.x += self.v
        if self.x > 100.0 or self.x < 0.0:
            self.v = -self.v
            self.turns += 1


def walk(walkers, steps):
    for _ in range(steps):
        for w in walkers:
            w.step()
    return [(w.x, w.v, w.turns) for w in walkers]


def test_method_that_updates_its_instance_then_tests_it_runs_compiled():
    """A method storing into `self` and then branching on it is inlined: its
    stores wait for its tests (an exit before them changes nothing), so the
    loop that calls it runs compiled, where the call used to stay a call and
    the loop interpreted."""
    def walk_new_walkers():
        # The first run moves its walkers: the second needs its own.
        return walk([Walker(i * 3.0, 0.5 + i % 4) for i in range(30)], 300)

    before, after = stats_around_compiled_run(walk_new_walkers, threshold=50)
    own = [loop for loop in after["loops"] if loop["function"] == "walk"]
    assert any(loop["state"] == "compiled" for loop in own), own
    assert after["iterations_compiled"] - before["iterations_compiled"] > 5000
    traces = [t for t in hotloop.traces() if t["function"] == "walk"]
    assert traces and all("generic" not in t["optimized_ir"] for t in traces)


class Gauge:
    def __init__(self):
        self.level = 0.0
        self.peaks = 0


def track(samples, gauge):
    last = -1.0
    for x in samples:
        gauge.level = x * 0.5 + gauge.level * 0.5
        if x > last:
            gauge.peaks += 1
        last = x
    return gauge.level, gauge.peaks


def test_a_list_item_kept_round_the_loop_past_stores_into_attributes_runs_compiled():
    """`last = x` keeps a list's item into the next turn, whose stores go into
    an instance's attributes: they cannot free a list's item, so the loop is
    compiled, where it used to be refused (`an element read from a container
    is kept across a store`)."""
    samples = [(i * 37 % 11) * 0.5 for i in range(3000)]
    before, after = stats_around_compiled_run(lambda: track(samples, Gauge()), threshold=50)
    own = [loop for loop in after["loops"] if loop["function"] == "track"]
    assert own and all(loop["state"] == "compiled" for loop in own), own
    assert after["iterations_compiled"] - before["iterations_compiled"] > 2500


def pairwise_kicks(pairs, steps):
    """pyperformance's n-body: positions unpacked from lists are kept while
    the loop stores into velocity lists, which may be the same lists."""
    for _ in range(steps):
        for ([x1, y1], v1, m1), ([x2, y2], v2, m2) in pairs:
            dx = x1 - x2
            dy = y1 - y2
            mag = (dx * dx + dy * dy + 0.01) ** -1.5
            v1[0] -= dx * m2 * mag
            v1[1] -= dy * m2 * mag
            v2[0] += dx * m1 * mag
            v2[1] += dy * m1 * mag
    return [v for body in {id(b): b for pair in pairs for b in pair}.values() for v in body[1]]


def test_elements_kept_past_stores_that_may_free_them_run_compiled():
    """The trace holds references to the unpacked positions instead of giving
    up on the stores (`an element read from a container is kept across a
    store`), so the pair loop runs compiled with no generic instruction."""

    def kicks():
        bodies = [([float(k), k * 0.5], [0.0, 0.0], 1.0 + k) for k in range(5)]
        return pairwise_kicks([(bodies[i], bodies[j]) for i in range(5) for j in range(i + 1, 5)], 400)

    before, after = stats_around_compiled_run(kicks, threshold=50)
    own = [loop for loop in after["loops"] if loop["function"] == "pairwise_kicks"]
    assert any(loop["state"] == "compiled" for loop in own), own
    assert after["iterations_compiled"] - before["iterations_compiled"] > 3000
    traces = [t for t in hotloop.traces() if t["function"] == "pairwise_kicks"]
    assert traces and all("generic" not in t["optimized_ir"] for t in traces)
    assert any("new_ref" in t["optimized_ir"] for t in traces)


class Vector:
    __slots__ = ("x", "y")

    def __init__(self, i):
        self.x = i * 0.5 - 3.0
        self.y = 100.0 - i * 0.25

    def normalize(self):
        x = self.x
        y = self.y
        norm = (x * x + y * y) ** 0.5
        self.x /= norm
        self.y /= norm

    def maximize(self, other):
        self.x = self.x if self.x > other.x else other.x
        self.y = self.y if self.y > other.y else other.y
        return self


def normalize_all(vectors):
    for v in vectors:
        v.normalize()
    best = vectors[0]
    for v in vectors:
        best = best.maximize(v)
    return best.x, best.y, [(v.x, v.y) for v in vectors[:5]]


def test_methods_that_store_over_attributes_they_read_are_inlined():
    """pyperformance's float: `normalize` keeps the attributes it reads in
    locals that die at its return, and `maximize` stores attribute values
    themselves; both calls are inlined, so their loops run compiled."""
    before, after = stats_around_compiled_run(lambda: normalize_all([Vector(i) for i in range(3000)]), threshold=50)
    own = [loop for loop in after["loops"] if loop["function"] == "normalize_all"]
    assert len(own) == 2 and all(loop["state"] == "compiled" for loop in own), own
    assert after["iterations_compiled"] - before["iterations_compiled"] > 5000
    traces = [t for t in hotloop.traces() if t["function"] == "normalize_all"]
    assert traces and all("generic" not in t["optimized_ir"] for t in traces)


def weighted(u):
    total = 0
    for j, x in enumerate(u):
        total += (j + 1.0) * x
    return total


def phases():
    """spectral_norm's runs: each starts on a list of ints, then goes on to
    floats, so each phase throws the trace of the last one away."""
    results = []
    for _ in range(4):
        for u in ([1] * 300, [0.5] * 300):
            results.extend(weighted(u) for _ in range(100))
    return results


def test_a_loop_whose_types_change_with_the_phase_of_the_program_is_compiled_for_each():
    """A trace thrown away because its entries leave at once (the element
    type changed) after it ran many iterations is no failure: the loop is
    compiled again for the new phase, every time, not blacklisted."""
    before, after = stats_around_compiled_run(phases, threshold=50)
    own = [loop for loop in after["loops"] if loop["function"] == "weighted"]
    assert own and all(loop["state"] == "compiled" for loop in own), own
    compiled = after["iterations_compiled"] - before["iterations_compiled"]
    interpreted = after["iterations_interpreted"] - before["iterations_interpreted"]
    assert compiled > 10 * interpreted, (compiled, interpreted)


def rotate_and_collect(n):
    xs = list(range(9))
    out = []
    insert, pop, append = xs.insert, xs.pop, out.append
    for i in range(n):
        insert(i % 7, pop(0))
        append(xs[0])
    return xs, out[-5:]


def test_builtin_methods_bound_once_are_called_directly():
    """`append = out.append` before the loop: the calls go straight to the
    list's methods (guarded on the bound object's method), no generic call."""
    before, after = stats_around_compiled_run(rotate_and_collect, 5000, threshold=50)
    own = [loop for loop in after["loops"] if loop["function"] == "rotate_and_collect"]
    assert own and all(loop["state"] == "compiled" for loop in own), own
    assert after["iterations_compiled"] - before["iterations_compiled"] > 4000
    traces = [t for t in hotloop.traces() if t["function"] == "rotate_and_collect"]
    assert traces and all("generic" not in t["optimized_ir"] for t in traces)
    assert any("cfunc.def" in t["optimized_ir"] for t in traces)


def widest_window(xs, k):
    best = 0
    for i in range(len(xs) - k):
        w = xs[i:i + k]
        best = max(best, w[-1] - w[0] + len(w))
    return best


def test_a_slice_of_a_list_runs_compiled():
    """`xs[i:i + k]` makes its new list through a helper, as a str slice
    does, instead of a generic instruction."""
    before, after = stats_around_compiled_run(widest_window, [k * k % 97 for k in range(3000)], 7, threshold=50)
    own = [loop for loop in after["loops"] if loop["function"] == "widest_window"]
    assert own and all(loop["state"] == "compiled" for loop in own), own
    traces = [t for t in hotloop.traces() if t["function"] == "widest_window"]
    assert traces and all("generic" not in t["optimized_ir"] for t in traces)
    assert any("list_slice" in t["optimized_ir"] for t in traces)


def parse_columns(lines):
    a = 0
    b = 0.0
    for line in lines:
        parts = line.split(",")
        a += int(parts[0])
        b += float(parts[1])
    return a, b


def test_numbers_parsed_from_strs_run_compiled():
    """`int(s)` and `float(s)` of strs call the C parsers directly, with the
    int unboxed, instead of being generic calls."""
    lines = [f"{i},{i / 8}" for i in range(3000)]
    before, after = stats_around_compiled_run(parse_columns, lines, threshold=50)
    own = [loop for loop in after["loops"] if loop["function"] == "parse_columns"]
    assert own and all(loop["state"] == "compiled" for loop in own), own
    traces = [t for t in hotloop.traces() if t["function"] == "parse_columns"]
    assert traces and all("generic" not in t["optimized_ir"] for t in traces)
    assert any("call_method int" in t["optimized_ir"] and "call_method float" in t["optimized_ir"] for t in traces)


def row_spread(rows):
    t = 0.0
    for row in rows:
        t += sum(row) + max(row) - min(row)
    return t


def test_sum_min_and_max_of_lists_of_numbers_run_compiled():
    """`sum(row)`, `min(row)` and `max(row)` of a list of numbers call the
    builtins directly (their items checked to be numbers first)."""
    rows = [[i * 0.5, i % 7, 3.25] for i in range(3000)]
    before, after = stats_around_compiled_run(row_spread, rows, threshold=50)
    own = [loop for loop in after["loops"] if loop["function"] == "row_spread"]
    assert own and all(loop["state"] == "compiled" for loop in own), own
    traces = [t for t in hotloop.traces() if t["function"] == "row_spread"]
    assert traces and all("generic" not in t["optimized_ir"] for t in traces)
    assert any(all(f"call_method {f}" in t["optimized_ir"] for f in ("sum", "min", "max")) for t in traces)


def split_words(text):
    out = []
    i = 0
    n = len(text)
    while i < n:
        if text[i] == " ":
            i += 1
            continue
        j = i
        while j < n and text[j] != " ":
            j += 1
        out.append(text[i:j])
        i = j
    return out


def test_a_short_inner_loop_is_unrolled_into_the_loop_around_it():
    """The scan over each word turns a few times per word: compiled on its
    own it would be entered from the interpreter for each word and thrown
    away. Unrolled into the loop over the text (which a `continue` gives a
    second header), the whole tokenizer runs compiled, with no generic
    instruction."""
    text = "  ".join(["alpha", "be", "gamma12", "d", "x+y", "zz", "a" * 30] * 3000)
    before, after = stats_around_compiled_run(split_words, text, threshold=50)
    own = [loop for loop in after["loops"] if loop["function"] == "split_words"]
    compiled = [loop for loop in own if loop["state"] == "compiled"]
    assert compiled, own
    assert not any(loop["why_kind"] == "inner-loop" for loop in own), own
    # Interpreted: the iterations before the loops turned hot and while
    # their traces and bridges compiled, a few hundred.
    ran = sum(loop["iterations_compiled"] for loop in own)
    interpreted = sum(loop["iterations_interpreted"] for loop in own)
    assert ran > 20 * interpreted, own
    traces = [t for t in hotloop.traces() if t["function"] == "split_words"]
    assert traces and all("generic" not in t["optimized_ir"] for t in traces)


def reverse_prefixes(perm, rounds):
    perm = list(perm)
    flips = 0
    for _ in range(rounds):
        k = perm[0]
        perm[:k + 1] = perm[k::-1]
        flips += k
    return flips, perm


def test_slices_with_a_step_and_slice_assignment_run_as_generic_instructions(monkeypatch):
    """`BUILD_SLICE` and `STORE_SLICE` have no fast path, but they no longer
    keep a loop from compiling: with the cost model off, fannkuch's flip
    runs compiled, its slices made and stored by the interpreter's code."""
    monkeypatch.setenv("HOTLOOP_IGNORE_GENERIC_COST", "1")
    code = reverse_prefixes.__code__.replace()
    function = types.FunctionType(code, globals(), "reverse_prefixes")
    before, after = stats_around_compiled_run(function, [3, 1, 4, 0, 2, 5, 8, 6, 7], 3000, threshold=50)
    own = [loop for loop in after["loops"] if loop["function"] == "reverse_prefixes"]
    assert own and all(loop["state"] == "compiled" for loop in own), own
    assert after["iterations_compiled"] - before["iterations_compiled"] > 2500


def rows_after_rounds(n):
    rows = [[float(k)] * 3 for k in range(4)]
    acc = 0.0
    for step in range(n):
        if step >= 100:
            for i in range(3):
                for j in range(40):
                    acc += j * 0.5
        for r in rows:
            acc += r[0]
    return acc


def test_nested_range_loops_and_a_short_loop_compiled_first_stay_in_one_tree():
    """The short loop over `rows` runs alone for 100 turns first and gets a
    trace of its own. Then the `j` loop's tree grows bridges round the `i`
    loop (its second and third turns, from the guard on the range's end) and
    through the rows loop, which they unroll rather than end at its trace,
    whose end could not go on round the outer loop: after warm-up, no turn
    of the outer loop leaves compiled code."""
    before, after = stats_around_compiled_run(rows_after_rounds, 3000, threshold=50)
    own = {loop["line"]: loop for loop in after["loops"] if loop["function"] == "rows_after_rounds"}
    assert own, after["loops"]
    assert after["exits"] - before["exits"] < 300, after["exits"] - before["exits"]
    assert after["reentries"] == before["reentries"]
