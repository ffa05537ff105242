//! Recording `FOR_ITER`: over `range`, list and tuple iterators, over
//! `enumerate` and `zip` of those when the loop unpacks each item at once
//! (`for i, x in enumerate(xs)`, `for a, b in zip(xs, ys)`), and over a dict's
//! keys, values and (unpacked) items.
//!
//! Advancing an iterator is split in two: guards and loads first, stores last,
//! so that an exit (an exhausted iterator, say) leaves every iterator untouched
//! and the interpreter's own `FOR_ITER` decides what happens. `zip` depends on
//! that: CPython consumes an item of the first iterator before it finds the
//! second one exhausted.
//!
//! For `enumerate` and `zip` the `FOR_ITER` and the `UNPACK_SEQUENCE` after it
//! are recorded as one, so the pair tuple is never built: it could not escape
//! anyway. But CPython's objects cache their last result tuple and refill it
//! each turn, so that it holds each item until the next turn: an item the loop
//! body drops its last other reference to lives on until then (its `__del__`
//! runs there). Compiled turns refill it too (`Inst::RefillResult`, as
//! `DictIterNext`'s helper does for a dict's items); a `zip` of more than two
//! iterators, whose tuple would take more operands, is not compiled.
//!
//! A dict iterator advances in its helper, which finds the next entry past
//! deleted ones; so it is never an iterator inside `zip` or `enumerate`, where
//! a later exit would leave it advanced.

use super::*;
use crate::ir::{Elems, Operands};

/// The most items of a result tuple `Inst::RefillResult` refills (with the
/// iterator, its operands must fit `Operands`).
const MAX_REFILLED: u32 = 2;

impl Recorder {
    pub(super) fn for_iter(&mut self, instr: &Instr, frame: &dyn FrameView) -> Outcome<()> {
        let slot = self.stack_slot(1);
        let iter = self.read(slot, frame);
        let snap = self.snapshot(instr.start);
        if let Some(view) = frame.generator(slot) {
            return self.enter_generator(instr, iter, slot, view, snap);
        }
        let kind = self.kinds.get(&iter).cloned();
        if let Some(ty) = self.ends_inner_loop(slot, kind.as_ref(), frame) {
            return self.for_iter_end(instr, iter, ty, (slot, snap), frame);
        }
        match kind {
            Some(Observed::DictKeyIter) => self.dict_iter(instr, iter, PyType::DictKeyIter, snap),
            Some(Observed::DictValueIter) => self.dict_iter(instr, iter, PyType::DictValueIter, snap),
            Some(Observed::DictItemIter) => self.dict_iter(instr, iter, PyType::DictItemIter, snap),
            Some(Observed::Enumerate | Observed::Zip) => {
                let parts = frame.iterator_parts(slot);
                self.fused_unpack(instr, iter, kind == Some(Observed::Enumerate), &parts, snap)
            }
            Some(kind) => {
                let Some((item, stores)) = self.advance(iter, &kind, snap)? else {
                    return Err(self.unsupported(instr, &[iter]));
                };
                self.commit(stores);
                self.push_checked(item);
                Ok(())
            }
            None => Err(self.unsupported(instr, &[iter])),
        }
    }

    /// The iterator type, when this `FOR_ITER` ends an inner loop in a bridge
    /// that may go on round the outer loop: the frame's own iterator (in the
    /// loop's stack), of a kind `for_iter_end` knows, at its end.
    fn ends_inner_loop(&self, slot: Slot, kind: Option<&Observed>, frame: &dyn FrameView) -> Option<PyType> {
        let loop_stack = slot.0 < self.code.nlocalsplus + self.e.trace.header_depth;
        if !self.bridge || self.inlining() || self.in_generator() || !loop_stack {
            return None;
        }
        let ty = match kind? {
            Observed::RangeIter => PyType::RangeIter,
            Observed::ListIter => PyType::ListIter,
            Observed::TupleIter => PyType::TupleIter,
            Observed::StrIter => PyType::StrIter,
            _ => return None,
        };
        (frame.iterator_at_end(slot) == Some(true)).then_some(ty)
    }

