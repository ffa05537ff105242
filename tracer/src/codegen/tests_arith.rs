//! Arithmetic semantics of compiled code against values computed with CPython
//! (`python3 -c 'print(a // b, a % b)'` and so on, hard-coded here).

use super::tests::{compile_text, exit_at, float_obj, int_obj, mock_abi, ptr, run, Obj};
use super::CompiledTrace;

const MIN: i64 = i64::MIN;
const MAX: i64 = i64::MAX;
const INF: f64 = f64::INFINITY;
const NAN: f64 = f64::NAN;

/// One operation `%6 = op %2 %5` on two unboxed inputs from slots 0 and 1,
/// compiled once and run on many inputs. Its snapshot is `#1`; afterwards the
/// loop body exits at `%9` with the result in slot 2.
struct Op {
    ct: CompiledTrace,
}

impl Op {
    fn new(float_inputs: bool, op: &str) -> Op {
        let (ty, unbox) = if float_inputs { ("float", "f64 unbox_float") } else { ("int", "i64 unbox_int") };
        let snap = if float_inputs { "" } else { "#0" };
        Op::with_second(ty, unbox, &format!("{unbox} %3 {snap}"), op)
    }

    /// `op` with the constant `k` as its second operand (slot 1 must still
    /// hold an int).
    fn with_constant(op: &str, k: i64) -> Op {
        Op::with_second("int", "i64 unbox_int", &format!("i64 const {k}"), op)
    }

    fn with_second(ty: &str, unbox: &str, second: &str, op: &str) -> Op {
        let snap = if ty == "float" { "" } else { "#0" };
        let text = format!(
            "trace header=0 depth=0 nlocalsplus=3
            %0 obj load_slot s0
            %1     guard_type %0 {ty} #0
            %2 {unbox} %0 {snap}
            %3 obj load_slot s1
            %4     guard_type %3 {ty} #0
            %5 {second}
            %6 {op}
            %7 ---- loop ----
            %8 bconst false
            %9     guard_true %8 #2
            #0 pc=0 depth=0 []
            #1 pc=1 depth=0 []
            #2 pc=2 depth=0 [s2=%6]
            #3 pc=0 depth=0 [] loop"
        );
        Op { ct: compile_text(&text) }
    }

    /// The result's bits, or `None` when the operation exited.
    fn eval(&self, a: Obj, b: Obj) -> Option<u64> {
        let (exit, vals) = run(&self.ct, &mut [ptr(&a), ptr(&b), std::ptr::null_mut()], 0);
        if exit == exit_at(&self.ct, 9) {
            return Some(vals[0]);
        }
        assert_eq!(exit, exit_at(&self.ct, 6), "exit from the wrong place");
        None
    }

    fn int(&self, a: i64, b: i64) -> Option<i64> {
        self.eval(int_obj(a), int_obj(b)).map(|v| v as i64)
    }

    fn float(&self, a: f64, b: f64) -> Option<f64> {
        self.eval(float_obj(a), float_obj(b)).map(f64::from_bits)
    }
}

fn int_op(op: &str) -> Op {
    Op::new(false, op)
}

fn float_op(op: &str) -> Op {
    Op::new(true, op)
}

/// Equal as Python would print them: same bits (so -0.0 != 0.0), or both NaN.
fn same(x: Option<f64>, y: Option<f64>) -> bool {
    match (x, y) {
        (Some(x), Some(y)) => x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan()),
        (x, y) => x.is_none() && y.is_none(),
    }
}

