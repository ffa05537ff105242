//! Recording operations on exact strs: `+`, slicing, `in`, comparisons and
//! `str()` of an int. Each new string is an object the trace makes and owns
//! (see `opt::own`); the operations run no Python code, so no frame state needs
//! writing before them.

use super::*;

impl Recorder {
    /// `BINARY_OP` of two strs: `+` (and `+=`); other operators are generic.
    pub(super) fn str_binary(&mut self, instr: &Instr, frame: &dyn FrameView, a: Ref, b: Ref) -> Outcome<()> {
        if BinOp::from_oparg(instr.arg) != Some(BinOp::Add) {
            return Err(self.unsupported(instr, &[a, b]));
        }
        let snap = self.snapshot(instr.start);
        self.guard_strs(&[a, b], snap)?;
        let joined = self.make(Inst::StrConcat(a, b, snap))?;
        self.pop(frame)?;
        self.pop(frame)?;
        self.push_checked(joined);
        Ok(())
    }

    /// Whether the two values on top of the stack are strs.
    pub(super) fn top_two_are_strs(&self, frame: &dyn FrameView) -> bool {
        [self.stack_slot(2), self.stack_slot(1)].iter().all(|&s| frame.observe(s) == Observed::Str)
    }

    fn guard_strs(&mut self, values: &[Ref], snap: SnapId) -> Outcome<()> {
        values.iter().try_for_each(|&v| self.guard(Inst::GuardType(v, PyType::Str, snap)))
    }

    /// `COMPARE_OP` of two strs.
    pub(super) fn str_compare(&mut self, cmp: Cmp, a: Ref, b: Ref, snap: SnapId) -> Outcome<Ref> {
        self.guard_strs(&[a, b], snap)?;
        self.value(Inst::StrCmp(cmp, a, b))
    }

    /// `CONTAINS_OP` of a str in a str (`not in` for arg 1).
    pub(super) fn str_contains(&mut self, instr: &Instr, frame: &dyn FrameView, needle: Ref, hay: Ref) -> Outcome<()> {
        let snap = self.snapshot(instr.start);
        self.guard_strs(&[needle, hay], snap)?;
        let found = self.value(Inst::StrContains(needle, hay))?;
        let answer = if instr.arg == 1 { self.value(Inst::BNot(found))? } else { found };
        self.pop(frame)?;
        self.pop(frame)?;
        self.push_checked(answer);
        Ok(())
    }

    /// `BINARY_SLICE` (`s[start:stop]`) of a str or list by ints or None.
    pub(super) fn slice(&mut self, instr: &Instr, frame: &dyn FrameView) -> Outcome<()> {
        let (s_slot, start_slot, stop_slot) = (self.stack_slot(3), self.stack_slot(2), self.stack_slot(1));
        let s = self.read(s_slot, frame);
        let (start, stop) = (self.read(start_slot, frame), self.read(stop_slot, frame));
        let ty = match frame.observe(s_slot) {
            Observed::Str => PyType::Str,
            Observed::List => PyType::List,
            _ => return Err(self.unsupported(instr, &[s, start, stop])),
        };
        let snap = self.snapshot(instr.start);
        self.guard(Inst::GuardType(s, ty, snap))?;
        let start_seen = frame.observe(start_slot);
        let stop_seen = frame.observe(stop_slot);
        let (Some(start), Some(stop)) =
            (self.slice_bound(start, &start_seen, 0, snap)?, self.slice_bound(stop, &stop_seen, i64::MAX, snap)?)
        else {
            return Err(self.unsupported(instr, &[s, start, stop]));
        };
        let part = self.make(Inst::Slice(ty, s, start, stop, snap))?;
        for _ in 0..3 {
            self.pop(frame)?;
        }
        self.push_checked(part);
        Ok(())
    }

    /// A slice bound as an i64: an int, or `absent` for None.
    fn slice_bound(&mut self, v: Ref, seen: &Observed, absent: i64, snap: SnapId) -> Outcome<Option<Ref>> {
        match seen {
            Observed::None => {
                let none = self.none_const()?;
                let is_none = self.value(Inst::ObjIs(v, none))?;
                self.guard(Inst::GuardTrue(is_none, snap))?;
                Ok(Some(self.e.const_i64(absent)))
            }
            Observed::Int(_) => match self.number(v, snap)? {
                Some(Num::Int(i)) => Ok(Some(i)),
                _ => Ok(None),
            },
            _ => Ok(None),
        }
    }

    /// `FORMAT_VALUE` (an f-string's `{x}` or `{x!s}`) of an int or a str,
    /// without a format spec.
    pub(super) fn format_value(&mut self, instr: &Instr, frame: &dyn FrameView) -> Outcome<()> {
        let (conversion, has_spec) = (instr.arg & 3, instr.arg & 4 != 0);
        let slot = self.stack_slot(1);
        let x = self.read(slot, frame);
        if has_spec || conversion > 1 {
            return Err(self.unsupported(instr, &[x]));
        }
        let snap = self.snapshot(instr.start);
        let Some(text) = self.str_of(x, &frame.observe(slot), snap)? else {
            return Err(self.unsupported(instr, &[x]));
        };
        self.pop(frame)?;
        self.push_checked(text);
        Ok(())
    }

    /// `BUILD_STRING` (an f-string's pieces, all strs): joined two at a time.
    pub(super) fn build_string(&mut self, instr: &Instr, frame: &dyn FrameView) -> Outcome<()> {
        let pieces: Vec<Ref> = (1..=instr.arg).rev().map(|k| self.read(self.stack_slot(k), frame)).collect();
        if pieces.len() < 2 {
            return Err(self.unsupported(instr, &pieces));
        }
        let snap = self.snapshot(instr.start);
        self.guard_strs(&pieces, snap)?;
        let mut joined = pieces[0];
        for &piece in &pieces[1..] {
            joined = self.make(Inst::StrConcat(joined, piece, snap))?;
        }
        for _ in 0..instr.arg {
            self.pop(frame)?;
        }
        self.push_checked(joined);
        Ok(())
    }

    /// `str(x)` of an int or a str.
    pub(super) fn str_of(&mut self, x: Ref, seen: &Observed, snap: SnapId) -> Outcome<Option<Ref>> {
        match seen {
            Observed::Str => {
                self.guard(Inst::GuardType(x, PyType::Str, snap))?;
                Ok(Some(x))
            }
            Observed::Int(_) => match self.number(x, snap)? {
                Some(Num::Int(i)) => Ok(Some(self.make(Inst::IntToStr(i, snap))?)),
                _ => Ok(None),
            },
            _ => Ok(None),
        }
    }
}
