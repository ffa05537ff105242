//! Recording reads from lists and tuples: `xs[i]`, `len(xs)` and `for x in xs`.
//!
//! Elements are borrowed (except from a container the trace made and releases:
//! see `element`): the container holds them, and nothing a trace does
//! can change a list (no stores into containers, no calls of Python code), so
//! an element stays alive at least until the trace exits, where the exit takes
//! its own reference for every frame slot that holds one. An element's type is
//! learned when the interpreter pushes it (the next step), and guarded where
//! the trace first uses it as a number, like any value read from the frame.

use super::*;
use crate::ir::{ElementArray, Elems, Operands};
use crate::methods::MethodId;

/// The type of `seen` if releasing the last reference to it runs no Python
/// code: a number, bool, None or str.
pub(super) fn quiet_type(seen: &Observed) -> Option<PyType> {
    let quiet = matches!(
        seen,
        Observed::Int(_) | Observed::BigInt | Observed::Float(_) | Observed::Bool(_) | Observed::None | Observed::Str
    );
    PyType::from_name(seen.type_name()).filter(|_| quiet)
}

impl Recorder {
    /// `BUILD_TUPLE` and `BUILD_LIST` of up to three items: a new object the
    /// trace owns (see `quiet_item`).
    pub(super) fn build_sequence(&mut self, instr: &Instr, frame: &dyn FrameView) -> Outcome<()> {
        let n = instr.arg;
        if n > 3 {
            return Err(AbortReason::NotYetImplemented("a tuple or list display of more than three items".into()));
        }
        let snap = self.snapshot(instr.start);
        let mut items = Vec::new();
        for k in (1..=n).rev() {
            let slot = self.stack_slot(k);
            let item = self.read(slot, frame);
            self.quiet_item(item, &frame.observe(slot), snap)?;
            items.push(item);
        }
        let ty = if instr.opcode == Opcode::BuildTuple { PyType::Tuple } else { PyType::List };
        let made = self.make(Inst::BuildSeq(ty, Operands::from_slice(&items), snap))?;
        for _ in 0..n {
            self.pop(frame)?;
        }
        self.push_checked(made);
        Ok(())
    }

    /// A value going into a container the trace made, which the trace releases
    /// where the program drops it, with the frame not written: its items must
    /// go quietly too. Objects the trace made hold only such values; others
    /// must be numbers, bools, None or strs (guarded).
    pub(super) fn quiet_item(&mut self, v: Ref, seen: &Observed, snap: SnapId) -> Outcome<()> {
        if self.e.ty(v) != Ty::Obj || self.e.trace.inst(v).makes_object() {
            return Ok(());
        }
        let ty = quiet_type(seen).ok_or_else(|| {
            AbortReason::NotYetImplemented(format!(
                "a {} into a tuple or list the trace makes (releasing it could run Python code)",
                seen.type_name()
            ))
        })?;
        if !matches!(self.e.trace.inst(v), Inst::ConstObj(_)) {
            self.guard(Inst::GuardType(v, ty, snap))?;
        }
        Ok(())
    }

    /// Before storing `value` into `container`: see `quiet_item`.
    pub(super) fn storing_into(&mut self, container: Ref, value: Ref, seen: &Observed, snap: SnapId) -> Outcome<()> {
        if self.e.trace.inst(container).makes_object() {
            self.quiet_item(value, seen, snap)?;
        }
        Ok(())
    }

    /// The guarded container `v` as a list or tuple: (element base, size, where
    /// elements sit relative to the base). `None` for anything else.
    fn sequence(&mut self, v: Ref, snap: SnapId) -> Outcome<Option<(Ref, Ref, Elems)>> {
        let (ty, elems) = match self.kinds.get(&v) {
            Some(Observed::List) => (PyType::List, Elems::Array),
            Some(Observed::Tuple) => (PyType::Tuple, Elems::Tuple),
            _ => return Ok(None),
        };
        self.guard(Inst::GuardType(v, ty, snap))?;
        let size = self.e.push(Inst::LoadField(v, Field::SeqSize));
        let base = match elems {
            Elems::Array => self.e.push(Inst::LoadField(v, Field::ListItems)),
            Elems::Tuple => v,
        };
        Ok(Some((base, size, elems)))
    }

    /// `len()` of a list, tuple, str, set or dict (its truth too).
    pub(super) fn container_len(&mut self, v: Ref, snap: SnapId) -> Outcome<Option<Ref>> {
        if self.kinds.get(&v) == Some(&Observed::Dict) {
            self.guard(Inst::GuardType(v, PyType::Dict, snap))?;
            return Ok(Some(self.e.push(Inst::LoadField(v, Field::DictUsed))));
        }
        self.seq_len(v, snap)
    }

