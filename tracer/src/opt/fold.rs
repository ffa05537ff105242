//! Fold and CSE on the fly.
//!
//! What: every instruction the recorder (and loop peeling) emits passes through
//! `Emitter::emit`, which folds it when its operands are constants (the table
//! of `rules`) or its outcome is already known (`types`, `bounds`, `memory`),
//! and returns an earlier identical instruction instead of emitting a
//! duplicate (common-subexpression elimination).
//!
//! Why on the fly: as in LuaJIT's FOLD and yk's "optimise as we go", most of the
//! trace never exists in its naive form, so later passes have less to look at, and
//! loop peeling gets loop-invariant code motion for free (an instruction of the
//! body whose operands are all invariant is commoned with its pre-roll twin).
//!
//! CSE covers pure instructions and guards; a guard identical to an earlier one is
//! redundant because the earlier one already passed. Loads are commoned while
//! nothing may have written their location (`memory`), so a loop without a
//! `generic` instruction checks an object's type once, in the pre-roll.
//! Rejected: a separate GVN pass after recording (Cranelift's e-graph already does
//! generic GVN on the machine level; what it cannot know is Python semantics).

use crate::ir::{Elems, Inst, Ref, SnapId, Trace, Ty};
use crate::opt::bounds::{Bounds, Condition};
use crate::opt::memory::{self, Versions, Write, Written};
use crate::opt::rules::{self, Folded, Operand};
use crate::opt::{self, Pass};
use hashbrown::HashMap;

/// The result of emitting one instruction.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Emitted {
    /// The value (new, commoned or folded).
    Value(Ref),
    /// A guard or check that is known to pass: nothing was emitted.
    Nothing,
    /// A guard known to fail on every run: the trace cannot continue past it.
    AlwaysExits,
}

pub struct Emitter {
    pub trace: Trace,
    pub(super) cse: HashMap<Inst, Ref>,
    /// Loads by instruction and the version of the location they read.
    loads: HashMap<(Inst, u32), Ref>,
    /// Elements a store gave a number: the load's key (as in `loads`) -> the
    /// unboxed value stored.
    stored: HashMap<(Inst, u32), Ref>,
    /// Loads of such elements -> the number they hold.
    forwarded: HashMap<Ref, Ref>,
    pub memory: Versions,
    bounds: Bounds,
    /// The instruction this emitter appended last (`types` merges a guard
    /// into it).
    pub(super) last_pushed: Option<Ref>,
    /// The address of `None` (`Recording::none`; 0 if unknown), for `is None`
    /// on numbers (`types`).
    pub none: u64,
}

impl Emitter {
    pub fn new(trace: Trace) -> Emitter {
        let all: Vec<Ref> = trace.refs().collect();
        Emitter::new_reusing(trace, &all)
    }

    /// An emitter that may reuse only the instructions `dominating` (in order:
    /// those that run before a side block on its path).
    pub fn new_reusing(trace: Trace, dominating: &[Ref]) -> Emitter {
        // Past the loop marker, a load may see any write of the loop's last
        // iteration, side blocks included.
        let mut back_edge = Written::default();
        back_edge.add(Write::Memory);
        if trace.insts.iter().any(|i| matches!(i, Inst::Generic(..))) {
            back_edge.add(Write::Everything);
        }
        let mut e = Emitter {
            trace,
            cse: HashMap::new(),
            loads: HashMap::new(),
            stored: HashMap::new(),
            forwarded: HashMap::new(),
            memory: Versions::default(),
            bounds: Bounds::default(),
            last_pushed: None,
            none: 0,
        };
        for &r in dominating {
            let inst = *e.trace.inst(r);
            if matches!(inst, Inst::Loop) {
                e.memory.clobber(&back_edge);
            }
            if is_commonable(&inst) {
                e.cse.entry(cse_key(inst)).or_insert(r);
            }
            e.learn_from_guard(&inst, r);
            e.track_memory(&inst, r);
        }
        e
    }

