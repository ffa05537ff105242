"""What the optimized trace of a kernel contains: the loop body of numeric code
keeps its values unboxed, checks no types, reads nothing from the frame, and
calls no helper for what the machine does itself."""

import textwrap

import pytest

from support import child_environment, run_python

pytestmark = pytest.mark.usefixtures("native")


def loop_bodies(source, call, whole_lines=False):
    """The optimized IR after `---- loop ----` of every trace compiled while
    running `source` and then `call`, as lists of instruction mnemonics (or of
    whole instruction lines)."""
    program = textwrap.dedent(source) + textwrap.dedent(
        f"""
        import hotloop, json
        hotloop.enable(threshold=5)
        {call}
        def mnemonic(line):
            # "%15  f64  fmul %14 %13", or "%13  guard_true %12 #3" (no type)
            words = line.split()
            return words[2] if words[1] in ("i64", "f64", "bool", "obj") else words[1]

        bodies = []
        for trace in hotloop.traces():
            ir = trace["optimized_ir"].splitlines()
            start = next(i for i, line in enumerate(ir) if "---- loop ----" in line)
            instructions = [line for line in ir[start + 1:] if line.startswith("%") and "----" not in line]
            bodies.append(instructions if {whole_lines} else [mnemonic(line) for line in instructions])
        print(json.dumps(bodies))
        """
    )
    # Bridges compiled at once, so that the trees are grown when they are read.
    result = run_python("-c", program, env=child_environment(HOTLOOP_BACKGROUND_COMPILE="0"))
    assert result.returncode == 0, result.stderr
    import json

    return json.loads(result.stdout.splitlines()[-1])


def test_float_loop_body_has_no_type_checks_boxes_or_frame_reads():
    bodies = loop_bodies(
        """
        def series(n):
            x = 1.0
            for i in range(n):
                x = x * 0.5 + i
            return x
        """,
        "series(10000)",
    )
    assert len(bodies) == 1
    body = bodies[0]
    assert "fmul" in body and "fadd" in body and "phi" in body, body
    for forbidden in ("guard_type", "unbox_int", "unbox_float", "load_slot", "load_name"):
        assert forbidden not in body, (forbidden, body)


def test_invariant_globals_and_math_calls_leave_nothing_but_arithmetic():
    bodies = loop_bodies(
        """
        import math
        SCALE = 2.5

        def norm(n):
            total = 0.0
            for i in range(n):
                total += math.sqrt(i * SCALE)
            return total
        """,
        "norm(10000)",
    )
    body = bodies[0]
    assert "fmath" in body, body
    # The global, the module attribute and the callable are constants of the
    # trace, guarded by dict watchers: nothing in the loop reads or checks them.
    for forbidden in ("load_name", "load_slot", "guard_type", "is", "oconst"):
        assert forbidden not in body, (forbidden, body)


def test_int_while_loop_body_is_two_adds_a_compare_and_a_guard():
    bodies = loop_bodies(
        """
        def count(n):
            i = 0
            s = 0
            while i < n:
                s += i
                i += 1
            return s
        """,
        "count(10000)",
    )
    body = [op for op in bodies[0] if op != "phi"]
    assert sorted(body) == sorted(["add_ov", "add_ov", "icmp", "guard_true"]), body


def test_calls_of_small_functions_and_methods_leave_no_call_in_the_loop_body():
    bodies = loop_bodies(
        """
        def clamp(v, lo, hi):
            return lo if v < lo else hi if v > hi else v

        class Acc:
            def __init__(self):
                self.total = 0

            def add(self, v):
                self.total += v

        def run(n):
            acc = Acc()
            t = 0
            for i in range(n):
                t += clamp(i % 100, -1, 1000)
                acc.add(i)
            return t, acc.total
        """,
        "run(10000)",
        whole_lines=True,
    )
    assert len(bodies) == 1
    body = "\n".join(bodies[0])
    assert "generic" not in body, body
    # The method's attribute is read and written in place; the class's and the
    # functions' versions were checked before the loop.
    assert "load_elem" in body and "store_elem" in body, body
    for checked_once in ("type.version", "func.version", "instance.values"):
        assert checked_once not in body, (checked_once, body)