#[test]
fn int_floordiv_and_mod_match_python() {
    // (a, b, a // b, a % b)
    const TABLE: &[(i64, i64, i64, i64)] = &[
        (-7, 2, -4, 1),
        (7, -2, -4, -1),
        (7, 2, 3, 1),
        (-7, -2, 3, -1),
        (6, 3, 2, 0),
        (-6, 3, -2, 0),
        (6, -3, -2, 0),
        (0, 5, 0, 0),
        (0, -5, 0, 0),
        (1, -1, -1, 0),
        (-1, 1, -1, 0),
        (MIN, 3, -3074457345618258603, 1),
        (MAX, -2, -4611686018427387904, -1),
        (MIN, MIN, 1, 0),
        (5, MAX, 0, 5),
        (-5, MAX, -1, 9223372036854775802),
    ];
    let (div, rem) = (int_op("i64 floordiv %2 %5 #1"), int_op("i64 mod %2 %5 #1"));
    for &(a, b, q, r) in TABLE {
        assert_eq!(div.int(a, b), Some(q), "{a} // {b}");
        assert_eq!(rem.int(a, b), Some(r), "{a} % {b}");
    }
}

#[test]
fn int_floordiv_and_mod_by_a_positive_constant_match_the_general_case() {
    let (div, rem) = (int_op("i64 floordiv %2 %5 #1"), int_op("i64 mod %2 %5 #1"));
    let dividends = [0, 1, -1, 2, -2, 9, -9, 10, -10, 11, -11, 63, -64, 1000, -1001, MIN, MIN + 1, MAX, MAX - 1];
    for k in [1, 2, 3, 7, 8, 10, 1 << 30, (1 << 62) + 1, 1 << 62, MAX] {
        let (div_k, rem_k) = (Op::with_constant("i64 floordiv %2 %5 #1", k), Op::with_constant("i64 mod %2 %5 #1", k));
        for a in dividends.into_iter().chain((-300..300).map(|i| i * 7919 + 3)) {
            assert_eq!(div_k.int(a, 0), div.int(a, k), "{a} // {k}");
            assert_eq!(rem_k.int(a, 0), rem.int(a, k), "{a} % {k}");
        }
    }
    // From CPython: -7 // 2, -7 % 2, MIN // 10, MIN % 10.
    assert_eq!(Op::with_constant("i64 floordiv %2 %5 #1", 2).int(-7, 0), Some(-4));
    assert_eq!(Op::with_constant("i64 mod %2 %5 #1", 2).int(-7, 0), Some(1));
    assert_eq!(Op::with_constant("i64 floordiv %2 %5 #1", 10).int(MIN, 0), Some(-922337203685477581));
    assert_eq!(Op::with_constant("i64 mod %2 %5 #1", 10).int(MIN, 0), Some(2));
}

#[test]
fn int_division_exits() {
    let (div, rem) = (int_op("i64 floordiv %2 %5 #1"), int_op("i64 mod %2 %5 #1"));
    for a in [0, 7, -7, MIN] {
        assert_eq!(div.int(a, 0), None);
        assert_eq!(rem.int(a, 0), None);
    }
    assert_eq!(div.int(MIN, -1), None); // 2**63 does not fit
    assert_eq!(rem.int(MIN, -1), Some(0));
    assert_eq!(div.int(MIN, 1), Some(MIN));
    assert_eq!(div.int(MAX, -1), Some(-MAX));
}

#[test]
fn float_floordiv_and_mod_match_python() {
    // (a, b, a // b, a % b)
    const TABLE: &[(f64, f64, f64, f64)] = &[
        (-7.5, 2.0, -4.0, 0.5),
        (7.5, -2.0, -4.0, -0.5),
        (7.5, 2.0, 3.0, 1.5),
        (-7.5, -2.0, 3.0, -1.5),
        (6.0, 3.0, 2.0, 0.0),
        (-6.0, 3.0, -2.0, 0.0),
        (6.0, -3.0, -2.0, -0.0),
        (0.0, 5.0, 0.0, 0.0),
        (0.0, -5.0, -0.0, -0.0),
        (-0.0, 5.0, -0.0, 0.0),
        (-0.0, -5.0, 0.0, -0.0),
        (1e-300, -1.0, -1.0, -1.0),
        (-1e-300, 1.0, -1.0, 1.0),
        (1.0, INF, 0.0, 1.0),
        (-1.0, INF, -1.0, INF),
        (INF, 2.0, NAN, NAN),
        (5.0, NAN, NAN, NAN),
        (3.0, 0.1, 29.0, 0.09999999999999984),
        (-3.0, 0.1, -30.0, 1.6653345369377348e-16),
        (1e308, 1e-308, INF, 3.498445546245627e-309),
    ];
    let (div, rem) = (float_op("f64 ffloordiv %2 %5 #1"), float_op("f64 fmod %2 %5 #1"));
    for &(a, b, q, r) in TABLE {
        assert!(same(div.float(a, b), Some(q)), "{a} // {b} = {:?}, want {q}", div.float(a, b));
        assert!(same(rem.float(a, b), Some(r)), "{a} % {b} = {:?}, want {r}", rem.float(a, b));
    }
}