    pub fn emit(&mut self, inst: Inst) -> Emitted {
        let inst = match self.bounds.no_overflow(&inst, |r| self.int(r)) {
            Some(plain) if opt::enabled(Pass::Bounds) => plain,
            _ => inst,
        };
        if let Some(folded) = self.fold(&inst) {
            return folded;
        }
        if memory::reads(&inst).is_some() {
            let key = (cse_key(inst), self.load_version(&inst));
            match self.loads.get(&key) {
                Some(&r) if opt::enabled(Pass::LoadForwarding) => return Emitted::Value(r),
                _ => return Emitted::Value(self.push(inst)),
            }
        }
        let implied = guarded(&inst).and_then(|(cond, holds)| self.condition(cond, holds));
        if implied.is_some_and(|c| self.bounds.implies(&c)) && opt::enabled(Pass::Bounds) {
            return Emitted::Nothing;
        }
        if is_commonable(&inst) {
            if let Some(&r) = self.cse.get(&cse_key(inst)) {
                return if inst.is_guard() { Emitted::Nothing } else { Emitted::Value(r) };
            }
        }
        let r = self.push(inst);
        if is_commonable(&inst) {
            self.cse.insert(cse_key(inst), r);
        }
        self.learn_from_guard(&inst, r);
        Emitted::Value(r)
    }

    /// What the passing guard `r` (`inst`) teaches about integer bounds: of
    /// a value compared with a constant, or of two values compared.
    fn learn_from_guard(&mut self, inst: &Inst, r: Ref) {
        let Some((cond, holds)) = guarded(inst) else { return };
        if let Some(condition) = self.condition(cond, holds) {
            self.bounds.learn(&condition, r);
        } else if let Inst::ICmp(_, a, b) = *self.trace.inst(cond) {
            if self.int(a).is_none() && self.int(b).is_none() {
                self.bounds.learn_order(self.trace.inst(cond), holds, r);
            }
        }
    }

    /// What a guard on `cond` checks, if that is an integer comparison with
    /// a constant.
    fn condition(&self, cond: Ref, holds: bool) -> Option<Condition> {
        Condition::of(self.trace.inst(cond), holds, |r| self.int(r))
    }

    /// Forget everything emitted from instruction `len` and snapshot `snaps` on.
    pub fn truncate(&mut self, len: usize, snaps: usize) {
        self.trace.insts.truncate(len);
        self.trace.snaps.truncate(snaps);
        self.cse.retain(|_, r| r.index() < len);
        self.loads.retain(|_, r| r.index() < len);
        self.stored.retain(|_, r| r.index() < len);
        self.forwarded.retain(|r, v| r.index() < len && v.index() < len);
        self.bounds.forget_from(len);
        self.last_pushed = None;
    }

    /// Append a guard and the value it makes safe to compute, unfolded.
    pub fn push_guarded(&mut self, guard: Inst, value: Inst) -> Ref {
        self.push(guard);
        self.push(value)
    }

    /// Append without folding (for `loop` and `phi`). A load appended is
    /// still one later loads may be commoned with.
    pub fn push(&mut self, inst: Inst) -> Ref {
        self.trace.insts.push(inst);
        let r = Ref(self.trace.insts.len() as u32 - 1);
        self.track_memory(&inst, r);
        self.last_pushed = Some(r);
        r
    }

    /// What the instruction `r` reads and writes (see `memory`): a load is
    /// one later loads may be commoned with, and knows the number a store
    /// put in its element; a write bumps the versions of what it may hit; a
    /// store of a number into an element is remembered for the loads after.
    fn track_memory(&mut self, inst: &Inst, r: Ref) {
        if memory::reads(inst).is_some() {
            let key = (cse_key(*inst), self.load_version(inst));
            self.loads.entry(key).or_insert(r);
            if let Some(&number) = self.stored.get(&key) {
                self.forwarded.insert(r, number);
            }
        }
        self.note_writes(inst);
        if let Inst::StoreElem(base, index, value, _) = *inst {
            if matches!(self.ty(value), Ty::I64 | Ty::F64) {
                let load = Inst::LoadElem(base, index, Elems::Array);
                self.stored.insert((load, self.load_version(&load)), value);
            }
        }
    }

    /// The number the object `x` is known to be, stored by the trace into
    /// the element it was loaded from.
    pub(super) fn forwarded_number(&self, x: Ref) -> Option<Ref> {
        self.forwarded.get(&x).copied().filter(|_| opt::enabled(Pass::LoadForwarding))
    }

    /// The version of what the load `inst` reads (see `memory`).
    fn load_version(&self, inst: &Inst) -> u32 {
        match *inst {
            Inst::LoadElem(base, index, Elems::Array) => self.memory.element_version(base, self.int(index)),
            _ => memory::reads(inst).map_or(0, |location| self.memory.version(location)),
        }
    }

    fn note_writes(&mut self, inst: &Inst) {
        let write = match *inst {
            Inst::Release(x) if self.frees_quietly(x) => Write::Nothing,
            Inst::StoreElem(base, index, ..) => Write::Element(base, self.int(index)),
            _ => memory::writes(inst),
        };
        self.memory.apply(write);
    }

