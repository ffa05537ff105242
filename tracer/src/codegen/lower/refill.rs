//! `Inst::RefillResult`: a compiled turn of `for i, x in enumerate(xs)` or
//! `for a, b in zip(xs, ys)` refills the result tuple CPython's iterator
//! caches, as its `__next__` would (see `record_iter`).
//!
//! What: the common case inline, the helper (`abi::RefillResult`) for the
//! rest. Inline when the tuple is the iterator's alone, tracked by the
//! collector, and no old item goes with the refill: each old object is held
//! elsewhere too (a list's item). A new int is one CPython caches (-5 to
//! 256), or else the old index int, the tuple's alone and of one digit,
//! takes it in place (as the helper does). Then the new objects are taken
//! and the old ones released without a call. Not the iterator's alone: CPython makes a new tuple, which the
//! unpacking drops, so there is nothing to do.
//!
//! Why: through the helper alone, a turn of `enumerate` over a list cost about
//! 8 ns, four times the rest of a small loop's turn.

use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::types::{I32, I64, I8};
use cranelift_codegen::ir::{Block, InstBuilder, Value};

use super::{mutable_flags, Lowerer};
use crate::ir::{Operands, Ty};

/// The ints CPython caches.
const CACHED_INTS: std::ops::RangeInclusive<i64> = -5..=256;

/// The indexes an int of one positive digit takes in place: above those
/// CPython caches, below 2**30.
const IN_PLACE_INDEXES: std::ops::Range<i64> = 257..1 << 30;

/// `lv_tag` of a one-digit positive int.
const ONE_POSITIVE_DIGIT: i64 = 1 << 3;

impl Lowerer<'_> {
    pub(super) fn refill_result(&mut self, args: Operands, exit: Block) -> Result<(), String> {
        let [iter, items @ ..] = args.as_slice() else {
            return Err("refill_result of nothing".into());
        };
        let iter = self.val(*iter)?;
        let [check, fast, slow, done] = [(); 4].map(|()| self.b.create_block());
        self.b.set_cold_block(slow);
        let result = self.b.ins().load(I64, mutable_flags(), iter, self.abi.result_tuple);
        let count = self.b.ins().load(I64, mutable_flags(), result, 0);
        let alone = self.b.ins().icmp_imm_s(IntCC::Equal, count, 1);
        self.b.ins().brif(alone, check, &[], done, &[]);

        self.b.switch_to_block(check);
        let mark = self.b.ins().load(I64, mutable_flags(), result, self.abi.gc_next);
        let mut inline = self.b.ins().icmp_imm_s(IntCC::NotEqual, mark, 0);
        let mut olds = Vec::with_capacity(items.len());
        let mut cached = Vec::with_capacity(items.len());
        for (k, &item) in items.iter().enumerate() {
            let old = self.b.ins().load(I64, mutable_flags(), result, self.abi.tuple_items + 8 * k as i32);
            let old_count = self.b.ins().load(I64, mutable_flags(), old, 0);
            // Not freed by the release: held elsewhere, or immortal.
            let held = self.b.ins().icmp_imm_s(IntCC::NotEqual, old_count, 1);
            let keeps = match self.trace.ty(item) {
                Ty::Obj => held,
                Ty::I64 => {
                    let value = self.val(item)?;
                    let above = self.b.ins().iadd_imm_s(value, -CACHED_INTS.start());
                    let span = CACHED_INTS.end() - CACHED_INTS.start() + 1;
                    let small = self.b.ins().icmp_imm_s(IntCC::UnsignedLessThan, above, span);
                    cached.push(small);
                    let in_place = self.int_takes_in_place(old, old_count, value);
                    self.b.ins().select(small, held, in_place)
                }
                _ => self.b.ins().iconst(I8, 0),
            };
            inline = self.b.ins().band(inline, keeps);
            olds.push(old);
        }
        let mut cached = cached.into_iter();
        self.b.ins().brif(inline, fast, &[], slow, &[]);

        self.b.switch_to_block(fast);
        for (k, (&item, &old)) in items.iter().zip(&olds).enumerate() {
            let new = self.val(item)?;
            let place = self.abi.tuple_items + 8 * k as i32;
            if self.trace.ty(item) != Ty::I64 {
                self.incref(new);
                self.b.ins().store(mutable_flags(), new, result, place);
                self.release_held(old);
                continue;
            }
            let small = cached.next().ok_or("refill_result: an int item without its test")?;
            let [take_cached, take_in_place, next] = [(); 3].map(|()| self.b.create_block());
            self.b.ins().brif(small, take_cached, &[], take_in_place, &[]);
            self.b.switch_to_block(take_cached);
            // Immortal: taken without a count.
            let offset = self.b.ins().imul_imm_s(new, self.abi.small_int_stride);
            let int = self.b.ins().iadd_imm_s(offset, self.abi.small_int_zero as i64);
            self.b.ins().store(mutable_flags(), int, result, place);
            self.release_held(old);
            self.b.ins().jump(next, &[]);
            self.b.switch_to_block(take_in_place);
            let digit = self.b.ins().ireduce(I32, new);
            self.b.ins().store(mutable_flags(), digit, old, self.abi.long_digit);
            self.b.ins().jump(next, &[]);
            self.b.switch_to_block(next);
        }
        self.b.ins().jump(done, &[]);

        self.b.switch_to_block(slow);
        let words = self.argument_words(Operands::from_slice(items))?;
        let call_args: Vec<Value> = [iter].into_iter().chain(words).collect();
        let ok = self.call(self.abi.refill_result as usize, &[I64; 6], I8, &call_args);
        self.exit_unless(ok, exit);
        self.b.ins().jump(done, &[]);
        self.b.switch_to_block(done);
        Ok(())
    }

    /// `Py_DECREF` of an object held elsewhere too, its count read again: an
    /// old item may be a new one too, or another old one (`zip(xs, xs)`).
    fn release_held(&mut self, obj: Value) {
        let count = self.b.ins().load(I64, mutable_flags(), obj, 0);
        self.decref_held(obj, count);
    }

    /// Whether the old index `old` (whose count is `count`) is an exact int
    /// only the tuple holds, of one positive digit, and `value` one such too.
    fn int_takes_in_place(&mut self, old: Value, count: Value, value: Value) -> Value {
        let alone = self.b.ins().icmp_imm_s(IntCC::Equal, count, 1);
        let ty = self.b.ins().load(I64, mutable_flags(), old, self.abi.ob_type);
        let is_int = self.b.ins().icmp_imm_s(IntCC::Equal, ty, self.abi.int_type as i64);
        let tag = self.b.ins().load(I64, mutable_flags(), old, self.abi.long_tag);
        let one_digit = self.b.ins().icmp_imm_s(IntCC::Equal, tag, ONE_POSITIVE_DIGIT);
        let above = self.b.ins().iadd_imm_s(value, -IN_PLACE_INDEXES.start);
        let span = IN_PLACE_INDEXES.end - IN_PLACE_INDEXES.start;
        let fits = self.b.ins().icmp_imm_s(IntCC::UnsignedLessThan, above, span);
        let old_ok = self.b.ins().band(alone, is_int);
        let new_ok = self.b.ins().band(one_digit, fits);
        self.b.ins().band(old_ok, new_ok)
    }
}