    /// `len()` of a list, tuple, str or set.
    pub(super) fn seq_len(&mut self, v: Ref, snap: SnapId) -> Outcome<Option<Ref>> {
        if self.kinds.get(&v) == Some(&Observed::Str) {
            self.guard(Inst::GuardType(v, PyType::Str, snap))?;
            return Ok(Some(self.value(Inst::LoadField(v, Field::StrLength))?));
        }
        if self.kinds.get(&v) == Some(&Observed::Set) {
            self.guard(Inst::GuardType(v, PyType::Set, snap))?;
            return Ok(Some(self.e.push(Inst::LoadField(v, Field::SetUsed))));
        }
        Ok(self.sequence(v, snap)?.map(|(_, size, _)| size))
    }

    /// `BINARY_SUBSCR` of a list or tuple by an int: negative indices count from
    /// the end; an index out of range leaves the trace (the interpreter raises
    /// `IndexError`).
    pub(super) fn subscript(&mut self, instr: &Instr, frame: &dyn FrameView) -> Outcome<()> {
        let (container_slot, index_slot) = (self.stack_slot(2), self.stack_slot(1));
        let index_seen = frame.observe(index_slot);
        let (container, index) = (self.read(container_slot, frame), self.read(index_slot, frame));
        let snap = self.snapshot(instr.start);
        match self.kinds.get(&container) {
            Some(Observed::Dict) => return self.dict_subscript(instr, frame, container, index, snap),
            Some(Observed::Str) => return self.str_subscript(instr, frame, container, index, &index_seen, snap),
            _ => {}
        }
        let Some((base, size, elems)) = self.sequence(container, snap)? else {
            return Err(self.unsupported(instr, &[container, index]));
        };
        let Some(position) = self.position(index, &index_seen, size, snap)? else {
            return Err(self.unsupported(instr, &[container, index]));
        };
        let item = self.element(container, base, position, elems)?;
        self.pop(frame)?;
        self.pop(frame)?;
        self.push_checked(item);
        Ok(())
    }

    /// Element `index` of the list or tuple `container`: borrowed, or a
    /// reference of the trace's own when the trace made the container (it
    /// releases the container while the element may live on, as in
    /// `a, b = line.split(",")`).
    fn element(&mut self, container: Ref, base: Ref, index: Ref, elems: Elems) -> Outcome<Ref> {
        let item = self.e.push(Inst::LoadElem(base, index, elems));
        if self.e.trace.inst(container).makes_object() {
            return self.make(Inst::NewRef(item));
        }
        Ok(item)
    }

    /// The element position Python's indexing picks for the int `index` in a
    /// sequence of `size` (negative indices count from the end), guarded to lie
    /// inside; an index out of range leaves the trace (`IndexError`). `None` for
    /// an index that is no int.
    pub(super) fn position(&mut self, index: Ref, seen: &Observed, size: Ref, snap: SnapId) -> Outcome<Option<Ref>> {
        let i = match self.number(index, snap)? {
            Some(n @ (Num::Int(_) | Num::Bool(_))) => self.int_of(n)?,
            _ => return Ok(None),
        };
        let from_end = matches!(seen, Observed::Int(v) if *v < 0);
        let zero = self.e.const_i64(0);
        let negative = self.value(Inst::ICmp(Cmp::Lt, i, zero))?;
        self.guard(if from_end { Inst::GuardTrue(negative, snap) } else { Inst::GuardFalse(negative, snap) })?;
        let position = if from_end {
            let p = self.value(Inst::IAddOv(i, size, snap))?;
            let before_start = self.value(Inst::ICmp(Cmp::Lt, p, zero))?;
            self.guard(Inst::GuardFalse(before_start, snap))?;
            p
        } else {
            i
        };
        let inside = self.value(Inst::ICmp(Cmp::Lt, position, size))?;
        self.guard(Inst::GuardTrue(inside, snap))?;
        Ok(Some(position))
    }