    /// Whether releasing `x` cannot run code: it is of a type whose objects
    /// hold nothing, as made or as guarded on the way here.
    fn frees_quietly(&self, x: Ref) -> bool {
        let guarded = |ty| self.cse.contains_key(&Inst::GuardType(x, ty, SnapId(0)));
        self.ty(x) != Ty::Obj
            || self.trace.inst(x).made_type().is_some_and(|ty| memory::FREED_QUIETLY.contains(&ty))
            || memory::FREED_QUIETLY.into_iter().any(guarded)
    }

    pub fn const_i64(&mut self, v: i64) -> Ref {
        self.constant(Inst::ConstI64(v))
    }

    pub fn const_f64(&mut self, v: f64) -> Ref {
        self.constant(Inst::ConstF64(v.to_bits()))
    }

    pub fn const_bool(&mut self, v: bool) -> Ref {
        self.constant(Inst::ConstBool(v))
    }

    pub fn null(&mut self) -> Ref {
        self.constant(Inst::Null)
    }

    fn constant(&mut self, inst: Inst) -> Ref {
        match self.emit(inst) {
            Emitted::Value(r) => r,
            other => unreachable!("constants always define a value, got {other:?}"),
        }
    }

    fn int(&self, r: Ref) -> Option<i64> {
        match *self.trace.inst(r) {
            Inst::ConstI64(v) => Some(v),
            _ => None,
        }
    }

    /// Known outcomes and constant folding. `None`: emit as is.
    fn fold(&mut self, inst: &Inst) -> Option<Emitted> {
        if let Some(known) = self.fold_by_type(inst) {
            return Some(known);
        }
        if self.number_is_none(inst) {
            return Some(Emitted::Value(self.const_bool(false)));
        }
        if let Some(merged) = self.merge_into_null_check(inst) {
            return Some(merged);
        }
        let operands: Vec<Operand> = inst.operands().as_slice().iter().take(2).map(|&r| self.operand(r)).collect();
        Some(match rules::fold(inst, &operands)? {
            Folded::Int(v) => Emitted::Value(self.const_i64(v)),
            Folded::Float(v) => Emitted::Value(self.const_f64(v)),
            Folded::Bool(v) => Emitted::Value(self.const_bool(v)),
            Folded::Passes => Emitted::Nothing,
            Folded::Fails => Emitted::AlwaysExits,
        })
    }

    /// `r` as the folding rules see it.
    fn operand(&self, r: Ref) -> Operand {
        match *self.trace.inst(r) {
            Inst::ConstI64(v) => Operand::Int(v),
            Inst::ConstF64(bits) => Operand::Float(f64::from_bits(bits)),
            Inst::ConstBool(v) => Operand::Bool(v),
            Inst::ConstObj(p) => Operand::Obj(p, self.trace.boxed_numbers.get(&p).copied()),
            Inst::Null => Operand::Null,
            _ => Operand::Other,
        }
    }

    pub fn ty(&self, r: Ref) -> Ty {
        self.trace.ty(r)
    }
}

/// The condition a `guard_true`/`guard_false` checks, and the outcome it wants.
fn guarded(inst: &Inst) -> Option<(Ref, bool)> {
    match *inst {
        Inst::GuardTrue(c, _) => Some((c, true)),
        Inst::GuardFalse(c, _) => Some((c, false)),
        _ => None,
    }
}

fn is_commonable(inst: &Inst) -> bool {
    inst.is_pure() || inst.is_guard()
}

