//! Stores into list items and instance attributes (`Inst::StoreElem`):
//! through the runtime's helper for the value's type, but for a float
//! replacing a float only the element refers to, which takes the new value in
//! place (nothing can tell it from the new float CPython would make).

use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::types::{F64, I64, I8};
use cranelift_codegen::ir::{Block, InstBuilder, Value};

use super::{mutable_flags, Lowerer};
use crate::ir::{Inst, PyType, Ref, Trace};

impl Lowerer<'_> {
    /// `base[index] = value` (the instruction `store`) through the runtime's
    /// helper for the value's type.
    pub(super) fn store_elem(
        &mut self,
        store: Ref,
        base: Value,
        index: Value,
        value: Ref,
        exit: Block,
    ) -> Result<Option<Value>, String> {
        let helpers =
            [self.abi.store_elem_obj as usize, self.abi.store_elem_int as usize, self.abi.store_elem_float as usize];
        let (helper, ty, mut v) = self.by_value_type(value, helpers)?;
        let done = self.b.create_block();
        if ty == F64 {
            match replaced_float(self.trace, store) {
                Some(old) => {
                    let old = self.val(old)?;
                    let stored = v;
                    v = self.store_over_float(old, v, done);
                    self.exit_reads_back(store, stored, v);
                }
                None => self.store_float_in_place(base, index, v, done),
            }
        }
        let ok = self.call(helper, &[I64, I64, ty], I8, &[base, index, v]);
        self.exit_unless(ok, exit);
        self.b.ins().jump(done, &[]);
        self.b.switch_to_block(done);
        Ok(None)
    }

    /// The helper's first case inline: an exact float only the element refers
    /// to takes the new value in place (nothing can tell it from the new float
    /// CPython would make), and control goes on at `done`; anything else falls
    /// through to the helper.
    fn store_float_in_place(&mut self, base: Value, index: Value, value: Value, done: Block) {
        let offset = self.b.ins().ishl_imm_u(index, 3);
        let place = self.b.ins().iadd(base, offset);
        let old = self.b.ins().load(I64, mutable_flags(), place, 0);
        let [typed, counted, replace, helper] = [(); 4].map(|()| self.b.create_block());
        self.b.set_cold_block(helper);
        self.b.ins().brif(old, typed, &[], helper, &[]);
        self.b.switch_to_block(typed);
        let ty = self.b.ins().load(I64, mutable_flags(), old, self.abi.ob_type);
        let is_float = self.b.ins().icmp_imm_s(IntCC::Equal, ty, self.abi.float_type as i64);
        self.b.ins().brif(is_float, counted, &[], helper, &[]);
        self.b.switch_to_block(counted);
        let count = self.b.ins().load(I64, mutable_flags(), old, 0);
        let alone = self.b.ins().icmp_imm_s(IntCC::Equal, count, 1);
        self.b.ins().brif(alone, replace, &[], helper, &[]);
        self.b.switch_to_block(replace);
        self.b.ins().store(mutable_flags(), value, old, self.abi.float_value);
        self.b.ins().jump(done, &[]);
        self.b.switch_to_block(helper);
    }

    /// `store_float_in_place` for an element known to be an exact float,
    /// `old`: only its reference count is checked. Without a branch before
    /// the store, which goes either into the float or, when the float may not
    /// be changed, into a scratch slot: a store in a branch of its own makes
    /// Cranelift compute the value there, and again for every use outside
    /// that branch (n-body computed its `dt / (d2 * d2**0.5)` once per store
    /// of a velocity). Returns the value as the helper's block reads it back
    /// from the scratch slot, so that the value need not live on (in a
    /// register, or spilled on the fast path) until the helper.
    fn store_over_float(&mut self, old: Value, value: Value, done: Block) -> Value {
        let count = self.b.ins().load(I64, mutable_flags(), old, 0);
        let alone = self.b.ins().icmp_imm_s(IntCC::Equal, count, 1);
        let scratch = self.scratch_slot();
        let scratch = self.b.ins().stack_addr(I64, scratch, 0);
        let decoy = self.b.ins().iadd_imm_s(scratch, -(self.abi.float_value as i64));
        let target = self.b.ins().select(alone, old, decoy);
        self.b.ins().store(mutable_flags(), value, target, self.abi.float_value);
        let helper = self.b.create_block();
        self.b.set_cold_block(helper);
        self.b.ins().brif(alone, done, &[], helper, &[]);
        self.b.switch_to_block(helper);
        self.b.ins().load(F64, mutable_flags(), scratch, 0)
    }

    /// The exit of `inst` (its own, reached only from its helper) writes
    /// `reloaded` where its snapshot's stack holds `value`.
    fn exit_reads_back(&mut self, inst: Ref, value: Value, reloaded: Value) {
        let n = self.exits.len() - 1;
        if self.exits[n].guard != Some(inst) {
            return;
        }
        let nlocalsplus = self.trace.nlocalsplus;
        let entries = &self.trace.snap(self.exits[n].snap).entries;
        for (k, &(slot, _)) in entries.iter().enumerate() {
            if slot.0 >= nlocalsplus && self.exit_values[n][k] == Some(value) {
                self.exit_values[n][k] = Some(reloaded);
            }
        }
    }
}

/// The element a `store_elem` replaces, when the trace has just read it and
/// guarded it to be an exact float: a `load_elem` of the same place, with
/// only pure instructions, guards and loads between (nothing that could
/// change the element), in the same block.
pub(in crate::codegen) fn replaced_float(trace: &Trace, store: Ref) -> Option<Ref> {
    const LOOK_BACK: usize = 64;
    let Inst::StoreElem(base, index, ..) = *trace.inst(store) else { return None };
    let mut floats = Vec::new();
    for i in (store.index().saturating_sub(LOOK_BACK)..store.index()).rev() {
        match *trace.inst(Ref(i as u32)) {
            Inst::LoadElem(b, at, _) if b == base && at == index => {
                return floats.contains(&Ref(i as u32)).then_some(Ref(i as u32));
            }
            Inst::GuardType(v, PyType::Float, _) => floats.push(v),
            ref inst if inst.is_pure() || inst.is_guard() => {}
            Inst::LoadElem(..) | Inst::LoadField(..) => {}
            _ => return None,
        }
    }
    None
}