def test_attribute_loop_body_checks_no_types():
    bodies = loop_bodies(
        """
        class Particle:
            def __init__(self):
                self.x = 0.0
                self.v = 1.0

        def drift(n):
            p = Particle()
            for i in range(n):
                p.x = p.x + p.v * 0.01
            return p.x
        """,
        "drift(10000)",
        whole_lines=True,
    )
    assert len(bodies) == 1
    body = "\n".join(bodies[0])
    assert body.count("store_elem") == 1 and " fadd " in body, body
    # `p.v * 0.01` does not change: nothing in the loop stores `p.v`, so its
    # load and the product are done once, before the loop; `p.x` is loaded.
    assert body.count("load_elem") == 1 and " fmul " not in body, body
    for checked_once in ("type.version", "ob.type", "instance.values", "generic"):
        assert checked_once not in body, (checked_once, body)


def test_dict_items_and_divmod_loops_build_no_tuples_and_run_no_generic_code():
    bodies = loop_bodies(
        """
        def items(d):
            t = 0
            for k, v in d.items():
                t += v - k
            return t

        def digits(n):
            t = 0
            for i in range(n):
                q, r = divmod(i, 10)
                t += q + divmod(i, 7)[1] + r
            return t
        """,
        # No comprehension: its loop would compile too.
        "items(dict(zip(range(1000), range(0, 2000, 2)))); digits(1000)",
    )
    assert len(bodies) == 2, bodies
    dict_body, divmod_body = bodies
    assert dict_body.count("dict_iter_next") == 1, dict_body
    # The key and the value come from the dict: their types are checked each
    # time; the iterator's is not.
    assert dict_body.count("guard_type") == 2, dict_body
    assert "floordiv" in divmod_body and "mod" in divmod_body, divmod_body
    assert "guard_type" not in divmod_body, divmod_body
    for body in bodies:
        assert "generic" not in body, body


def test_string_building_appends_in_place_and_releases_every_string_it_makes():
    bodies = loop_bodies(
        """
        def build(n):
            s = ""
            hits = 0
            for i in range(n):
                s += str(i % 10)
                if len(s) > 64:
                    s = s[32:]
                if "7" in s:
                    hits += 1
            return s, hits
        """,
        "build(1000)",
    )
    # The trace may be recompiled once the loop's other branch turns hot.
    assert bodies, bodies
    body = bodies[-1]
    # s is carried round the loop, owned by the trace: += grows it in place
    # (taking over its reference); the digit string goes once appended, and
    # on the side path (a bridge) the string the slice replaces goes too.
    assert body.count("str_append") == 1 and "str_concat" not in body, body
    assert body.count("int_to_str") == 1 and body.count("str_slice") <= 1, body
    assert body.count("release") == 1 + body.count("str_slice"), body
    assert "str_contains" in body and "generic" not in body, body


def test_generator_loop_runs_the_generator_inlined_with_its_locals_in_registers():
    bodies = loop_bodies(
        """
        def evens(n):
            for i in range(n):
                if i % 2 == 0:
                    yield i

        def total(n):
            t = 0
            for v in evens(n):
                t += v
            return t
        """,
        "total(3000)",
        whole_lines=True,
    )
    # The generator's own loop compiles too (its odd-number turns); the loop in
    # `total` is the one that adds twice a turn (the range, and the sum, which
    # checks for overflow).
    consumers = [b for b in bodies if any(" add_ov " in line for line in b) and any(" add " in line for line in b)]
    assert len(consumers) == 1, bodies
    body = "\n".join(consumers[0])
    # The generator's range iterator advances in the trace, its `i` stays an
    # unboxed phi, and the checks on the generator object are in the pre-roll.
    assert "range_iterator" not in body and "gen.code" not in body and "gen.prev_instr" not in body, body
    assert "load_slot" not in body and "generic" not in body and "call" not in body, body


def test_str_methods_are_called_directly_and_their_results_released():
    bodies = loop_bodies(
        """
        def fields(lines):
            total = 0
            for line in lines:
                parts = line.strip().split(",")
                total += len(parts) + line.find("x")
                if line.startswith("#"):
                    total += 1
            return total
        """,
        "fields([f'{i},y,x ' for i in range(2000)])",
    )
    assert bodies, bodies
    body = bodies[-1]
    # strip, split, find and startswith each one direct call; no generic CALL
    # writes the frame; the stripped line is released once split is done with
    # it, the list of the previous turn when `parts` is rebound.
    assert body.count("call_method") == 4 and "generic" not in body, body
    assert body.count("release") == 2 and "load_slot" not in body, body