/// Two instructions that differ only in their snapshot compute the same thing.
pub(super) fn cse_key(mut inst: Inst) -> Inst {
    inst.set_snap(SnapId(0));
    inst
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{parse_trace, Cmp, PyType};

    fn emitter(text: &str) -> Emitter {
        Emitter::new(parse_trace(text).expect("valid trace"))
    }

    #[test]
    fn folds_constant_arithmetic_but_not_overflow() {
        let mut e = emitter(
            "trace header=0 depth=0 nlocalsplus=1\n%0 const 9223372036854775807\n%1 const 1\n#0 pc=0 depth=0 []",
        );
        let sum = e.emit(Inst::IAddOv(Ref(1), Ref(1), SnapId(0)));
        assert_eq!(sum, Emitted::Value(Ref(2)));
        assert_eq!(*e.trace.inst(Ref(2)), Inst::ConstI64(2));
        let overflow = e.emit(Inst::IAddOv(Ref(0), Ref(1), SnapId(0)));
        assert_eq!(overflow, Emitted::Value(Ref(3)));
        assert!(matches!(e.trace.inst(Ref(3)), Inst::IAddOv(..)), "overflowing add stays a checked add");
        // The wrapping add folds to what the machine (and CPython's -fwrapv C) gives.
        let wrapped = e.emit(Inst::IAdd(Ref(0), Ref(1)));
        assert_eq!(wrapped, Emitted::Value(Ref(4)));
        assert_eq!(*e.trace.inst(Ref(4)), Inst::ConstI64(i64::MIN));
    }

    #[test]
    fn commons_pure_instructions_and_repeated_guards() {
        let mut e = emitter(
            "trace header=0 depth=0 nlocalsplus=2\n%0 load_slot s0\n%1 guard_type %0 float #0\n%2 unbox_float %0\n#0 pc=0 depth=0 []\n#1 pc=4 depth=0 []",
        );
        assert_eq!(e.emit(Inst::GuardType(Ref(0), PyType::Float, SnapId(1))), Emitted::Nothing);
        assert_eq!(e.emit(Inst::UnboxFloat(Ref(0))), Emitted::Value(Ref(2)));
        let product = e.emit(Inst::FMul(Ref(2), Ref(2)));
        assert_eq!(e.emit(Inst::FMul(Ref(2), Ref(2))), product);
        assert_eq!(e.trace.insts.len(), 4);
    }

    #[test]
    fn loads_are_commoned_until_something_may_write_them() {
        use crate::ir::{Field, OpOut};
        let mut e = emitter("trace header=0 depth=0 nlocalsplus=1\n%0 load_slot s0\n%1 const 0\n#0 pc=0 depth=0 []");
        let load = |e: &mut Emitter, field| e.emit(Inst::LoadField(Ref(0), field));
        let ty = load(&mut e, Field::ObType);
        assert_eq!(load(&mut e, Field::ObType), ty, "no Python code ran in between");
        let size = load(&mut e, Field::SeqSize);
        e.push(Inst::StoreElem(Ref(0), Ref(1), Ref(1), SnapId(0)));
        assert_eq!(load(&mut e, Field::SeqSize), size, "a store of an element leaves the size");
        e.push(Inst::ListAppend(Ref(0), Ref(1), SnapId(0)));
        assert_ne!(load(&mut e, Field::SeqSize), size, "an append changes it");
        assert_eq!(load(&mut e, Field::ObType), ty, "but not a type");
        e.push(Inst::Generic(OpOut::Obj, SnapId(0)));
        assert_ne!(load(&mut e, Field::ObType), ty, "a generic instruction may assign `__class__`");
    }

    #[test]
    fn known_guards_vanish_or_always_exit() {
        let mut e = emitter("trace header=0 depth=0 nlocalsplus=1\n%0 bconst true\n#0 pc=0 depth=0 []");
        assert_eq!(e.emit(Inst::GuardTrue(Ref(0), SnapId(0))), Emitted::Nothing);
        assert_eq!(e.emit(Inst::GuardFalse(Ref(0), SnapId(0))), Emitted::AlwaysExits);
    }

    #[test]
    fn type_guards_on_unboxed_values_are_decided() {
        let mut e = emitter("trace header=0 depth=0 nlocalsplus=1\n%0 const 3\n%1 null\n#0 pc=0 depth=0 []");
        assert_eq!(e.emit(Inst::GuardType(Ref(0), PyType::Int, SnapId(0))), Emitted::Nothing);
        assert_eq!(e.emit(Inst::GuardType(Ref(0), PyType::Float, SnapId(0))), Emitted::AlwaysExits);
        assert_eq!(e.emit(Inst::UnboxInt(Ref(0), SnapId(0))), Emitted::Value(Ref(0)));
        assert_eq!(e.emit(Inst::GuardNotNull(Ref(1), SnapId(0))), Emitted::AlwaysExits);
        assert_eq!(e.emit(Inst::GuardNotNull(Ref(0), SnapId(0))), Emitted::Nothing, "an int is never NULL");
    }

    #[test]
    fn float_folding_keeps_ieee_semantics() {
        let mut e = emitter("trace header=0 depth=0 nlocalsplus=1\n%0 fconst nan\n%1 fconst -0.0\n#0 pc=0 depth=0 []");
        let ne = e.emit(Inst::FCmp(Cmp::Ne, Ref(0), Ref(0)));
        let Emitted::Value(r) = ne else { panic!() };
        assert_eq!(*e.trace.inst(r), Inst::ConstBool(true), "nan != nan");
        let Emitted::Value(neg) = e.emit(Inst::FNeg(Ref(1))) else { panic!() };
        assert_eq!(*e.trace.inst(neg), Inst::ConstF64(0.0f64.to_bits()), "-(-0.0) is +0.0");
    }
}
