//! Recording attributes of instances of Python classes: `obj.x`, `obj.x = v`
//! and `obj.method(...)`.
//!
//! What: the runtime looks the attribute up the way CPython's generic
//! attribute access does and says where instances of the object's type keep
//! it (`AttrPlace`): in the instance's inline values, in a `__slots__` member,
//! or as a function of the class. The trace guards the type's version tag and
//! reads or writes that place directly, as CPython's specialized
//! `LOAD_ATTR_INSTANCE_VALUE`, `LOAD_ATTR_SLOT` and `LOAD_ATTR_METHOD_*` do.
//!
//! Why the version tag is enough: it identifies one type in one state (CPython
//! gives a modified type, or one whose base changed, a new tag and never
//! reuses one), so everything the lookup relied on (no data descriptor of
//! that name, the default `__getattribute__`/`__setattr__`, the method in the
//! class dict, the place in the shared keys) still holds while it matches.
//! What belongs to the instance is guarded per instance: that it still has
//! inline values (no `__dict__` made from them) and that the value is there
//! (else the interpreter finds a class attribute or raises).
//!
//! Values read are borrowed from the instance, like list elements: a store
//! into an instance may free one, so the same rule holds (no slot may keep one
//! across a store). A store exits, changing nothing, unless the value it
//! replaces is a number or None (whose release runs no Python code).
//!
//! Rejected: caching the attribute's value itself as a constant (PyPy's
//! maps do, with an invalidation on every store; hotloop has no hook there).
//!
//! Cells (`LOAD_DEREF`/`STORE_DEREF` of a variable a nested function shares)
//! are read and written the same way, in the cell itself: the closure sees
//! each store at once, and a value read is borrowed from the cell.

use super::*;
use crate::ir::Elems;

/// Where a cell keeps its value (`PyCellObject.ob_ref`), in words from its
/// start; the runtime checks it at import.
pub const CELL_CONTENTS_WORD: i64 = 2;

impl Recorder {
    /// `LOAD_ATTR` of an instance attribute or a method the runtime placed.
    pub(super) fn instance_attribute(
        &mut self,
        owner: Ref,
        attr: InstanceAttr,
        snap: SnapId,
        frame: &dyn FrameView,
    ) -> Outcome<()> {
        self.guard_type_version(owner, attr.type_version, snap)?;
        match attr.place {
            AttrPlace::Value(_) | AttrPlace::Member(_) => {
                let (base, index) = self.attribute_place(owner, attr.place, snap)?;
                if let Some(stored) = self.deferred_value(base, index)? {
                    self.pop(frame)?;
                    self.push_checked(stored);
                    return Ok(());
                }
                let value = self.e.push(Inst::LoadElem(base, index, Elems::Array));
                // NULL: not set on this instance (a class attribute, or an
                // AttributeError, for the interpreter).
                self.guard(Inst::GuardNotNull(value, snap))?;
                self.pop(frame)?;
                self.push_checked(value);
            }
            AttrPlace::Method { function, shared_keys } => {
                if let Some(count) = shared_keys {
                    self.inline_values(owner, snap)?;
                    let ty = self.value(Inst::LoadField(owner, Field::ObType))?;
                    let keys = self.value(Inst::LoadField(ty, Field::CachedKeys))?;
                    let now = self.value(Inst::LoadField(keys, Field::KeysCount))?;
                    let then = self.e.const_i64(count as i64);
                    let unchanged = self.value(Inst::ICmp(Cmp::Eq, now, then))?;
                    self.guard(Inst::GuardTrue(unchanged, snap))?;
                }
                self.pop(frame)?;
                let method = self.value(Inst::ConstObj(function))?;
                self.kinds.insert(method, Observed::Other("function".into()));
                self.push(method);
                self.push(owner);
            }
        }
        Ok(())
    }