    /// `FOR_ITER` at the end of an inner loop, in a bridge: the iterator goes
    /// (see `Inst::ForIterEnd`), its slot stays empty for the next inner
    /// loop's, and the interpreter goes on after the loop's `END_FOR`.
    ///
    /// A range iterator's end is a guard of its own first: where it has
    /// items left (the second of three turns of `for i in range(3)` round
    /// an inner loop), that guard grows a bridge that goes on with the next
    /// item, where the exit of `ForIterEnd` could not (it also leaves where
    /// a release could run Python code, and a bridge from there would give
    /// up again).
    ///
    /// Releasing the iterator may free its sequence, and with it the
    /// elements the loop's variables still hold (the last line of
    /// `for piece in text.splitlines()`): the trace holds those first.
    fn for_iter_end(
        &mut self,
        instr: &Instr,
        iter: Ref,
        ty: PyType,
        (slot, snap): (Slot, SnapId),
        frame: &dyn FrameView,
    ) -> Outcome<()> {
        self.guard(Inst::GuardType(iter, ty, snap))?;
        // A range iterator's release frees no object a variable could hold.
        let snap = match ty {
            PyType::RangeIter => snap,
            _ => self.hold_elements(|_, _| true, self.depth - 1, snap, Some(frame))?,
        };
        if ty == PyType::RangeIter {
            let len = self.e.push(Inst::LoadField(iter, Field::RangeIterLen));
            let zero = self.e.const_i64(0);
            let more = self.value(Inst::ICmp(Cmp::Gt, len, zero))?;
            self.guard(Inst::GuardFalse(more, snap))?;
        }
        self.e.push(Inst::ForIterEnd(ty, slot, snap));
        self.depth -= 1;
        self.emptied.push(slot);
        let end_for = instr.jump_target().expect("FOR_ITER has a target");
        self.expect_pc = end_for + 2;
        Ok(())
    }

    /// `GET_ITER` of an exact list, tuple, str or dict into the slot a
    /// `for_iter_end` emptied: the next inner loop's iterator, made by the
    /// runtime in the frame (see `Inst::GetIter`).
    pub(super) fn get_iter(&mut self, instr: &Instr, frame: &dyn FrameView) -> Outcome<()> {
        let slot = self.stack_slot(1);
        let container = self.read(slot, frame);
        if !self.emptied.contains(&slot) {
            return Err(AbortReason::NotYetImplemented("GET_ITER".into()));
        }
        let (ty, iterator) = match self.kinds.get(&container) {
            Some(Observed::List) => (PyType::List, Observed::ListIter),
            Some(Observed::Tuple) => (PyType::Tuple, Observed::TupleIter),
            Some(Observed::Str) => (PyType::Str, Observed::StrIter),
            Some(Observed::Dict) => (PyType::Dict, Observed::DictKeyIter),
            _ => return Err(self.unsupported(instr, &[container])),
        };
        let snap = self.snapshot(instr.start);
        self.guard(Inst::GuardType(container, ty, snap))?;
        let it = self.e.push(Inst::GetIter(Operands::from_slice(&[container]), slot, snap));
        self.pop(frame)?;
        self.started_inner_loop(slot, it, iterator, snap)
    }

    /// `range(...)` of ints whose only use is the `GET_ITER` after it, into
    /// the slot a `for_iter_end` emptied: the range iterator is made at once.
    pub(super) fn range_iter(&mut self, instr: &Instr, args: &[(Ref, Observed)], snap: SnapId) -> Outcome<()> {
        let get_iter = self.code.decoded.at(instr.next).copied().filter(|g| g.opcode == Opcode::GetIter);
        let slot = self.stack_slot(args.len() as u32 + 2);
        let Some(get_iter) = get_iter.filter(|_| self.emptied.contains(&slot)) else {
            return Err(AbortReason::NotYetImplemented("CALL of range outside a loop's GET_ITER".into()));
        };
        let mut bounds = Vec::new();
        for &(v, _) in args {
            match self.number(v, snap)? {
                Some(Num::Int(i)) => bounds.push(i),
                _ => return Err(AbortReason::NotYetImplemented("range() of other than ints".into())),
            }
        }
        let (zero, one) = (self.e.const_i64(0), self.e.const_i64(1));
        let bounds = match bounds[..] {
            [stop] => [zero, stop, one],
            [start, stop] => [start, stop, one],
            [start, stop, step] => [start, stop, step],
            _ => return Err(AbortReason::NotYetImplemented("range() of other than 1 to 3 arguments".into())),
        };
        let it = self.e.push(Inst::GetIter(Operands::from_slice(&bounds), slot, snap));
        for _ in 0..args.len() + 2 {
            self.depth -= 1;
        }
        self.started_inner_loop(slot, it, Observed::RangeIter, snap)?;
        self.fused = Some(get_iter.start..get_iter.next);
        self.expect_pc = get_iter.start;
        Ok(())
    }

    /// The new inner iterator is on the stack. Its type is checked once here,
    /// so the loop need not check it on every turn (see `opt::phi_types`).
    fn started_inner_loop(&mut self, slot: Slot, it: Ref, kind: Observed, snap: SnapId) -> Outcome<()> {
        self.push(it);
        let ty = PyType::from_name(kind.type_name()).expect("iterators the loops step have types");
        self.kinds.insert(it, kind);
        self.emptied.retain(|&s| s != slot);
        self.guard(Inst::GuardType(it, ty, snap))
    }

