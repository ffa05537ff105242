//! Float powers: `a ** b` calls the C library's `pow` as CPython does,
//! straight from compiled code for a positive finite base and a finite
//! exponent (CPython's special cases are all outside that), else through
//! `runtime::hl_fpow`, which follows CPython's `float_pow`. For the exponents
//! 0.5 and 2.0 compiled code first tries a square root or a product, and keeps
//! it where its exact error shows `pow` would return the same (see
//! `Lowerer::pow_shortcut`).
//!
//! Rejected: always taking `sqrt(x)` for `x ** 0.5` and `x * x` for `x ** 2`.
//! Those are correctly rounded and `pow` is not: glibc's rounds
//! 2.258378853149491e30 ** 2 up where `x * x` rounds to even, and about one
//! random root in a thousand differs too.

use cranelift_codegen::ir::condcodes::{FloatCC, IntCC};
use cranelift_codegen::ir::types::{F64, I64};
use cranelift_codegen::ir::{Block, BlockArg, InstBuilder, MemFlagsData, Value};

use super::{runtime, Lowerer};
use crate::ir::{Inst, Ref};

/// How near the true value of `x ** 0.5` or `x ** 2.0` must be to the
/// correctly rounded `sqrt(x)` or `x * x`, in units in the last place, for
/// compiled code to take that instead of calling `pow` (`Lowerer::pow`).
/// Needs a `pow` off by less than `1 - POW_SHORTCUT_ULPS`: 0.56, where
/// glibc's is off by 0.54 at worst (the test's own slack is about 2**-50
/// ulps). The true value is this near in about 88% of cases (at 0.4, 80%,
/// and n-body spent a seventh of its time in `pow`).
const POW_SHORTCUT_ULPS: f64 = 0.44;

#[derive(Clone, Copy, PartialEq)]
enum PowShortcut {
    Sqrt,
    Square,
}