#[test]
fn float_division_by_zero_exits() {
    for op in ["f64 fdiv %2 %5 #1", "f64 ffloordiv %2 %5 #1", "f64 fmod %2 %5 #1"] {
        let op = float_op(op);
        for a in [1.0, -1.0, 0.0, NAN, INF] {
            assert_eq!(op.float(a, 0.0), None);
            assert_eq!(op.float(a, -0.0), None);
        }
    }
    let div = float_op("f64 fdiv %2 %5 #1");
    assert_eq!(div.float(-7.5, 2.0), Some(-3.75));
    assert!(div.float(1.0, NAN).unwrap().is_nan());
    assert_eq!(div.float(1.0, -INF), Some(-0.0));
    assert!(same(div.float(1.0, -INF), Some(-0.0)));
}

#[test]
fn int_overflow_checks() {
    let add = int_op("i64 add_ov %2 %5 #1");
    assert_eq!(add.int(MAX, 1), None);
    assert_eq!(add.int(MIN, -1), None);
    assert_eq!(add.int(MAX, MIN), Some(-1));
    assert_eq!(add.int(-3, 5), Some(2));
    let sub = int_op("i64 sub_ov %2 %5 #1");
    assert_eq!(sub.int(MIN, 1), None);
    assert_eq!(sub.int(0, MIN), None);
    assert_eq!(sub.int(-1, MIN), Some(MAX));
    let mul = int_op("i64 mul_ov %2 %5 #1");
    assert_eq!(mul.int(MIN, -1), None);
    assert_eq!(mul.int(1 << 32, 1 << 31), None);
    assert_eq!(mul.int(-(1 << 32), 1 << 31), Some(MIN));
    assert_eq!(mul.int(3037000499, 3037000499), Some(9223372030926249001));
    assert_eq!(mul.int(-7, 6), Some(-42));
    let neg = int_op("i64 neg_ov %2 #1");
    assert_eq!(neg.int(MIN, 0), None);
    assert_eq!(neg.int(5, 0), Some(-5));
    assert_eq!(neg.int(MAX, 0), Some(-MAX));
}

