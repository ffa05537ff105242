//! Numeric helpers that compiled traces call: operations whose exact Python
//! semantics take more code than is worth inlining. They are `extern "C"` and
//! never panic (a panic cannot unwind through JIT code).
//!
//! The helpers that can fail return 0 ("exit, let the interpreter do it") and
//! write their result through `out` otherwise.

use crate::ir::MathFn;

/// CPython's int digits are 30 bits; an int of one digit is "compact".
const DIGIT_BITS: u32 = 30;

fn digit_count(v: u64) -> u32 {
    (64 - v.leading_zeros()).div_ceil(DIGIT_BITS)
}

/// Whether CPython 3.12's `a % b` (nonzero `b`) returns the object `a` itself.
/// `l_mod` takes a fast path, making a new int, when both have one digit;
/// otherwise `long_rem` returns `a` when `|a|` has fewer digits than `|b|`, or as
/// many with a smaller top digit, and `l_mod` keeps it unless the signs differ.
///
/// False for small ints (-5..=256): CPython caches them, so the computed result
/// is that same object anyway.
pub fn int_mod_keeps(a: i64, b: i64) -> bool {
    if (-5..=256).contains(&a) {
        return false;
    }
    let (x, y) = (a.unsigned_abs(), b.unsigned_abs());
    let (dx, dy) = (digit_count(x), digit_count(y));
    if dx == 1 && dy == 1 {
        return false;
    }
    let top = |v: u64, digits: u32| if digits == 0 { 0 } else { v >> (DIGIT_BITS * (digits - 1)) };
    let smaller = dx < dy || (dx == dy && top(x, dx) < top(y, dy));
    smaller && (a == 0 || (a < 0) == (b < 0))
}

pub extern "C" fn hl_imod_keeps(a: i64, b: i64) -> u8 {
    int_mod_keeps(a, b) as u8
}

/// Whether CPython 3.12's `a >> b` (`b >= 0`) returns the object `a` itself:
/// only a shift by 0 of a negative int of more than one digit does.
pub fn int_shr_keeps(a: i64, b: i64) -> bool {
    b == 0 && a <= -(1 << DIGIT_BITS)
}

/// The value of a CPython int of two or more 30-bit digits, least
/// significant first; `tag` is its `lv_tag` (the digit count shifted left by
/// 3, the sign in the low two bits: 2 for negative). Writes the value to
/// `out[0]`, and to `out[1]` 1 if it fits in an i64, else 0.
///
/// # Safety
/// `digits` must hold the int's digits; `out` must be valid for writing two
/// i64s. Called through a `preserving` trampoline.
pub unsafe extern "C" fn hl_unbox_digits(tag: u64, digits: *const u32, out: *mut i64) {
    let count = (tag >> 3) as usize;
    // SAFETY: the caller's contract: `count` digits (only the first three,
    // 90 bits, can fit in an i64).
    let read = |k: usize| u128::from(unsafe { *digits.add(k) });
    let magnitude = (0..count.min(3)).fold(0u128, |m, k| m | read(k) << (DIGIT_BITS as usize * k));
    let value = match tag & 3 {
        2 => 0i128.checked_sub_unsigned(magnitude),
        _ => i128::try_from(magnitude).ok(),
    }
    .filter(|_| count <= 3)
    .and_then(|v| i64::try_from(v).ok());
    // SAFETY: the caller's contract; compiled code passes a 16-byte stack slot.
    unsafe {
        *out = value.unwrap_or(0);
        *out.add(1) = value.is_some() as i64;
    }
}

/// `a ** b` for ints; fails for `b < 0` (Python returns a float) and when the
/// result does not fit in an i64.
///
/// # Safety
/// `out` must be valid for writing an i64.
pub unsafe extern "C" fn hl_ipow(a: i64, b: i64, out: *mut i64) -> u8 {
    match int_pow(a, b) {
        Some(v) => {
            // SAFETY: the caller's contract; compiled code passes an 8-byte stack slot.
            unsafe { *out = v };
            1
        }
        None => 0,
    }
}