impl Lowerer<'_> {
    /// `a ** b`, by `runtime::hl_fpow`, but for the exponents 0.5 and 2.0
    /// (`x ** 0.5`, `dx ** 2`) where `pow_shortcut` applies.
    pub(super) fn pow(&mut self, a: Value, b: Value, exponent: Ref, exit: Block) -> Value {
        let shortcut = match *self.trace.inst(exponent) {
            Inst::ConstF64(bits) if self.abi.pow_max_ulps.is_some_and(|u| u < 1.0 - POW_SHORTCUT_ULPS) => {
                match f64::from_bits(bits) {
                    0.5 => Some(PowShortcut::Sqrt),
                    2.0 => Some(PowShortcut::Square),
                    _ => None,
                }
            }
            _ => None,
        };
        let Some(shortcut) = shortcut else {
            return self.pow_call(a, b, exit);
        };
        let (slow, done) = (self.b.create_block(), self.b.create_block());
        self.b.set_cold_block(slow);
        let result = self.b.append_block_param(done, F64);
        let (near, ok) = self.pow_shortcut(shortcut, a);
        self.b.ins().brif(ok, done, &[BlockArg::Value(near)], slow, &[]);
        self.b.switch_to_block(slow);
        let computed = self.pow_call(a, b, exit);
        self.b.ins().jump(done, &[BlockArg::Value(computed)]);
        self.b.switch_to_block(done);
        result
    }

    /// `pow(a, b)`: for a positive finite `a` and a finite `b`, a call of the
    /// C library's, leaving where the result overflows (CPython raises
    /// OverflowError; an underflow to zero is no error); the rest through
    /// `runtime::hl_fpow` (a cold call), which decides like CPython.
    fn pow_call(&mut self, a: Value, b: Value, exit: Block) -> Value {
        let zero = self.b.ins().f64const(0.0);
        let positive = self.b.ins().fcmp(FloatCC::GreaterThan, a, zero);
        let (a_finite, b_finite) = (self.is_finite(a), self.is_finite(b));
        let base = self.b.ins().band(positive, a_finite);
        let plain = self.b.ins().band(base, b_finite);
        let (direct, general, done) = (self.b.create_block(), self.b.create_block(), self.b.create_block());
        self.b.set_cold_block(general);
        let result = self.b.append_block_param(done, F64);
        self.b.ins().brif(plain, direct, &[], general, &[]);
        self.b.switch_to_block(direct);
        let r = self.call(runtime::libm_pow() as usize, &[F64, F64], F64, &[a, b]);
        let finite = self.is_finite(r);
        self.exit_unless(finite, exit);
        self.b.ins().jump(done, &[BlockArg::Value(r)]);
        self.b.switch_to_block(general);
        let f = runtime::hl_fpow as unsafe extern "C" fn(f64, f64, *mut f64) -> u8;
        let computed = self.call_with_out(f as usize, &[F64, F64], F64, &[a, b], exit);
        self.b.ins().jump(done, &[BlockArg::Value(computed)]);
        self.b.switch_to_block(done);
        result
    }

    /// `sqrt(a)` or `a * a`, correctly rounded, and whether `pow` certainly
    /// returns that too: whether the true result is within
    /// `POW_SHORTCUT_ULPS` of it, so that the doubles on either side are
    /// further than `pow`'s error from the true result (`Abi::pow_max_ulps`).
    /// The exact error of the rounded result comes from a fused
    /// multiply-add: `a * a - p` for the square, `s * s - a` for the root,
    /// where it is twice the root's error times `s` (to a relative 2**-52).
    /// Not for results that are powers of two, whose lower neighbour is
    /// nearer; nor for `a` outside [2**-250, 2**250] (both signs, for the
    /// square) and [2**-500, 2**500] (the root), where the products might
    /// lose bits; nor NaN. Those, and the few results near the midpoint
    /// between two doubles, go to `pow`.
    fn pow_shortcut(&mut self, shortcut: PowShortcut, a: Value) -> (Value, Value) {
        let (result, error, scale, base, limit) = match shortcut {
            PowShortcut::Sqrt => {
                let s = self.b.ins().sqrt(a);
                let minus_a = self.b.ins().fneg(a);
                (s, self.b.ins().fma(s, s, minus_a), 2.0 * POW_SHORTCUT_ULPS, a, 500)
            }
            PowShortcut::Square => {
                let p = self.b.ins().fmul(a, a);
                let minus_p = self.b.ins().fneg(p);
                let magnitude = self.b.ins().fabs(a);
                (p, self.b.ins().fma(a, a, minus_p), POW_SHORTCUT_ULPS, magnitude, 250)
            }
        };
        let low = self.b.ins().f64const(2f64.powi(-limit));
        let high = self.b.ins().f64const(2f64.powi(limit));
        let above = self.b.ins().fcmp(FloatCC::GreaterThanOrEqual, base, low);
        let below = self.b.ins().fcmp(FloatCC::LessThanOrEqual, base, high);
        let in_range = self.b.ins().band(above, below);
        // ulp(result) = 2**exponent(result) * 2**-52.
        let bits = self.b.ins().bitcast(I64, MemFlagsData::new(), result);
        let power = self.b.ins().band_imm_u(bits, 0x7ff0_0000_0000_0000);
        let mantissa = self.b.ins().band_imm_u(bits, 0x000f_ffff_ffff_ffff);
        let not_power_of_two = self.b.ins().icmp_imm_s(IntCC::NotEqual, mantissa, 0);
        let power = self.b.ins().bitcast(F64, MemFlagsData::new(), power);
        // The root's error is measured in ulps times the root itself.
        let size = if shortcut == PowShortcut::Sqrt { self.b.ins().fmul(power, result) } else { power };
        let factor = self.b.ins().f64const(scale * 2f64.powi(-52));
        let bound = self.b.ins().fmul(size, factor);
        let error = self.b.ins().fabs(error);
        let close = self.b.ins().fcmp(FloatCC::LessThanOrEqual, error, bound);
        let ok = self.b.ins().band(in_range, not_power_of_two);
        (result, self.b.ins().band(ok, close))
    }
}
