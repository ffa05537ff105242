//! Type propagation: guards whose outcome the trace already knows.
//!
//! What: while emitting (as part of `fold`), a type guard, a NULL check or an
//! unboxing is answered from what the trace knows of its operand: a value it
//! computed unboxed has exactly the Python type of its machine type (a guard
//! that it is a float passes, that it is an int always fails, its unboxing is
//! the value itself); an object it made has the type it made and exists; an
//! element it stored a number into holds that number (`memory`). A guard
//! identical to one that passed is dropped by CSE, one on an integer bound
//! by `bounds`. And a weaker guard merges into the stronger one right after
//! it: a NULL check followed by a type check of the same value (a type check
//! fails on NULL too) becomes that type check, at the NULL check's snapshot.
//! Leaving at the earlier snapshot is exact: nothing ran in between.
//! And `x is None` on a number the trace holds unboxed is false: peeling and
//! bridges put such a number where the recording read the slot's object
//! (`best = None` before the loop, `if best is None or d < best: best = d`).
//!
//! Why: after peeling, the body re-emits every guard of the recorded
//! iteration on values the trace now holds unboxed, and attribute and element
//! loads are each checked for NULL and then for their type.
//!
//! Rejected: merging guards that are not adjacent (the earlier snapshot would
//! stand for instructions run in between, and bridges are named by it);
//! type facts that survive Python code for types whose instances may change
//! class (the types guarded here are builtins, whose instances cannot).

use crate::ir::{Inst, PyType, Ref, Ty};
use crate::opt::fold::{cse_key, Emitted, Emitter};

impl Emitter {
    /// Guards and unboxing on a value whose IR type already answers them: a value
    /// the trace computed unboxed has exactly the Python type of its machine type.
    pub(super) fn fold_by_type(&self, inst: &Inst) -> Option<Emitted> {
        use Inst::*;
        let known = |x: Ref, want: Ty| match self.ty(x) {
            Ty::Obj => None,
            ty if ty == want => Some(Emitted::Nothing),
            _ => Some(Emitted::AlwaysExits),
        };
        // An object the trace made has the type it was made with, and exists.
        let made = |x: Ref| self.trace.inst(x).made_type();
        let number = |x: Ref, want: Ty| {
            let n = self.forwarded_number(x)?;
            Some(if self.ty(n) == want { Emitted::Value(n) } else { Emitted::AlwaysExits })
        };
        let number_type = |ty: PyType| match ty {
            PyType::Int => Ty::I64,
            PyType::Float => Ty::F64,
            _ => Ty::Void,
        };
        match *inst {
            GuardNotNull(x, _) if self.forwarded_number(x).is_some() => Some(Emitted::Nothing),
            GuardType(x, ty, _) if self.forwarded_number(x).is_some() => {
                number(x, number_type(ty)).map(|known| match known {
                    Emitted::Value(_) => Emitted::Nothing,
                    other => other,
                })
            }
            UnboxInt(x, _) if self.forwarded_number(x).is_some() => number(x, Ty::I64),
            UnboxFloat(x) if self.forwarded_number(x).is_some() => number(x, Ty::F64),
            GuardType(x, ty, _) if made(x).is_some() => {
                Some(if made(x) == Some(ty) { Emitted::Nothing } else { Emitted::AlwaysExits })
            }
            GuardNotNull(x, _) if made(x).is_some() => Some(Emitted::Nothing),
            GuardType(x, PyType::Int, _) => known(x, Ty::I64),
            GuardType(x, PyType::Float, _) => known(x, Ty::F64),
            GuardType(x, PyType::Bool, _) => known(x, Ty::Bool),
            GuardType(x, _, _) => known(x, Ty::Obj),
            GuardNotNull(x, _) => match self.trace.inst(x) {
                Inst::Null => Some(Emitted::AlwaysExits),
                // Constants and unboxed values are never NULL.
                Inst::ConstObj(_) => Some(Emitted::Nothing),
                _ if self.ty(x) != Ty::Obj => Some(Emitted::Nothing),
                _ => None,
            },
            UnboxInt(x, _) | UnboxFloat(x) | UnboxBool(x) if self.ty(x) != Ty::Obj => Some(Emitted::Value(x)),
            _ => None,
        }
    }