    /// `FOR_ITER` over a dict's keys or values, or over its items with the
    /// `UNPACK_SEQUENCE 2` after it (no pair tuple is built). The key and value
    /// are borrowed from the dict, like list elements.
    fn dict_iter(&mut self, instr: &Instr, iter: Ref, ty: PyType, snap: SnapId) -> Outcome<()> {
        let unpack = self.code.decoded.at(instr.next).copied();
        let unpacked = unpack.filter(|u| u.opcode == Opcode::UnpackSequence && u.arg == 2);
        if ty == PyType::DictItemIter && unpacked.is_none() {
            return Err(AbortReason::NotYetImplemented("FOR_ITER on dict items kept as pairs".into()));
        }
        self.guard(Inst::GuardType(iter, ty, snap))?;
        let entry = self.e.push(Inst::DictIterNext(iter, snap));
        let part = |r: &mut Self, k: i64| {
            let k = r.e.const_i64(k);
            r.e.push(Inst::LoadElem(entry, k, Elems::Array))
        };
        match (ty, unpacked) {
            (PyType::DictItemIter, Some(unpack)) => {
                let (key, value) = (part(self, 0), part(self, 1));
                self.push_checked(value);
                self.push_checked(key);
                self.fused = Some(unpack.start..unpack.next);
                self.expect_pc = unpack.start;
            }
            _ => {
                let item = part(self, (ty == PyType::DictValueIter) as i64);
                self.push_checked(item);
            }
        }
        Ok(())
    }

    fn commit(&mut self, stores: Vec<Inst>) {
        for store in stores {
            self.e.push(store);
        }
    }

    /// The next item of the iterator `iter` (of the observed `kind`) and the
    /// stores that advance it. Exits through `snap` when there is none.
    fn advance(&mut self, iter: Ref, kind: &Observed, snap: SnapId) -> Outcome<Option<(Ref, Vec<Inst>)>> {
        let zero = self.e.const_i64(0);
        let one = self.e.const_i64(1);
        Ok(Some(match kind {
            Observed::RangeIter => {
                self.guard(Inst::GuardType(iter, PyType::RangeIter, snap))?;
                let len = self.e.push(Inst::LoadField(iter, Field::RangeIterLen));
                let more = self.value(Inst::ICmp(Cmp::Gt, len, zero))?;
                self.guard(Inst::GuardTrue(more, snap))?;
                let start = self.e.push(Inst::LoadField(iter, Field::RangeIterStart));
                let step = self.e.push(Inst::LoadField(iter, Field::RangeIterStep));
                // CPython's `start + step` wraps too (it is built with
                // -fwrapv), and only after the last item; `len` is above 0.
                let next = self.value(Inst::IAdd(start, step))?;
                let rest = self.value(Inst::ISub(len, one))?;
                let stores = vec![
                    Inst::StoreField(iter, Field::RangeIterStart, next),
                    Inst::StoreField(iter, Field::RangeIterLen, rest),
                ];
                (start, stores)
            }
            Observed::ListIter | Observed::TupleIter | Observed::ListRevIter | Observed::StrIter => {
                // The four share a layout; `it_seq` goes NULL at the end. A
                // list's reverse iterator counts its index down to -1; a str's
                // gives one-character strs, new ones above 255, as CPython does;
                // where the trace cannot own one (in a generator or an inlined
                // call), only the ones CPython keeps (`StrChar`).
                let (ty, size_field) = match kind {
                    Observed::ListIter => (PyType::ListIter, Field::SeqSize),
                    Observed::ListRevIter => (PyType::ListRevIter, Field::SeqSize),
                    Observed::StrIter => (PyType::StrIter, Field::StrLength),
                    _ => (PyType::TupleIter, Field::SeqSize),
                };
                let reverse = ty == PyType::ListRevIter;
                self.guard(Inst::GuardType(iter, ty, snap))?;
                let seq = self.e.push(Inst::LoadField(iter, Field::SeqIterSeq));
                let null = self.value(Inst::Null)?;
                let exhausted = self.value(Inst::ObjIs(seq, null))?;
                self.guard(Inst::GuardFalse(exhausted, snap))?;
                let index = self.e.push(Inst::LoadField(iter, Field::SeqIterIndex));
                let size = self.e.push(Inst::LoadField(seq, size_field));
                if reverse {
                    let before_start = self.value(Inst::ICmp(Cmp::Lt, index, zero))?;
                    self.guard(Inst::GuardFalse(before_start, snap))?;
                }
                let more = self.value(Inst::ICmp(Cmp::Lt, index, size))?;
                self.guard(Inst::GuardTrue(more, snap))?;
                let item = match ty {
                    PyType::StrIter if self.inlining() || self.in_generator() => {
                        self.e.push(Inst::StrChar(seq, index, snap))
                    }
                    PyType::StrIter => self.make(Inst::StrCharNew(seq, index, snap))?,
                    PyType::TupleIter => self.e.push(Inst::LoadElem(seq, index, Elems::Tuple)),
                    _ => {
                        let items = self.e.push(Inst::LoadField(seq, Field::ListItems));
                        self.e.push(Inst::LoadElem(items, index, Elems::Array))
                    }
                };
                // Guarded to be within the sequence: one step cannot overflow.
                let next = self.value(if reverse { Inst::ISub(index, one) } else { Inst::IAdd(index, one) })?;
                (item, vec![Inst::StoreField(iter, Field::SeqIterIndex, next)])
            }
            _ => return Ok(None),
        }))
    }

