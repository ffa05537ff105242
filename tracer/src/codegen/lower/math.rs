//! `math.exp`, `log`, `log10`, `sin`, `cos`, `tan` and `atan`: a call of the
//! C library's function, as CPython's `math` module makes, and its result
//! checked inline as CPython's `math_1` checks it.
//!
//! Rejected: a runtime helper that calls the function and checks (what this
//! replaced): its call, a store and a load of a scratch slot, and a flag to
//! test cost math_series a sixth of its time.

use cranelift_codegen::ir::condcodes::FloatCC;
use cranelift_codegen::ir::types::F64;
use cranelift_codegen::ir::{Block, InstBuilder, Value};

use super::{runtime, Lowerer};
use crate::ir::MathFn;

impl Lowerer<'_> {
    /// `m(x)`, leaving through `exit` where CPython raises.
    pub(super) fn math_call(&mut self, m: MathFn, x: Value, exit: Block) -> Value {
        let f = runtime::libm_fn(m).expect("only sqrt is compiled inline");
        let r = self.call(f as usize, &[F64], F64, &[x]);
        self.exit_on_math_error(x, r, exit);
        r
    }

    /// CPython's `math_1` on `r = f(x)`: a NaN from a non-NaN argument is a
    /// domain error and an infinity from a finite argument an overflow or
    /// domain error; both leave, for the interpreter to raise. A finite
    /// result, nearly always, costs one compare; the rest is cold.
    fn exit_on_math_error(&mut self, x: Value, r: Value, exit: Block) {
        let finite = self.is_finite(r);
        let (check, done) = (self.b.create_block(), self.b.create_block());
        self.b.set_cold_block(check);
        self.b.ins().brif(finite, done, &[], check, &[]);
        self.b.switch_to_block(check);
        // `r` is NaN or an infinity here.
        let r_nan = self.b.ins().fcmp(FloatCC::Unordered, r, r);
        let r_infinite = self.b.ins().fcmp(FloatCC::Ordered, r, r);
        let x_not_nan = self.b.ins().fcmp(FloatCC::Ordered, x, x);
        let x_finite = self.is_finite(x);
        let domain = self.b.ins().band(r_nan, x_not_nan);
        let overflow = self.b.ins().band(r_infinite, x_finite);
        let error = self.b.ins().bor(domain, overflow);
        self.exit_if(error, exit);
        self.b.ins().jump(done, &[]);
        self.b.switch_to_block(done);
    }

    /// Whether the float `v` is neither an infinity nor NaN.
    pub(super) fn is_finite(&mut self, v: Value) -> Value {
        let inf = self.b.ins().f64const(f64::INFINITY);
        let magnitude = self.b.ins().fabs(v);
        self.b.ins().fcmp(FloatCC::LessThan, magnitude, inf)
    }
}