    /// `STORE_SUBSCR` into a list by an int. Elements read earlier are borrowed
    /// from their containers and the store may free the element it replaces, so
    /// no slot may still hold one afterwards.
    pub(super) fn store_subscript(&mut self, instr: &Instr, frame: &dyn FrameView) -> Outcome<()> {
        let (value_slot, container_slot, index_slot) = (self.stack_slot(3), self.stack_slot(2), self.stack_slot(1));
        let index_seen = frame.observe(index_slot);
        let value = self.read(value_slot, frame);
        let (container, index) = (self.read(container_slot, frame), self.read(index_slot, frame));
        let snap = self.snapshot(instr.start);
        if self.kinds.get(&container) == Some(&Observed::Dict) {
            return self.dict_store(instr, frame, (container, index, value), 3, snap);
        }
        if self.kinds.get(&container) != Some(&Observed::List) {
            return Err(self.unsupported(instr, &[container, index]));
        }
        let (items, size, _) = self.sequence(container, snap)?.expect("a list is a sequence");
        let Some(position) = self.position(index, &index_seen, size, snap)? else {
            return Err(self.unsupported(instr, &[container, index]));
        };
        self.storing_into(container, value, &frame.observe(value_slot), snap)?;
        self.store(Inst::StoreElem(items, position, value, snap), frame, 3)
    }

    /// `LIST_APPEND` of a list comprehension: the list sits below the
    /// iterator on the value stack.
    pub(super) fn comprehension_append(&mut self, instr: &Instr, frame: &dyn FrameView) -> Outcome<()> {
        let (list, value) = (self.read(self.stack_slot(instr.arg + 1), frame), self.read(self.stack_slot(1), frame));
        if self.kinds.get(&list) != Some(&Observed::List) {
            return Err(self.unsupported(instr, &[list]));
        }
        let snap = self.snapshot(instr.start);
        self.guard(Inst::GuardType(list, PyType::List, snap))?;
        self.storing_into(list, value, &frame.observe(self.stack_slot(1)), snap)?;
        self.e.push(Inst::ListAppend(list, value, snap));
        self.pop(frame)?;
        Ok(())
    }

    /// `LIST_EXTEND` of a list display: `list.extend` called directly (see
    /// `methods`). `[1, 2, 3]` is `BUILD_LIST 0` and the extend by a constant
    /// tuple, whose items the code object keeps alive (so the trace may
    /// release the list it made); `[*xs]` extends by a list or tuple.
    pub(super) fn list_extend(&mut self, instr: &Instr, frame: &dyn FrameView) -> Outcome<()> {
        let (list_slot, items_slot) = (self.stack_slot(instr.arg + 1), self.stack_slot(1));
        let (list, items) = (self.read(list_slot, frame), self.read(items_slot, frame));
        let extend = MethodId::find(PyType::List, "extend").expect("a listed method");
        let snap = self.snapshot(instr.start);
        let loaded_const = instr.start >= 2
            && self.code.decoded.at(instr.start - 2).is_some_and(|i| i.opcode == Opcode::LoadConst)
            && matches!(self.e.trace.inst(items), Inst::ConstObj(_));
        let extended = if loaded_const
            && frame.observe(items_slot) == Observed::Tuple
            && self.kinds.get(&list) == Some(&Observed::List)
        {
            self.guard(Inst::GuardType(list, PyType::List, snap))?;
            self.e.push(Inst::CallMethod(extend, Operands::from_slice(&[list, items]), snap));
            true
        } else {
            let args = [(list, frame.observe(list_slot)), (items, frame.observe(items_slot))];
            self.call_method(extend, &args, snap)?.is_some()
        };
        if !extended {
            return Err(self.unsupported(instr, &[list, items]));
        }
        self.pop(frame)?;
        Ok(())
    }

    /// `MAP_ADD` of a dict comprehension: a store of the top two values into
    /// the dict below the iterator.
    pub(super) fn comprehension_map_add(&mut self, instr: &Instr, frame: &dyn FrameView) -> Outcome<()> {
        let dict = self.read(self.stack_slot(instr.arg + 2), frame);
        let (key, value) = (self.read(self.stack_slot(2), frame), self.read(self.stack_slot(1), frame));
        if self.kinds.get(&dict) != Some(&Observed::Dict) {
            return Err(self.unsupported(instr, &[dict, key]));
        }
        let snap = self.snapshot(instr.start);
        self.dict_store(instr, frame, (dict, key, value), 2, snap)
    }

