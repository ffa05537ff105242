"""Differential fuzzing: 500 generated programs (seeds 0..499, see fuzz.py) print,
raise and exit exactly as under plain CPython when run under hotloop, and enough of
them compile traces that the comparison really tests the JIT.

Reproduce one seed with `python tests/fuzz.py --count 1 --seed SEED` (it writes
fuzz-failures/SEED.py); see the program with `python tests/fuzz.py --show SEED`.
"""

import sys

import pytest

import fuzz

# Fixed seeds so every run (and CI) compares the same 500 programs.
SEEDS = range(500)


@pytest.fixture(scope="module")
def outcomes(native):
    # One pass over all seeds, two programs at a time; the tests below judge it.
    return sorted(fuzz.check_seeds(SEEDS, python=sys.executable, jobs=2), key=lambda o: o.seed)


def test_generator_is_deterministic_and_makes_valid_python():
    for seed in (0, 1, 77, 499):
        first, second = fuzz.generate_program(seed), fuzz.generate_program(seed)
        assert first.source == second.source
        assert first.threshold in fuzz.THRESHOLDS
        compile(first.source, f"seed{seed}.py", "exec")
    assert fuzz.generate_program(0).source != fuzz.generate_program(1).source


def test_every_seed_was_compared(outcomes):
    assert [o.seed for o in outcomes] == list(SEEDS)
    invalid = [f"seed {o.seed}: {o.detail}" for o in outcomes if o.status == "invalid"]
    assert not invalid, "the generator made programs unfit to compare:\n" + "\n".join(invalid)


def test_same_behaviour_as_cpython(outcomes):
    mismatches = [o for o in outcomes if o.status == "mismatch"]
    if mismatches:
        first = mismatches[0]
        seeds = ", ".join(str(o.seed) for o in mismatches)
        pytest.fail(
            f"{len(mismatches)} of {len(outcomes)} programs behave differently under hotloop; seeds: {seeds}\n"
            f"first mismatch, seed {first.seed} (threshold {first.threshold}; "
            f"`python tests/fuzz.py --count 1 --seed {first.seed}` saves it):\n{first.detail}",
            pytrace=False,
        )


def test_generated_programs_exercise_the_jit(outcomes):
    # A generator whose loops never compile would make the comparison above vacuous.
    compared = [o for o in outcomes if o.status != "invalid"]
    compiled = [o for o in compared if o.compiled_traces > 0]
    assert len(compiled) >= len(compared) // 2, (
        f"only {len(compiled)} of {len(compared)} programs compiled a trace\n" + fuzz.summarize_stats(compared)
    )
    assert sum(o.stats.get("bridges_compiled", 0) for o in compared) > 0
    assert sum(o.stats.get("exits", 0) for o in compared) > 0