#[test]
fn int_pow_and_shifts() {
    let pow = int_op("i64 pow %2 %5 #1");
    let cases = [(2, 62, Some(1 << 62)), (2, 63, None), (-2, 63, Some(MIN)), (3, 39, Some(4052555153018976267))];
    for (a, b, want) in cases {
        assert_eq!(pow.int(a, b), want, "{a} ** {b}");
    }
    assert_eq!(pow.int(0, 0), Some(1));
    assert_eq!(pow.int(10, 18), Some(1_000_000_000_000_000_000));
    assert_eq!(pow.int(10, 19), None);
    assert_eq!(pow.int(5, -1), None); // a float in Python
    assert_eq!(pow.int(-1, (1 << 40) + 1), Some(-1));

    let shl = int_op("i64 shl %2 %5 #1");
    let cases = [(1, 62, Some(1 << 62)), (1, 63, None), (-1, 63, Some(MIN)), (3, 61, Some(6917529027641081856))];
    for (a, b, want) in cases {
        assert_eq!(shl.int(a, b), want, "{a} << {b}");
    }
    let cases = [(3, 62, None), (0, 1000, Some(0)), (0, -1, None), (5, -1, None), (-5, 2, Some(-20))];
    for (a, b, want) in cases {
        assert_eq!(shl.int(a, b), want, "{a} << {b}");
    }
    for (a, b, want) in [(1, 64, None), (-1, 64, None), (1, 1 << 40, None), (MIN, 0, Some(MIN)), (0, MAX, Some(0))] {
        assert_eq!(shl.int(a, b), want, "{a} << {b}");
    }

    let shr = int_op("i64 shr %2 %5 #1");
    let cases = [(-1, 1000, Some(-1)), (5, 1000, Some(0)), (-20, 2, Some(-5)), (-7, 1, Some(-4)), (7, -1, None)];
    for (a, b, want) in cases {
        assert_eq!(shr.int(a, b), want, "{a} >> {b}");
    }
    assert_eq!(shr.int(MIN, 63), Some(-1));
    assert_eq!(shr.int(MIN, 64), Some(-1));
    assert_eq!(shr.int(MAX, MAX), Some(0));
}

#[test]
fn bitwise_and_comparisons() {
    assert_eq!(int_op("i64 and %2 %5").int(-6, 3), Some(2));
    assert_eq!(int_op("i64 or %2 %5").int(-6, 3), Some(-5));
    assert_eq!(int_op("i64 xor %2 %5").int(-6, 3), Some(-7));
    let invert = int_op("i64 invert %2");
    assert_eq!(invert.int(5, 0), Some(-6));
    assert_eq!(invert.int(MIN, 0), Some(MAX));
    let pairs = [(-1, 1), (MIN, MAX), (3, 3), (1, -1)];
    for (cc, f) in [("lt", i64::lt as fn(&i64, &i64) -> bool), ("le", i64::le), ("gt", i64::gt), ("ge", i64::ge)] {
        let op = int_op(&format!("bool icmp {cc} %2 %5"));
        for (a, b) in pairs {
            assert_eq!(op.int(a, b), Some(f(&a, &b) as i64), "{a} {cc} {b}");
        }
    }
    let (eq, ne) = (int_op("bool icmp eq %2 %5"), int_op("bool icmp ne %2 %5"));
    assert_eq!((eq.int(3, 3), ne.int(3, 3)), (Some(1), Some(0)));
    assert_eq!((eq.int(MIN, MAX), ne.int(MIN, MAX)), (Some(0), Some(1)));
    let truth = int_op("bool itruth %2");
    assert_eq!((truth.int(0, 0), truth.int(MIN, 0), truth.int(-1, 0)), (Some(0), Some(1), Some(1)));
}

#[test]
fn float_comparisons_follow_python_with_nan() {
    let bits = |v: Option<f64>| v.map(f64::to_bits);
    let pairs = [(1.0, 2.0), (2.0, 1.0), (-0.0, 0.0), (NAN, 1.0), (1.0, NAN), (NAN, NAN), (-INF, INF)];
    type Compare = fn(&f64, &f64) -> bool;
    let ops: [(&str, Compare); 6] =
        [("lt", f64::lt), ("le", f64::le), ("eq", f64::eq), ("ne", f64::ne), ("gt", f64::gt), ("ge", f64::ge)];
    for (cc, f) in ops {
        let op = float_op(&format!("bool fcmp {cc} %2 %5"));
        for (a, b) in pairs {
            // Rust's comparisons are IEEE's, as are Python's: ordered except `!=`.
            assert_eq!(bits(op.float(a, b)), Some(f(&a, &b) as u64), "{a} {cc} {b}");
        }
    }
    let truth = float_op("bool ftruth %2");
    for (a, want) in [(0.0, 0), (-0.0, 0), (NAN, 1), (1e-320, 1), (-INF, 1)] {
        assert_eq!(bits(truth.float(a, 0.0)), Some(want), "bool({a})");
    }
}

