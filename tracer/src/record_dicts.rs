//! Recording dict reads and writes with int and str keys, `in` on dicts, and
//! indexing of strings.
//!
//! What: `d[k]`, `d[k] = v`, `k in d` and `d.get(k[, default])` on an exact
//! dict, for a key that is an int or an exact str, are compiled as calls of
//! runtime helpers that do the lookup themselves, the way CPython's dict does.
//!
//! Why not a generic instruction: a lookup can run Python code only when the
//! key meets a stored key of equal hash whose `__eq__` is a user's, and the
//! helpers see that coming. They probe the table as CPython does and compare
//! keys only where both are ints, floats, bools or strs; meeting any other
//! stored key they give up before anything happened, and the trace leaves to
//! the interpreter, which does the lookup itself (and runs that `__eq__`
//! with the frame as it should be). A store gives up the same way, and also
//! when the value it replaces is one whose release could run Python code, or
//! when the dict is watched (a namespace whose entries traces depend on).
//!
//! Values read are borrowed from the dict, like list elements (see
//! `is_element`). An int key read from the frame or a container goes to the
//! helpers as the object itself, which a new entry then stores, as CPython
//! does; a new key from an int the trace computed unboxed must be one of
//! CPython's cached small ints, so that the dict holds the object CPython
//! would; another leaves the store to the interpreter.
//!
//! Rejected: a pure-IR hash probe (PyPy inlines it); the helpers keep the dict
//! layout knowledge in `src/cpython/`, where every private layout lives.

use super::*;

impl Recorder {
    /// The key as the dict and set helpers take it: an exact str or int object
    /// (an int stored as a new key is then that very object), or an unboxed int.
    pub(super) fn dict_key(&mut self, key: Ref, snap: SnapId) -> Outcome<Option<Ref>> {
        if self.kinds.get(&key) == Some(&Observed::Str) {
            self.guard(Inst::GuardType(key, PyType::Str, snap))?;
            return Ok(Some(key));
        }
        if self.e.ty(key) == Ty::Obj && matches!(self.kinds.get(&key), Some(Observed::Int(_))) {
            self.guard(Inst::GuardType(key, PyType::Int, snap))?;
            return Ok(Some(key));
        }
        match self.number(key, snap)? {
            Some(Num::Int(i)) => Ok(Some(i)),
            // `True` finds `1`, but a stored key would be `1`, not `True`.
            _ => Ok(None),
        }
    }

    /// The value of `key` in `dict` (guarded an exact dict), or NULL.
    fn dict_lookup(&mut self, dict: Ref, key: Ref, snap: SnapId) -> Outcome<Option<Ref>> {
        if self.kinds.get(&dict) != Some(&Observed::Dict) {
            return Ok(None);
        }
        self.guard(Inst::GuardType(dict, PyType::Dict, snap))?;
        let Some(key) = self.dict_key(key, snap)? else {
            return Ok(None);
        };
        Ok(Some(self.e.push(Inst::DictGet(dict, key, snap))))
    }

    /// `BINARY_SUBSCR` of a dict: an absent key leaves the trace (the
    /// interpreter raises `KeyError`).
    pub(super) fn dict_subscript(
        &mut self,
        instr: &Instr,
        frame: &dyn FrameView,
        dict: Ref,
        key: Ref,
        snap: SnapId,
    ) -> Outcome<()> {
        let Some(value) = self.dict_lookup(dict, key, snap)? else {
            return Err(self.unsupported(instr, &[dict, key]));
        };
        self.guard(Inst::GuardNotNull(value, snap))?;
        self.pop(frame)?;
        self.pop(frame)?;
        self.push_checked(value);
        Ok(())
    }

    /// `d.get(key, default)`: the value, or `default` when absent.
    pub(super) fn dict_get_or(&mut self, dict: Ref, key: Ref, default: Ref, snap: SnapId) -> Outcome<Option<Ref>> {
        if self.e.ty(default) != Ty::Obj {
            return Ok(None);
        }
        let Some(value) = self.dict_lookup(dict, key, snap)? else {
            return Ok(None);
        };
        let absent = self.is_absent(value)?;
        Ok(Some(self.value(Inst::Select(absent, default, value))?))
    }

    /// Whether a `dict_get` found nothing.
    fn is_absent(&mut self, value: Ref) -> Outcome<Ref> {
        let null = self.e.null();
        self.value(Inst::ObjIs(value, null))
    }

    /// `STORE_SUBSCR` (3 operands) or `MAP_ADD` (2) into a dict.
    pub(super) fn dict_store(
        &mut self,
        instr: &Instr,
        frame: &dyn FrameView,
        (dict, key, value): (Ref, Ref, Ref),
        operands: u32,
        snap: SnapId,
    ) -> Outcome<()> {
        self.guard(Inst::GuardType(dict, PyType::Dict, snap))?;
        let Some(key) = self.dict_key(key, snap)? else {
            return Err(self.unsupported(instr, &[dict, key]));
        };
        self.store(Inst::DictSet(dict, key, value, snap), frame, operands)
    }

    /// `CONTAINS_OP` (`in`, or `not in` for arg 1) on a dict, set, list or
    /// tuple, or of a str in a str.
    pub(super) fn contains(&mut self, instr: &Instr, frame: &dyn FrameView) -> Outcome<()> {
        let (item, container) = (self.read(self.stack_slot(2), frame), self.read(self.stack_slot(1), frame));
        if self.top_two_are_strs(frame) {
            return self.str_contains(instr, frame, item, container);
        }
        let snap = self.snapshot(instr.start);
        if let Some(answer) = self.member_contains(instr, item, container, snap)? {
            self.pop(frame)?;
            self.pop(frame)?;
            self.push_checked(answer);
            return Ok(());
        }
        let Some(value) = self.dict_lookup(container, item, snap)? else {
            return Err(self.unsupported(instr, &[item, container]));
        };
        let absent = self.is_absent(value)?;
        let answer = if instr.arg == 1 { absent } else { self.value(Inst::BNot(absent))? };
        self.pop(frame)?;
        self.pop(frame)?;
        self.push_checked(answer);
        Ok(())
    }

    /// `BINARY_SUBSCR` of a str by an int: an index out of range leaves the
    /// trace (the interpreter raises `IndexError`).
    pub(super) fn str_subscript(
        &mut self,
        instr: &Instr,
        frame: &dyn FrameView,
        s: Ref,
        index: Ref,
        index_seen: &Observed,
        snap: SnapId,
    ) -> Outcome<()> {
        self.guard(Inst::GuardType(s, PyType::Str, snap))?;
        let length = self.value(Inst::LoadField(s, Field::StrLength))?;
        let Some(position) = self.position(index, index_seen, length, snap)? else {
            return Err(self.unsupported(instr, &[s, index]));
        };
        let c = self.e.push(Inst::StrChar(s, position, snap));
        self.pop(frame)?;
        self.pop(frame)?;
        self.push_checked(c);
        Ok(())
    }
}