    /// Whether `inst` is `x is None` (either way round) on a number `x` the
    /// trace holds unboxed: never true, as an int, float or bool is no None.
    pub(super) fn number_is_none(&self, inst: &Inst) -> bool {
        let Inst::ObjIs(a, b) = *inst else { return false };
        let none = |r: Ref| self.none != 0 && *self.trace.inst(r) == Inst::ConstObj(self.none);
        let number = |r: Ref| self.ty(r) != Ty::Obj;
        (number(a) && none(b)) || (number(b) && none(a))
    }

    /// A type guard right after a NULL check of the same value: the NULL
    /// check becomes the type guard (with its own snapshot), and nothing more
    /// is emitted.
    pub(super) fn merge_into_null_check(&mut self, inst: &Inst) -> Option<Emitted> {
        let Inst::GuardType(x, ty, _) = *inst else { return None };
        let last = self.last_pushed?;
        let Inst::GuardNotNull(checked, snap) = *self.trace.inst(last) else { return None };
        if checked != x {
            return None;
        }
        let merged = Inst::GuardType(x, ty, snap);
        self.trace.insts[last.index()] = merged;
        self.cse.insert(cse_key(merged), last);
        Some(Emitted::Nothing)
    }
}

#[cfg(test)]
mod tests {
    use crate::ir::{parse_trace, Inst, PyType, Ref, SnapId};
    use crate::opt::fold::{Emitted, Emitter};

    fn emitter(text: &str) -> Emitter {
        Emitter::new(parse_trace(text).expect("valid trace"))
    }

    #[test]
    fn guards_on_unboxed_and_made_values_are_answered_by_their_type() {
        let mut e = emitter(
            "trace header=0 depth=0 nlocalsplus=1
            %0 f64 fconst 1.5
            %1 obj load_slot s0
            %2 obj str_concat %1 %1 #0
            #0 pc=0 depth=0 []",
        );
        assert_eq!(e.emit(Inst::GuardType(Ref(0), PyType::Float, SnapId(0))), Emitted::Nothing);
        assert_eq!(e.emit(Inst::GuardType(Ref(0), PyType::Int, SnapId(0))), Emitted::AlwaysExits);
        assert_eq!(e.emit(Inst::UnboxFloat(Ref(0))), Emitted::Value(Ref(0)));
        assert_eq!(e.emit(Inst::GuardType(Ref(2), PyType::Str, SnapId(0))), Emitted::Nothing);
        assert_eq!(e.emit(Inst::GuardNotNull(Ref(2), SnapId(0))), Emitted::Nothing);
        assert_eq!(e.emit(Inst::GuardType(Ref(2), PyType::List, SnapId(0))), Emitted::AlwaysExits);
        assert_eq!(e.trace.insts.len(), 3, "nothing emitted");
    }

    #[test]
    fn a_type_guard_right_after_a_null_check_of_its_value_takes_its_place() {
        let mut e = emitter(
            "trace header=0 depth=0 nlocalsplus=1
            %0 obj load_slot s0
            %1 i64 const 0
            %2 obj load_elem %0 %1 array
            #0 pc=0 depth=0 []
            #1 pc=4 depth=0 []",
        );
        assert_eq!(e.emit(Inst::GuardNotNull(Ref(2), SnapId(0))), Emitted::Value(Ref(3)));
        assert_eq!(e.emit(Inst::GuardType(Ref(2), PyType::Float, SnapId(1))), Emitted::Nothing);
        assert_eq!(*e.trace.inst(Ref(3)), Inst::GuardType(Ref(2), PyType::Float, SnapId(0)), "at the check's snapshot");
        assert_eq!(e.emit(Inst::GuardType(Ref(2), PyType::Float, SnapId(1))), Emitted::Nothing, "and known after");
        // Not across another instruction: that one would run after the exit.
        let mut e = emitter(
            "trace header=0 depth=0 nlocalsplus=1
            %0 obj load_slot s0
            %1 i64 const 0
            %2 obj load_elem %0 %1 array
            %3     guard_not_null %2 #0
            %4 obj load_elem %0 %1 array
            #0 pc=0 depth=0 []
            #1 pc=4 depth=0 []",
        );
        assert_eq!(e.emit(Inst::GuardType(Ref(2), PyType::Float, SnapId(1))), Emitted::Value(Ref(5)));
    }
}