#[test]
fn float_arithmetic_and_conversions() {
    let add = float_op("f64 fadd %2 %5");
    assert!(same(add.float(0.1, 0.2), Some(0.30000000000000004)));
    assert!(same(add.float(-0.0, -0.0), Some(-0.0)));
    assert!(same(float_op("f64 fsub %2 %5").float(0.0, 0.0), Some(0.0)));
    assert!(same(float_op("f64 fmul %2 %5").float(1e308, 10.0), Some(INF)));
    assert!(same(float_op("f64 fneg %2").float(0.0, 0.0), Some(-0.0)));

    let pow = float_op("f64 fpow %2 %5 #1");
    assert!(same(pow.float(2.0, 10.0), Some(1024.0)));
    assert!(same(pow.float(2.0, 0.5), Some(std::f64::consts::SQRT_2)));
    assert!(same(pow.float(2.0, -1074.0), Some(5e-324)));
    assert!(same(pow.float(-2.0, 3.0), Some(-8.0)));
    assert!(same(pow.float(-0.0, 3.0), Some(-0.0)));
    assert!(same(pow.float(1.0, 1e308), Some(1.0)));
    assert!(same(pow.float(2.0, -2000.0), Some(0.0)), "an underflow to zero is no error");
    assert!(same(pow.float(5e-324, 0.5), Some(2.2227587494850775e-162)));
    assert!(same(pow.float(3.0, 0.0), Some(1.0)));
    assert!(same(pow.float(1.5, -2.5), Some(1.5f64.powf(-2.5))));
    for (a, b) in [(-2.0, 0.5), (0.0, -1.0), (10.0, 400.0), (NAN, 0.0), (1.0, NAN), (2.0, INF), (INF, 1.0)] {
        assert_eq!(pow.float(a, b), None, "{a} ** {b} must exit");
    }

    let itof = int_op("f64 itof %2");
    let f = |v: Option<i64>| v.map(|v| f64::from_bits(v as u64));
    assert_eq!(f(itof.int((1 << 53) + 1, 0)), Some(9007199254740992.0));
    assert_eq!(f(itof.int(MAX, 0)), Some(9.223372036854776e18));
    assert_eq!(f(itof.int(-3, 0)), Some(-3.0));
    let exact = int_op("f64 itof_exact %2 #1");
    assert_eq!(f(exact.int(1 << 53, 0)), Some(9007199254740992.0));
    assert_eq!(f(exact.int(-(1 << 53), 0)), Some(-9007199254740992.0));
    assert_eq!(f(exact.int(-7, 0)), Some(-7.0));
    for a in [(1 << 53) + 1, -(1 << 53) - 1, MIN, MAX] {
        assert_eq!(exact.int(a, 0), None, "{a}");
    }
}

#[test]
fn bool_operations() {
    let ct = compile_text(
        "
        trace header=0 depth=0 nlocalsplus=1
        %0 obj load_slot s0
        %1     guard_type %0 bool #0
        %2 bool unbox_bool %0
        %3 i64 btoi %2
        %4 bool bnot %2
        %5 i64 btoi %4
        %6 ---- loop ----
        %7 bool bconst false
        %8     guard_true %7 #1
        #0 pc=0 depth=0 []
        #1 pc=2 depth=0 [s0=%2 s1=%3 s2=%4 s3=%5]
        #2 pc=0 depth=0 [] loop
    ",
    );
    let abi = mock_abi();
    let done = exit_at(&ct, 8);
    assert_eq!(run(&ct, &mut [abi.true_obj as *mut u8], 0), (done, vec![1, 1, 0, 0]));
    assert_eq!(run(&ct, &mut [abi.false_obj as *mut u8], 0), (done, vec![0, 0, 1, 1]));
    let one = int_obj(1);
    assert_eq!(run(&ct, &mut [ptr(&one)], 0).0, exit_at(&ct, 1));
}

