//! Recording sets: `k in s`, `s.add(k)`, a set comprehension's `SET_ADD` and
//! `len(s)`, for an exact set and a key that is an int or an exact str; and
//! `k in seq` for an exact list or tuple and such a key.
//!
//! What and why: as for dicts (see `record_dicts`), the runtime's helpers
//! probe the set's table the way CPython does and compare keys only where no
//! Python code can run (ints, floats, bools and strs); meeting any other stored
//! key of equal hash, they give up before anything happened and the trace
//! leaves for the interpreter. An add stores a new int key only when it is
//! one of CPython's cached small ints (the set then holds the object CPython
//! would); it never releases anything, so elements read before stay alive.

use super::*;

impl Recorder {
    fn guarded_set(&mut self, set: Ref, snap: SnapId) -> Outcome<bool> {
        if self.kinds.get(&set) != Some(&Observed::Set) {
            return Ok(false);
        }
        self.guard(Inst::GuardType(set, PyType::Set, snap))?;
        Ok(true)
    }

    /// `CONTAINS_OP` on a set, list or tuple (`not in` for arg 1); `None`
    /// when the operands are not one of those and a key the helpers take.
    /// A list or tuple is searched in order, comparing as CPython does: the
    /// helper leaves at the first item it cannot compare without Python code.
    pub(super) fn member_contains(
        &mut self,
        instr: &Instr,
        key: Ref,
        container: Ref,
        snap: SnapId,
    ) -> Outcome<Option<Ref>> {
        let ty = match self.kinds.get(&container) {
            Some(Observed::Set) => PyType::Set,
            Some(Observed::List) => PyType::List,
            Some(Observed::Tuple) => PyType::Tuple,
            _ => return Ok(None),
        };
        self.guard(Inst::GuardType(container, ty, snap))?;
        let Some(key) = self.dict_key(key, snap)? else {
            return Ok(None);
        };
        let found = self.e.push(Inst::Contains(ty, container, key, snap));
        Ok(Some(if instr.arg == 1 { self.value(Inst::BNot(found))? } else { found }))
    }

    /// `set.add(key)`: whether it was recorded.
    pub(super) fn set_add(&mut self, set: Ref, key: Ref, snap: SnapId) -> Outcome<bool> {
        if !self.guarded_set(set, snap)? {
            return Ok(false);
        }
        let Some(key) = self.dict_key(key, snap)? else {
            return Ok(false);
        };
        self.e.push(Inst::SetAdd(set, key, snap));
        Ok(true)
    }

    /// `SET_ADD` of a set comprehension: the top value into the set below the
    /// iterator.
    pub(super) fn comprehension_set_add(&mut self, instr: &Instr, frame: &dyn FrameView) -> Outcome<()> {
        let (set, key) = (self.read(self.stack_slot(instr.arg + 1), frame), self.read(self.stack_slot(1), frame));
        let snap = self.snapshot(instr.start);
        if !self.set_add(set, key, snap)? {
            return Err(self.unsupported(instr, &[set, key]));
        }
        self.pop(frame)?;
        Ok(())
    }
}