    /// `STORE_ATTR` of an instance attribute the runtime placed.
    pub(super) fn store_attr(&mut self, instr: &Instr, frame: &dyn FrameView) -> Outcome<()> {
        let (owner_slot, value_slot) = (self.stack_slot(1), self.stack_slot(2));
        let (owner, value) = (self.read(owner_slot, frame), self.read(value_slot, frame));
        let snap = self.snapshot(instr.start);
        let Some(attr) = frame.attribute(owner_slot, instr.arg, AttrAccess::Store) else {
            return Err(self.unsupported(instr, &[owner]));
        };
        self.guard_type_version(owner, attr.type_version, snap)?;
        let (base, index) = self.attribute_place(owner, attr.place, snap)?;
        if self.defer_store(base, index, value, || frame.attribute_value(owner_slot, attr.place))? {
            return self.stored_later(frame);
        }
        self.store(Inst::StoreElem(base, index, value, snap), frame, 2)
    }

    /// `LOAD_DEREF`: the value in the cell in frame slot `instr.arg`; an
    /// empty cell leaves the trace (the interpreter raises `NameError`).
    pub(super) fn load_deref(&mut self, instr: &Instr, frame: &dyn FrameView) -> Outcome<()> {
        let (cell, snap) = self.cell(instr, frame)?;
        let word = self.e.const_i64(CELL_CONTENTS_WORD);
        let value = self.e.push(Inst::LoadElem(cell, word, Elems::Array));
        self.guard(Inst::GuardNotNull(value, snap))?;
        self.push_checked(value);
        Ok(())
    }

    /// `STORE_DEREF`: the top of the stack into the cell in slot `instr.arg`.
    pub(super) fn store_deref(&mut self, instr: &Instr, frame: &dyn FrameView) -> Outcome<()> {
        let (cell, snap) = self.cell(instr, frame)?;
        let value = self.read(self.stack_slot(1), frame);
        let word = self.e.const_i64(CELL_CONTENTS_WORD);
        self.store(Inst::StoreElem(cell, word, value, snap), frame, 1)
    }

    /// The cell in the frame slot `instr.arg` names, guarded to be one.
    fn cell(&mut self, instr: &Instr, frame: &dyn FrameView) -> Outcome<(Ref, SnapId)> {
        if self.inlining() || self.in_generator() {
            return Err(AbortReason::NotYetImplemented("a cell of an inlined call or generator".into()));
        }
        let cell = self.read(Slot(instr.arg), frame);
        let snap = self.snapshot(instr.start);
        self.guard(Inst::GuardType(cell, PyType::Cell, snap))?;
        Ok((cell, snap))
    }

    /// Exit unless `obj`'s type has version tag `version`.
    fn guard_type_version(&mut self, obj: Ref, version: u32, snap: SnapId) -> Outcome<()> {
        if self.e.ty(obj) != Ty::Obj {
            return Err(AbortReason::NotYetImplemented("attribute of an unboxed value".into()));
        }
        let ty = self.value(Inst::LoadField(obj, Field::ObType))?;
        let tag = self.value(Inst::LoadField(ty, Field::TypeVersion))?;
        let expected = self.e.const_i64(version as i64);
        let same = self.value(Inst::ICmp(Cmp::Eq, tag, expected))?;
        self.guard(Inst::GuardTrue(same, snap))
    }

    /// The address of `obj`'s inline values array, guarded to exist.
    fn inline_values(&mut self, obj: Ref, snap: SnapId) -> Outcome<Ref> {
        let word = self.value(Inst::LoadField(obj, Field::InstanceValues))?;
        let one = self.e.const_i64(1);
        let tag = self.value(Inst::IAnd(word, one))?;
        let tagged = self.value(Inst::ICmp(Cmp::Eq, tag, one))?;
        self.guard(Inst::GuardTrue(tagged, snap))?;
        // The word is the array's address minus one (never near i64::MAX).
        self.value(Inst::IAddOv(word, one, snap))
    }

    /// The array base and element index where `place` is, for `obj`.
    fn attribute_place(&mut self, obj: Ref, place: AttrPlace, snap: SnapId) -> Outcome<(Ref, Ref)> {
        match place {
            AttrPlace::Value(index) => {
                let values = self.inline_values(obj, snap)?;
                Ok((values, self.e.const_i64(index as i64)))
            }
            AttrPlace::Member(offset) => Ok((obj, self.e.const_i64(offset as i64 / 8))),
            AttrPlace::Method { .. } => Err(AbortReason::NotYetImplemented("store to a method's name".into())),
        }
    }
}