#[test]
fn abs_min_max_follow_python() {
    let abs = int_op("abs_ov %2 #1");
    assert_eq!(abs.int(-5, 0), Some(5));
    assert_eq!(abs.int(MIN, 0), None, "abs(-2**63) is a big int");
    assert_eq!(int_op("min %2 %5").int(3, -4), Some(-4));
    assert_eq!(int_op("max %2 %5").int(3, -4), Some(3));
    let (fmin, fmax, fabs) = (float_op("fmin %2 %5"), float_op("fmax %2 %5"), float_op("fabs %2"));
    // min/max keep the first argument unless the second is strictly better, so
    // NaN and signed zeros come out as CPython's builtins give them.
    for (a, b, lo, hi) in [
        (NAN, 1.0, NAN, NAN),
        (1.0, NAN, 1.0, 1.0),
        (-0.0, 0.0, -0.0, -0.0),
        (0.0, -0.0, 0.0, 0.0),
        (2.5, -1.0, -1.0, 2.5),
    ] {
        assert!(same(fmin.float(a, b), Some(lo)), "min({a}, {b})");
        assert!(same(fmax.float(a, b), Some(hi)), "max({a}, {b})");
    }
    assert!(same(fabs.float(-0.0, 0.0), Some(0.0)));
}

#[test]
fn math_functions_match_libm_and_exit_where_cpython_raises() {
    let sqrt = float_op("fmath sqrt %2 #1");
    assert!(same(sqrt.float(2.0, 0.0), Some(std::f64::consts::SQRT_2)));
    assert!(same(sqrt.float(-0.0, 0.0), Some(-0.0)));
    assert!(same(sqrt.float(NAN, 0.0), Some(NAN)));
    assert_eq!(sqrt.float(-1.0, 0.0), None, "math domain error");
    // Values printed by CPython 3.12 (`math.sin(0.5).hex()` and so on).
    let sin = float_op("fmath sin %2 #1");
    assert!(same(sin.float(0.5, 0.0), Some(0.479425538604203)));
    assert_eq!(sin.float(INF, 0.0), None, "sin(inf) is a domain error");
    assert_eq!(sin.float(-INF, 0.0), None);
    assert!(same(sin.float(NAN, 0.0), Some(NAN)), "NaN in, NaN out: no error");
    let exp = float_op("fmath exp %2 #1");
    assert!(same(exp.float(2.0, 0.0), Some(7.38905609893065)));
    assert_eq!(exp.float(1000.0, 0.0), None, "overflow");
    assert!(same(exp.float(-1000.0, 0.0), Some(0.0)), "underflow is no error");
    assert!(same(exp.float(INF, 0.0), Some(INF)), "an infinity from an infinity is no error");
    assert!(same(exp.float(-INF, 0.0), Some(0.0)));
    let log = float_op("fmath log %2 #1");
    assert!(same(log.float(2.0, 0.0), Some(std::f64::consts::LN_2)));
    assert_eq!(log.float(0.0, 0.0), None);
    assert_eq!(log.float(-1.0, 0.0), None);
    assert_eq!(log.float(-INF, 0.0), None);
    assert!(same(log.float(INF, 0.0), Some(INF)));
    assert!(same(log.float(NAN, 0.0), Some(NAN)));
    let atan = float_op("fmath atan %2 #1");
    assert!(same(atan.float(INF, 0.0), Some(std::f64::consts::FRAC_PI_2)));
}

#[test]
fn float_to_int_conversions_exit_outside_i64() {
    for (how, x, want) in [
        ("trunc", -2.7, Some(-2)),
        ("floor", -2.7, Some(-3)),
        ("ceil", -2.7, Some(-2)),
        ("floor", 9.3e18, None),
        ("trunc", 9.223372036854775e18, Some(9_223_372_036_854_774_784)),
        ("ceil", -9.223372036854775808e18, Some(MIN)),
        ("trunc", NAN, None),
        ("trunc", INF, None),
    ] {
        let op = float_op(&format!("ftoi {how} %2 #1"));
        let got = op.eval(float_obj(x), float_obj(0.0)).map(|v| v as i64);
        assert_eq!(got, want, "{how}({x})");
    }
}