def test_set_membership_and_add_probe_the_set_without_generic_code():
    bodies = loop_bodies(
        """
        def dedupe(items):
            seen = set()
            out = []
            for x in items:
                if x not in seen:
                    seen.add(x)
                    out.append(x)
            return len(seen)
        """,
        "dedupe([i % 50 for i in range(3000)])",
    )
    assert bodies, bodies
    # The loop body after the last bridge: the membership test every turn,
    # no generic instruction, no frame read.
    body = bodies[-1]
    assert "set_contains" in body and "generic" not in body and "load_slot" not in body, body


def test_membership_in_lists_and_tuples_searches_in_compiled_code():
    bodies = loop_bodies(
        """
        def classify(words, stop, marks):
            kept = 0
            for w in words:
                if w not in stop and len(w) in marks:
                    kept += 1
            return kept
        """,
        "classify(['a', 'the', 'cat', 'sat', 'on', 'mat'] * 500, ['a', 'the', 'on'], (2, 3))",
    )
    assert len(bodies) == 1, bodies
    body = bodies[0]
    assert body.count("list_contains") == 1 and body.count("tuple_contains") == 1, body
    assert "generic" not in body and "load_slot" not in body, body


def test_short_inner_loops_continue_round_the_outer_loop_in_compiled_code():
    bodies = loop_bodies(
        """
        def pairs(points):
            total = 0.0
            for i in range(len(points)):
                for j in range(i + 1, len(points)):
                    total += points[i] * points[j]
            return total
        """,
        "for _ in range(50): pairs([0.5, 1.5, 2.0, 3.0, 4.5])",
    )
    assert len(bodies) == 1, bodies
    body = bodies[0]
    # The inner loop's end is a bridge: the iterator goes, the outer loop
    # steps, and the next inner range iterator is made in the frame.
    assert body.count("for_iter_end") == 1 and body.count("get_iter") == 1, body
    assert "generic" not in body, body


def test_pairs_appended_and_reversed_lists_need_no_generic_code():
    bodies = loop_bodies(
        """
        def pairs(xs):
            out = []
            for x in reversed(xs):
                out.append((x, x * 0.5))
            return out
        """,
        "pairs(list(range(3000)))",
    )
    assert len(bodies) == 1, bodies
    body = bodies[0]
    # The pair is built once and released once (the list keeps its own
    # reference); the reverse iterator is read and stepped in place.
    assert body.count("build_tuple") == 1 and body.count("release") == 1, body
    assert "generic" not in body and "store_field" in body and "load_elem" in body, body


def test_float_kernel_body_allocates_nothing_and_counts_no_references():
    bodies = loop_bodies(
        """
        def affine(n, a, b, c):
            x = 1.0
            for i in range(n):
                x = (x * a + b) / c
            return x
        """,
        "affine(10000, 0.5, 1.5, 1.25)",
    )
    assert len(bodies) == 1, bodies
    body = bodies[0]
    assert "fmul" in body and "fadd" in body and "fdiv" in body, body
    # Only arithmetic on registers and the range iterator's two fields: no box,
    # no new object of any kind, no reference taken or released.
    allowed = {"phi", "load_field", "store_field", "icmp", "guard_true", "add", "sub", "fmul", "fadd", "fdiv"}
    assert set(body) <= allowed, sorted(set(body) - allowed)


def test_range_counter_advances_without_an_overflow_check():
    bodies = loop_bodies(
        """
        def total(n):
            s = 0
            for i in range(n):
                s += i
            return s
        """,
        "total(10000)",
        whole_lines=True,
    )
    assert len(bodies) == 1, bodies
    body = "\n".join(bodies[0])
    # The counter's next value and the count left wrap (as CPython's C does);
    # the only checked addition is the sum's.
    assert " add %" in body and " sub %" in body, body
    assert body.count("add_ov") == 1 and "sub_ov" not in body, body