/// The Python result of `a ** b` when it is an int that fits in an i64.
pub fn int_pow(a: i64, b: i64) -> Option<i64> {
    if b < 0 {
        return None;
    }
    // Only 0, 1 and -1 survive exponents past 63; for them any exponent with
    // the same parity gives the same result, so clamp to fit `checked_pow`.
    let e = if b > 64 { 64 + (b & 1) } else { b };
    a.checked_pow(e as u32)
}

/// `a ** b` for floats, as CPython 3.12's `float_pow` computes it for finite
/// `a` and `b`: the C library's `pow` of `|a|`, negated for a negative `a`
/// and an odd `b`. Fails (the interpreter does it) where CPython raises or
/// returns something else: a negative `a` and a `b` that is no integer (a
/// complex result), `0.0` to a negative power (`ZeroDivisionError`), an
/// infinite result (`OverflowError`); and for NaNs and infinities, rare
/// enough not to spell out `float_pow`'s cases for them.
///
/// # Safety
/// `out` must be valid for writing an f64.
pub unsafe extern "C" fn hl_fpow(a: f64, b: f64, out: *mut f64) -> u8 {
    match float_pow(a, b) {
        Some(v) => {
            // SAFETY: the caller's contract; compiled code passes an 8-byte stack slot.
            unsafe { *out = v };
            1
        }
        None => 0,
    }
}

pub fn float_pow(a: f64, b: f64) -> Option<f64> {
    if !(a.is_finite() && b.is_finite()) {
        return None;
    }
    // `DOUBLE_IS_ODD_INTEGER`.
    let odd = |x: f64| (x.abs() % 2.0) == 1.0;
    if b == 0.0 {
        return Some(1.0);
    }
    if a == 0.0 {
        return (b > 0.0).then_some(if odd(b) { a } else { 0.0 });
    }
    if a < 0.0 && b != b.floor() {
        return None;
    }
    let negate = a < 0.0 && odd(b);
    let base = a.abs();
    if base == 1.0 {
        return Some(if negate { -1.0 } else { 1.0 });
    }
    let r = base.powf(b);
    r.is_finite().then_some(if negate { -r } else { r })
}

/// `a // b` for floats with `b != 0.0` (the caller checked).
pub extern "C" fn hl_ffloordiv(a: f64, b: f64) -> f64 {
    float_div_mod(a, b).0
}

/// `a % b` for floats with `b != 0.0` (the caller checked).
pub extern "C" fn hl_fmod(a: f64, b: f64) -> f64 {
    float_div_mod(a, b).1
}