    /// Emit the store into a container `store` and pop its `operands`. The
    /// store may free the element it replaces, so first each element read
    /// earlier that a slot keeps past the store, and that it may free, gets a
    /// reference of the trace's own (`hold_element`): `x = a[0]; b[0] = y;
    /// use(x)` where `b` may be `a`. The store's own exit then has a
    /// snapshot of its own, which holds (and so releases) those references.
    /// Inside an inlined call or a generator, where the trace makes no
    /// objects, the store is refused instead.
    pub(super) fn store(&mut self, mut store: Inst, frame: &dyn FrameView, operands: u32) -> Outcome<()> {
        if !self.inlining() && !self.in_generator() {
            // The stored value itself the container refers to from now on.
            let stored = store.operands().as_slice().last().copied();
            let may_free = |r: &Self, v: Ref| Some(v) != stored && r.store_may_free(&store, v);
            if let Some(snap) = store.snap() {
                store.set_snap(self.hold_elements(may_free, self.depth - operands, snap, None)?);
            }
        }
        self.e.push(store);
        for _ in 0..operands {
            self.pop(frame)?;
        }
        self.note_store();
        self.refuse_freeing_kept(Some(&store), false)
    }

    /// The elements carried round the loop in `carried` that the next
    /// iteration's stores, which are this one's, could free. Not one in a
    /// slot the next iteration writes before its first store: it is gone
    /// from the frame by then (the item of `for p in items: p.x = ...`).
    /// For a bridge, any: the next iteration is the root trace's, and what
    /// the bridge wrote or stored says nothing about that.
    pub(super) fn freed_next_time(&self, carried: &[(Slot, Ref)]) -> Vec<Ref> {
        let written_first = |slot: &Slot| match &self.written_before_store {
            None => true,
            Some(written) => !self.bridge && written.contains(slot),
        };
        let is_store = |i: &&Inst| matches!(i, Inst::StoreElem(..) | Inst::DictSet(..));
        let stores = self.e.trace.insts.iter().filter(is_store);
        let may_free = |v: Ref| self.bridge || stores.clone().any(|s| self.store_may_free(s, v));
        let exposed = |&&(slot, v): &&(Slot, Ref)| self.is_element(v) && !written_first(&slot) && may_free(v);
        carried.iter().filter(exposed).map(|&(_, v)| v).collect()
    }

    /// Take a reference to the element `v` (`new_ref`, released when the last
    /// slot holding it lets go) and let every slot holding `v` hold that
    /// instead, so that no store can free it while a slot keeps it.
    /// Before an instruction that may free what the live slots above
    /// `depth` hold borrowed from containers (`may_free`), the trace takes
    /// references of its own to those (`hold_element`). The snapshot `snap`
    /// of the instruction's exit is then taken again, so that the exit
    /// releases them; returns the one to use. With the `frame`, a bridge's
    /// slots it has not read yet count too: they hold the tree's values.
    pub(super) fn hold_elements(
        &mut self,
        may_free: impl Fn(&Self, Ref) -> bool,
        depth: u32,
        snap: SnapId,
        frame: Option<&dyn FrameView>,
    ) -> Outcome<SnapId> {
        let nlocalsplus = self.code.nlocalsplus;
        for slot in self.in_registers.clone() {
            if let Some(frame) = frame.filter(|_| slot.live_at(nlocalsplus, depth)) {
                self.read(slot, frame);
            }
        }
        // What a bridge started with from the tree, which may have borrowed
        // it (`Recorder::start_in_registers`).
        let from_tree = |v: Ref| {
            frame.is_some() && matches!(self.e.trace.inst(v), Inst::LoadSlot(s) if self.in_registers.contains(s))
        };
        let mut freed: Vec<Ref> = (self.slots.iter())
            .filter(|(slot, _)| slot.live_at(nlocalsplus, depth))
            .map(|(_, &v)| v)
            .filter(|&v| (self.is_element(v) || from_tree(v)) && may_free(self, v))
            .collect();
        freed.sort();
        freed.dedup();
        for &v in &freed {
            self.hold_element(v)?;
        }
        if freed.is_empty() {
            return Ok(snap);
        }
        let pc = self.e.trace.snap(snap).pc;
        Ok(self.snapshot(pc))
    }

    pub(super) fn hold_element(&mut self, v: Ref) -> Outcome<()> {
        let held = self.make(Inst::NewRef(v))?;
        if let Some(kind) = self.kinds.get(&v).cloned() {
            self.kinds.insert(held, kind);
        }
        for value in self.slots.values_mut().filter(|value| **value == v) {
            *value = held;
        }
        Ok(())
    }

    /// Refuse the store `store` (any store where `None`) if a live slot holds
    /// an element it may free; when `returning` from the frame being
    /// recorded, its locals are gone and do not count.
    pub(super) fn refuse_freeing_kept(&self, store: Option<&Inst>, returning: bool) -> Outcome<()> {
        if self.keeps_element(&|v| store.is_none_or(|s| self.store_may_free(s, v)), returning) {
            return Err(AbortReason::NotYetImplemented(
                "an element read from a container is kept across a store".into(),
            ));
        }
        Ok(())
    }

