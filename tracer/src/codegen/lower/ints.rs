//! Unboxing ints (`Inst::UnboxInt`), in place. CPython 3.12's `int`
//! layout: `lv_tag` holds the digit count shifted left by 3 and the sign in
//! its low two bits (0 positive, 1 zero, 2 negative); the digits are 30-bit,
//! least significant first, in u32s. A tag below 16 means at most one digit
//! (the fast path); two or three digits are read in place too, and an int of
//! four or more (past 90 bits) never fits in an i64.
//!
//! Rejected: calling CPython's converter for more than one digit. The call,
//! cold as it is, clobbers every float register: floats live across it made
//! the register allocator keep the loop's floats in stack slots
//! (Mandelbrot's warm loop: 11.0 -> 10.3 ms without it).

use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::types::I64;
use cranelift_codegen::ir::{Block, BlockArg, InstBuilder, Value};

use super::{object_flags, Lowerer};

impl Lowerer<'_> {
    /// The i64 value of the `int` object `x`; leaves through `exit` when it
    /// does not fit.
    pub(super) fn unbox_int(&mut self, x: Value, exit: Block) -> Value {
        let tag = self.b.ins().load(I64, object_flags(), x, self.abi.long_tag);
        let compact = self.b.ins().icmp_imm_s(IntCC::UnsignedLessThan, tag, 16);
        let fast = self.b.create_block();
        let slow = self.b.create_block();
        let merge = self.b.create_block();
        let result = self.b.append_block_param(merge, I64);
        self.b.set_cold_block(slow);
        self.b.ins().brif(compact, fast, &[], slow, &[]);

        self.b.switch_to_block(fast);
        let digit = self.b.ins().uload32(object_flags(), x, self.abi.long_digit);
        let sign_bits = self.b.ins().band_imm_s(tag, 3);
        let one = self.b.ins().iconst(I64, 1);
        let sign = self.b.ins().isub(one, sign_bits);
        let value = self.b.ins().imul(sign, digit);
        self.b.ins().jump(merge, &[BlockArg::Value(value)]);

        // Two or three digits.
        self.b.switch_to_block(slow);
        let too_long = self.b.ins().icmp_imm_s(IntCC::UnsignedGreaterThanOrEqual, tag, 4 << 3);
        self.exit_if(too_long, exit);
        let digit = |lw: &mut Self, k: i32| lw.b.ins().uload32(object_flags(), x, lw.abi.long_digit + 4 * k);
        let low = digit(self, 0);
        let middle = digit(self, 1);
        let middle = self.b.ins().ishl_imm_u(middle, 30);
        let two_digits = self.b.ins().bor(low, middle);
        let three = self.b.create_block();
        let magnitude_known = self.b.create_block();
        let magnitude = self.b.append_block_param(magnitude_known, I64);
        self.b.set_cold_block(three);
        self.b.set_cold_block(magnitude_known);
        let has_three = self.b.ins().icmp_imm_s(IntCC::UnsignedGreaterThanOrEqual, tag, 3 << 3);
        self.b.ins().brif(has_three, three, &[], magnitude_known, &[BlockArg::Value(two_digits)]);

        // Three digits fit when the magnitude is below 2**63, or is 2**63 and
        // the sign negative (i64::MIN); the top digit then is at most 8.
        self.b.switch_to_block(three);
        let high = digit(self, 2);
        let over_eight = self.b.ins().icmp_imm_s(IntCC::UnsignedGreaterThan, high, 8);
        self.exit_if(over_eight, exit);
        let high = self.b.ins().ishl_imm_u(high, 60);
        let all_digits = self.b.ins().bor(two_digits, high);
        let sign_bits = self.b.ins().band_imm_s(tag, 3);
        let negative = self.b.ins().icmp_imm_s(IntCC::Equal, sign_bits, 2);
        let negative = self.b.ins().uextend(I64, negative);
        let limit = self.b.ins().iadd_imm_s(negative, i64::MAX);
        let too_big = self.b.ins().icmp(IntCC::UnsignedGreaterThan, all_digits, limit);
        self.exit_if(too_big, exit);
        self.b.ins().jump(magnitude_known, &[BlockArg::Value(all_digits)]);

        // 2**63 times -1 wraps to i64::MIN, which is the value.
        self.b.switch_to_block(magnitude_known);
        let sign_bits = self.b.ins().band_imm_s(tag, 3);
        let one = self.b.ins().iconst(I64, 1);
        let sign = self.b.ins().isub(one, sign_bits);
        let value = self.b.ins().imul(sign, magnitude);
        self.b.ins().jump(merge, &[BlockArg::Value(value)]);

        self.b.switch_to_block(merge);
        result
    }
}
