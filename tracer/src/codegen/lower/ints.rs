//! Unboxing ints (`Inst::UnboxInt`), in place. CPython 3.12's `int`
//! layout: `lv_tag` holds the digit count shifted left by 3 and the sign in
//! its low two bits (0 positive, 1 zero, 2 negative); the digits are 30-bit,
//! least significant first, in u32s. A tag below 16 means at most one digit
//! (the fast path); longer ints go to `runtime::hl_unbox_digits` through a
//! trampoline that clobbers no register (`preserving`).
//!
//! Rejected: calling CPython's converter for more than one digit. The call,
//! cold as it is, clobbers every float register: floats live across it made
//! the register allocator keep the loop's floats in stack slots
//! (Mandelbrot's warm loop: 11.0 -> 10.3 ms without it). Reading two and
//! three digits inline: twelve blocks per unboxing made Mandelbrot's tree
//! compile 25% slower than exiting on them.

use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::types::I64;
use cranelift_codegen::ir::{Block, BlockArg, InstBuilder, Value};

use super::{mutable_flags, object_flags, runtime, Lowerer};

impl Lowerer<'_> {
    /// The i64 value of the `int` object `x`; leaves through `exit` when it
    /// does not fit.
    pub(super) fn unbox_int(&mut self, x: Value, exit: Block) -> Result<Value, String> {
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

        // Two digits or more.
        self.b.switch_to_block(slow);
        let digits = self.b.ins().iadd_imm_s(x, i64::from(self.abi.long_digit));
        let out = self.scratch_slot();
        let out = self.b.ins().stack_addr(I64, out, 0);
        let helper = runtime::hl_unbox_digits as unsafe extern "C" fn(u64, *const u32, *mut i64);
        self.call_preserving(helper as usize, &[I64, I64, I64], &[tag, digits, out])?;
        let fits = self.b.ins().load(I64, mutable_flags(), out, 8);
        self.exit_unless(fits, exit);
        let value = self.b.ins().load(I64, mutable_flags(), out, 0);
        self.b.ins().jump(merge, &[BlockArg::Value(value)]);

        self.b.switch_to_block(merge);
        Ok(result)
    }
}