    /// The iteration stores into a container: what the loop's own frame has
    /// written before the first store is kept (see `Recorder::close`).
    pub(super) fn note_store(&mut self) {
        if self.written_before_store.is_none() {
            let own = self.callers.first().map_or(&self.written, |caller| caller.frame_written());
            let own = if self.in_generator() { Default::default() } else { own.clone() };
            self.written_before_store = Some(own);
        }
    }

    /// Whether the store `store` may free the element `v`. It replaces one
    /// object, and frees it only if that was its last reference; `v` is still
    /// referenced from where it was read, so only a store into that very place
    /// can. A list's item array and an instance's values are never the same
    /// memory, nor are two constant indexes of one array; a dict's values
    /// live in no array.
    pub(super) fn store_may_free(&self, store: &Inst, v: Ref) -> bool {
        let trace = &self.e.trace;
        let constant = |r: Ref| match *trace.inst(r) {
            Inst::ConstI64(k) => Some(k),
            _ => None,
        };
        match (*trace.inst(v), *store) {
            (Inst::LoadElem(read, at, elems), Inst::StoreElem(written, to, ..)) => {
                let (read_in, written_in) = (trace.element_array(read), trace.element_array(written));
                let other_array = !Trace::arrays_may_meet(read_in, written_in);
                // Two arrays that start where their bases point (stores count
                // words from there, as reads of a list or an array do) are
                // the same memory or none of it: another index is another place.
                let array_starts = read == written
                    || (read_in == written_in
                        && elems == Elems::Array
                        && matches!(read_in, Some(ElementArray::ListItems | ElementArray::ObjectBody)));
                let other_index = array_starts && matches!((constant(at), constant(to)), (Some(i), Some(j)) if i != j);
                !(other_array || other_index)
            }
            (Inst::DictGet(..), Inst::StoreElem(..)) => false,
            (Inst::LoadElem(read, ..), Inst::DictSet(..)) => matches!(trace.inst(read), Inst::DictIterNext(..)),
            _ => true,
        }
    }

    /// Whether a live slot of any frame being recorded (a caller of an inlined
    /// call too) holds a borrowed element `freed` says may be freed.
    pub(super) fn keeps_element(&self, freed: &dyn Fn(Ref) -> bool, returning: bool) -> bool {
        let kept = |v: Ref| self.is_element(v) && freed(v);
        let counts = |slot: Slot| !returning || slot.0 >= self.code.nlocalsplus;
        self.live_slots().any(|(slot, v)| counts(slot) && kept(v))
            || self.callers_keep_element(&kept)
            || self.parked_keeps_element(&kept)
    }

    /// Whether `v` is borrowed from a container and a store of the trace could
    /// free it: an element of a list or tuple, an attribute of an instance, a
    /// value of a dict, unless already guarded to be of a type no store
    /// releases (stores give up on replacing anything but an int, float, bool
    /// or None: `abi::StoreElemObj`, `abi::DictSet`). Not a key met iterating
    /// a dict: the trace deletes no keys, and a store keeps the key.
    pub(super) fn is_element(&self, v: Ref) -> bool {
        let borrowed = match *self.e.trace.inst(v) {
            Inst::LoadElem(base, part, _) => {
                let dict_key = matches!(self.e.trace.inst(base), Inst::DictIterNext(..))
                    && self.e.trace.inst(part) == &Inst::ConstI64(0);
                !dict_key
            }
            Inst::DictGet(..) => true,
            _ => false,
        };
        borrowed && !self.e.trace.guarded_unreleasable(v, self.e.trace.refs().skip(v.index()))
    }

    /// `UNPACK_SEQUENCE n` of a list or tuple of exactly `n` elements (another
    /// size leaves the trace; the interpreter raises `ValueError`).
    pub(super) fn unpack(&mut self, instr: &Instr, frame: &dyn FrameView) -> Outcome<()> {
        let seq = self.read(self.stack_slot(1), frame);
        let snap = self.snapshot(instr.start);
        let Some((base, size, elems)) = self.sequence(seq, snap)? else {
            return Err(self.unsupported(instr, &[seq]));
        };
        let n = self.e.const_i64(instr.arg as i64);
        let fits = self.value(Inst::ICmp(Cmp::Eq, size, n))?;
        self.guard(Inst::GuardTrue(fits, snap))?;
        self.pop(frame)?;
        for k in (0..instr.arg).rev() {
            let index = self.e.const_i64(k as i64);
            let item = self.element(seq, base, index, elems)?;
            self.push_checked(item);
        }
        Ok(())
    }
}