/// CPython 3.12's `_float_div_mod` (Objects/floatobject.c), line for line:
/// returns `(a // b, a % b)`. `float_rem` computes the same modulo. Rust's `%`
/// on f64 is C's `fmod`.
pub fn float_div_mod(vx: f64, wx: f64) -> (f64, f64) {
    let mut m = vx % wx;
    // fmod is exact, so vx - m is mathematically a multiple of wx, but the
    // division may still be a hair off an integer; it is snapped below.
    let mut div = (vx - m) / wx;
    // `if (mod)` in C: NaN counts as nonzero.
    if m != 0.0 {
        // The remainder takes the sign of the divisor.
        if (wx < 0.0) != (m < 0.0) {
            m += wx;
            div -= 1.0;
        }
    } else {
        m = 0.0f64.copysign(wx);
    }
    let floordiv = if div != 0.0 {
        let mut f = div.floor();
        if div - f > 0.5 {
            f += 1.0;
        }
        f
    } else {
        // A zero quotient gets the sign of the true quotient.
        0.0f64.copysign(vx / wx)
    };
    (floordiv, m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn int_pow_matches_python() {
        // Expected values from CPython.
        assert_eq!(int_pow(2, 62), Some(4611686018427387904));
        assert_eq!(int_pow(2, 63), None);
        assert_eq!(int_pow(-2, 63), Some(i64::MIN));
        assert_eq!(int_pow(3, 39), Some(4052555153018976267));
        assert_eq!(int_pow(3, 40), None);
        assert_eq!(int_pow(0, 0), Some(1));
        assert_eq!(int_pow(0, 1 << 40), Some(0));
        assert_eq!(int_pow(-1, (1 << 40) + 1), Some(-1));
        assert_eq!(int_pow(-1, 1 << 40), Some(1));
        assert_eq!(int_pow(1, i64::MAX), Some(1));
        assert_eq!(int_pow(2, -1), None);
    }

    #[test]
    fn int_mod_and_shift_keep_the_left_object_where_cpython_does() {
        // Expected values from CPython 3.12: `(a % b) is a`, `(a >> b) is a`.
        let p = |n: u32| 1i64 << n;
        assert!(int_mod_keeps(300, p(30)));
        assert!(int_mod_keeps(300, p(31)));
        assert!(int_mod_keeps(-7, -p(40)));
        assert!(!int_mod_keeps(-7, p(40)), "the sign fix makes a new int");
        assert!(int_mod_keeps(p(31), p(32)));
        assert!(!int_mod_keeps(p(32) + 1, p(32) + 5), "same top digit: a full division");
        assert!(!int_mod_keeps(300, 7000), "one digit each: the fast path");
        assert!(!int_mod_keeps(p(40), 7));
        assert!(!int_mod_keeps(p(40), -p(50)));
        assert!(int_mod_keeps(-p(40), -p(50)));
        assert!(int_mod_keeps(p(62), i64::MAX));
        assert!(int_shr_keeps(-p(30), 0));
        assert!(!int_shr_keeps(-p(30) + 1, 0));
        assert!(!int_shr_keeps(p(40), 0));
        assert!(!int_shr_keeps(-p(40), 1));
    }

    #[test]
    fn float_pow_follows_cpython_for_finite_operands() {
        let same = |got: Option<f64>, want: f64| got.is_some_and(|g| g.to_bits() == want.to_bits());
        assert!(same(float_pow(2.0, 10.0), 1024.0));
        assert!(same(float_pow(2.0, -1.0), 0.5));
        assert!(same(float_pow(10.0, -400.0), 0.0)); // underflow is fine in CPython
        assert_eq!(float_pow(10.0, 400.0), None); // OverflowError
        assert!(same(float_pow(-2.0, 2.0), 4.0));
        assert!(same(float_pow(-2.0, 3.0), -8.0));
        assert!(same(float_pow(-1.0, 1e300), 1.0));
        assert!(same(float_pow(-1.0, -3.0), -1.0));
        assert!(same(float_pow(-1.5, -2.0), 1.0 / 2.25));
        assert_eq!(float_pow(-2.0, 0.5), None); // a complex result
        assert_eq!(float_pow(-1e300, 3.0), None); // OverflowError
        assert!(same(float_pow(0.0, 2.0), 0.0));
        assert!(same(float_pow(-0.0, 2.0), 0.0));
        assert!(same(float_pow(-0.0, 3.0), -0.0));
        assert!(same(float_pow(-0.0, 0.5), 0.0));
        assert_eq!(float_pow(0.0, -1.0), None); // ZeroDivisionError
        assert!(same(float_pow(-7.0, 0.0), 1.0));
        assert_eq!(float_pow(f64::NAN, 0.0), None);
        assert_eq!(float_pow(2.0, f64::INFINITY), None);
    }
}

extern "C" {
    // The C library's functions, which CPython's `math` module calls too.
    fn exp(x: f64) -> f64;
    fn log(x: f64) -> f64;
    fn log10(x: f64) -> f64;
    fn sin(x: f64) -> f64;
    fn cos(x: f64) -> f64;
    fn tan(x: f64) -> f64;
    fn atan(x: f64) -> f64;
    fn pow(x: f64, y: f64) -> f64;
}

/// The C library's `pow`, which CPython's `float.__pow__` calls once it has
/// dealt with the special cases (see `float_pow`).
pub fn libm_pow() -> unsafe extern "C" fn(f64, f64) -> f64 {
    pow
}

/// The C library's function compiled code calls for `m` (the one CPython's
/// `math` module calls); `None` for `Sqrt`, which is inline.
pub fn libm_fn(m: MathFn) -> Option<unsafe extern "C" fn(f64) -> f64> {
    Some(match m {
        MathFn::Exp => exp,
        MathFn::Log => log,
        MathFn::Log10 => log10,
        MathFn::Sin => sin,
        MathFn::Cos => cos,
        MathFn::Tan => tan,
        MathFn::Atan => atan,
        MathFn::Sqrt => return None,
    })
}