    /// `FOR_ITER` over `enumerate` or `zip` together with the `UNPACK_SEQUENCE`
    /// that must follow it: push the parts as the unpacking would.
    fn fused_unpack(
        &mut self,
        instr: &Instr,
        it: Ref,
        enumerate: bool,
        parts: &[Observed],
        snap: SnapId,
    ) -> Outcome<()> {
        let unsupported =
            || AbortReason::NotYetImplemented(format!("FOR_ITER on {}", if enumerate { "enumerate" } else { "zip" }));
        let unpack = self.code.decoded.at(instr.next).copied().ok_or_else(unsupported)?;
        let width = if enumerate { 2 } else { parts.len() as u32 };
        if unpack.opcode != Opcode::UnpackSequence || unpack.arg != width || parts.is_empty() {
            return Err(unsupported());
        }
        if width > MAX_REFILLED {
            return Err(AbortReason::NotYetImplemented(format!("zip of more than {MAX_REFILLED} iterators")));
        }
        let mut items = Vec::new();
        let mut stores = Vec::new();
        if enumerate {
            self.guard(Inst::GuardType(it, PyType::Enumerate, snap))?;
            // Past sys.maxsize the index becomes a big int: not compiled.
            let long_index = self.e.push(Inst::LoadField(it, Field::EnumLongIndex));
            let null = self.value(Inst::Null)?;
            let small = self.value(Inst::ObjIs(long_index, null))?;
            self.guard(Inst::GuardTrue(small, snap))?;
            let index = self.e.push(Inst::LoadField(it, Field::EnumIndex));
            let one = self.e.const_i64(1);
            let next = self.value(Inst::IAddOv(index, one, snap))?;
            let inner = self.e.push(Inst::LoadField(it, Field::EnumIter));
            let (item, inner_stores) = self.advance(inner, &parts[0], snap)?.ok_or_else(unsupported)?;
            stores.extend(inner_stores);
            stores.push(Inst::StoreField(it, Field::EnumIndex, next));
            items.extend([index, item]);
        } else {
            self.guard(Inst::GuardType(it, PyType::Zip, snap))?;
            let size = self.e.push(Inst::LoadField(it, Field::ZipSize));
            let strict = self.e.push(Inst::LoadField(it, Field::ZipStrict));
            let n = self.e.const_i64(parts.len() as i64);
            let zero = self.e.const_i64(0);
            let same_size = self.value(Inst::ICmp(Cmp::Eq, size, n))?;
            let lenient = self.value(Inst::ICmp(Cmp::Eq, strict, zero))?;
            self.guard(Inst::GuardTrue(same_size, snap))?;
            self.guard(Inst::GuardTrue(lenient, snap))?;
            let iterators = self.e.push(Inst::LoadField(it, Field::ZipIters));
            let mut inners = Vec::new();
            for k in 0..parts.len() {
                let index = self.e.const_i64(k as i64);
                let inner = self.e.push(Inst::LoadElem(iterators, index, Elems::Tuple));
                // Each advance reads its iterator before any is stored to: one
                // iterator twice (`zip(it, it)`) would give one item twice.
                for &earlier in &inners {
                    let same = self.value(Inst::ObjIs(earlier, inner))?;
                    self.guard(Inst::GuardFalse(same, snap))?;
                }
                inners.push(inner);
            }
            for (&inner, part) in inners.iter().zip(parts) {
                let (item, inner_stores) = self.advance(inner, part, snap)?.ok_or_else(unsupported)?;
                stores.extend(inner_stores);
                items.push(item);
            }
        }
        // Before the stores: where it leaves, the iterators are as they were.
        let refilled: Vec<Ref> = [it].into_iter().chain(items.iter().copied()).collect();
        self.e.push(Inst::RefillResult(Operands::from_slice(&refilled), snap));
        self.commit(stores);
        for item in items.into_iter().rev() {
            self.push_checked(item);
        }
        self.fused = Some(unpack.start..unpack.next);
        self.expect_pc = unpack.start;
        Ok(())
    }
}