def test_loop_invariant_attribute_and_global_loads_happen_only_in_the_pre_roll():
    program = """
        FACTOR = 3

        class Scaler:
            def __init__(self):
                self.k = 2.5

        def scaled(s, n):
            t = 0.0
            for i in range(n):
                t += s.k * i * FACTOR
            return t
        """
    bodies = loop_bodies(program, "scaled(Scaler(), 10000)", whole_lines=True)
    assert len(bodies) == 1, bodies
    body = "\n".join(bodies[0])
    # `s.k`: its type check, values word, element load and float check all
    # stay before the loop; the range's step too. The global is a constant.
    for hoisted in ("ob.type", "type.version", "instance.values", "load_elem", "guard_type", "range.step", "load_name"):
        assert hoisted not in body, (hoisted, body)
    assert " fmul " in body and " fadd " in body, body
    # The check is real: writing the attribute in the loop keeps its load there.
    writing = program.replace("t += s.k * i * FACTOR", "t += s.k * i * FACTOR\n                s.k = t")
    body = "\n".join(loop_bodies(writing, "scaled(Scaler(), 10000)", whole_lines=True)[0])
    assert "load_elem" in body and "store_elem" in body, body


def test_enumerate_and_zip_refill_their_result_tuples_every_turn():
    """CPython's `enumerate` and `zip` keep their last result tuple, refilled
    each turn, which holds the turn's items until the next one: the loop body
    refills it too (once per turn), whatever else the passes remove."""
    bodies = loop_bodies(
        """
        def dot(xs, ys):
            total = 0.0
            for x, y in zip(xs, ys):
                total += x * y
            return total

        def weighted(xs):
            total = 0.0
            for i, x in enumerate(xs):
                total += i * x
            return total
        """,
        "xs = [k * 0.5 for k in range(3000)]; dot(xs, xs); weighted(xs)",
    )
    refills = sorted(body.count("refill_result") for body in bodies if "fadd" in body)
    assert refills == [1, 1], bodies


def test_squares_the_escape_test_computes_are_carried_into_the_next_turn():
    # `zr * zr` and `zi * zi` of the test are the products the next turn's
    # `zr * zr - zi * zi` needs: they become phis, and the body multiplies
    # four times (2 * zr, * zi, and the two squares), not six.
    bodies = loop_bodies(
        """
        def escape(cr, ci, limit):
            zr = zi = 0.0
            i = 0
            while i < limit and zr * zr + zi * zi <= 4.0:
                zr, zi = zr * zr - zi * zi + cr, 2.0 * zr * zi + ci
                i += 1
            return i
        """,
        "escape(-0.5, 0.1, 100000)",
    )
    # -0.5 + 0.1j is in the set: the loop runs to the limit, no bridge.
    assert len(bodies) == 1
    body = bodies[0]
    assert body.count("fmul") == 4, body


def test_a_list_read_at_ascending_indices_has_its_size_checked_once_per_turn():
    # p[0], p[1], p[2]: each index check is stronger than the one before, so
    # the first checks 2 < len(p) and the later two check nothing.
    program = textwrap.dedent(
        """
        import hotloop, json

        def dots(points, n):
            total = 0.0
            for k in range(n):
                p = points[k % 3]
                total += p[0] * p[1] + p[2]
            return total

        hotloop.enable(threshold=5)
        dots([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]], 3000)
        (trace,) = hotloop.traces()
        print(json.dumps(trace["optimized_ir"]))
        """
    )
    result = run_python("-c", program, env=child_environment(HOTLOOP_BACKGROUND_COMPILE="0"))
    assert result.returncode == 0, result.stderr
    import json

    ir = json.loads(result.stdout.splitlines()[-1]).splitlines()
    start = next(i for i, line in enumerate(ir) if "---- loop ----" in line)
    body = [line.split() for line in ir[start + 1 :] if line.strip().startswith("%")]
    index_checks = {words[0]: words[-1] for words in body if words[1:4] == ["bool", "icmp", "lt"]}
    guards = [words[0] for words in body if words[1] == "guard_true" and words[2] in index_checks]
    proven = next((line.split()[1:] for line in ir if line.strip().startswith("proven ")), [])
    by_size = {}
    for guard in guards:
        cond = next(words[2] for words in body if words[0] == guard)
        by_size.setdefault(index_checks[cond], []).append(guard)
    checked = {size: [g for g in gs if g not in proven] for size, gs in by_size.items()}
    assert any(len(gs) == 3 for gs in by_size.values()), (by_size, ir)
    assert all(len(gs) == 1 for gs in checked.values()), (checked, proven)