/// `x ** y` for a constant `y` (where `Lowerer::pow` may take a shortcut),
/// compiled once: the result's bits, or `None` when it exited.
struct ConstPow {
    ct: CompiledTrace,
}

impl ConstPow {
    fn new(y: f64) -> ConstPow {
        let text = format!(
            "trace header=0 depth=0 nlocalsplus=3
            %0 obj load_slot s0
            %1     guard_type %0 float #0
            %2 f64 unbox_float %0
            %3 f64 fconst {y:?}
            %4 f64 fpow %2 %3 #1
            %5 ---- loop ----
            %6 bconst false
            %7     guard_true %6 #2
            #0 pc=0 depth=0 []
            #1 pc=1 depth=0 []
            #2 pc=2 depth=0 [s2=%4]
            #3 pc=0 depth=0 [] loop"
        );
        ConstPow { ct: compile_text(&text) }
    }

    fn eval(&self, x: f64) -> Option<f64> {
        let x = float_obj(x);
        let (exit, vals) = run(&self.ct, &mut [ptr(&x), std::ptr::null_mut(), std::ptr::null_mut()], 0);
        if exit == exit_at(&self.ct, 7) {
            return Some(f64::from_bits(vals[0]));
        }
        assert_eq!(exit, exit_at(&self.ct, 4), "exit from the wrong place");
        None
    }
}

/// The inline `sqrt(x)` and `x * x` for `x ** 0.5` and `x ** 2.0` must give
/// what the C library's `pow` gives (through `float_pow`, as CPython), bit for
/// bit, on random doubles of every size and sign, on exact squares, and on the
/// hardest cases: results at or near the midpoint between two doubles (an
/// odd 27-bit integer's square has 54 bits: a tie), where only `pow` knows
/// (glibc's rounds 2.258378853149491e30 ** 2 up, `x * x` rounds it to even).
#[test]
fn pow_shortcuts_agree_with_pow() {
    use super::runtime::float_pow;
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let (root, square) = (ConstPow::new(0.5), ConstPow::new(2.0));
    // Hidden from the compiler, which would turn `pow(x, 2.0)` into `x * x`.
    let (half, two) = (std::hint::black_box(0.5), std::hint::black_box(2.0));
    let check = |x: f64| {
        assert!(same(root.eval(x), float_pow(x, half)), "{x:e} ** 0.5");
        assert!(same(square.eval(x), float_pow(x, two)), "{x:e} ** 2.0");
    };
    for _ in 0..200_000 {
        let bits = next();
        // Any double, and one of moderate size (where the shortcuts apply).
        check(f64::from_bits(bits));
        let moderate = (bits & 0x800f_ffff_ffff_ffff) | ((0x3ff - 300 + (bits >> 52) % 600) << 52);
        check(f64::from_bits(moderate));
        let odd = ((bits >> 11) & ((1 << 27) - 1)) | (1 << 26) | 1;
        let scale = 2f64.powi((bits % 200) as i32 - 100);
        let tie = odd as f64 * scale;
        check(tie);
        let root_tie = (odd as f64 + 0.5) * (odd as f64 + 0.5) * scale * scale;
        check(root_tie);
        check(f64::from_bits(root_tie.to_bits() + 1));
        let s = f64::from_bits(moderate).abs().sqrt();
        check(s * s);
    }
    for x in [0.0, -0.0, 1.0, -1.0, 4.0, 0.25, 2.0, f64::MIN_POSITIVE, 5e-324, f64::MAX, INF, -INF, NAN, -2.0] {
        check(x);
    }
}
