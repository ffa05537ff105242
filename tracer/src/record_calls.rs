//! Recording globals, module attributes and calls of the builtins and `math`
//! functions the recorder knows.
//!
//! A global or module attribute becomes a constant: the object the name held
//! while recording. The dict entries it came from go into the recording's
//! dependencies, and the runtime throws the trace away when one of them changes,
//! so the constant is never stale. Numbers read this way fold like literals.
//!
//! A call of a known builtin on numbers is compiled inline. Where CPython returns
//! one of the argument objects (`min`, `max`, `float` of a float, `int` of an int,
//! `abs` of a non-negative int, `math.floor` of an int), the trace returns that
//! same value, guarded on the outcome seen while recording, so that an exit
//! leaves the same object behind. Any other call ends the recording.

use super::containers::quiet_type;
use super::*;
use crate::ir::{Operands, Rounding};
use crate::methods::{plain_argument, MethodId, MethodResult};

/// A builtin type's method bound to an object (`out.append`), as
/// `FrameView::bound_method` finds it: the type of such objects, the
/// method's `PyMethodDef` (both addresses), the method's descriptor (one
/// `FrameView::builtin` knows) and what the object it is bound to is.
#[derive(Clone, Debug, PartialEq)]
pub struct BoundMethod {
    pub function_type: u64,
    pub def: u64,
    pub descriptor: u64,
    pub receiver: Observed,
}

impl Recorder {
    pub(super) fn load_global(&mut self, instr: &Instr, frame: &dyn FrameView) -> Outcome<()> {
        let Some(lookup) = frame.global(instr.arg >> 1) else {
            return Err(AbortReason::NotYetImplemented("LOAD_GLOBAL of an unbound or unusual name".into()));
        };
        if instr.arg & 1 == 1 {
            let null = self.value(Inst::Null)?;
            self.push(null);
        }
        let v = self.constant_from(lookup)?;
        self.push(v);
        Ok(())
    }

    /// `LOAD_NAME` (module-level code): a name the code stores is a variable, read
    /// from the namespace on entry and carried like a local; any other name is a
    /// constant, like a global.
    pub(super) fn load_name(&mut self, instr: &Instr, frame: &dyn FrameView) -> Outcome<()> {
        let slot = Slot::name(instr.arg);
        let stored = self.code.decoded.instrs().iter().any(|i| i.opcode == Opcode::StoreName && i.arg == instr.arg);
        let v = if stored || self.slots.contains_key(&slot) {
            let v = self.read(slot, frame);
            self.require_bound(v, instr.offset)?;
            v
        } else {
            let lookup = frame
                .name(instr.arg)
                .ok_or_else(|| AbortReason::NotYetImplemented("LOAD_NAME of an unbound or unusual name".into()))?;
            self.constant_from(lookup)?
        };
        self.push(v);
        Ok(())
    }

    pub(super) fn load_attr(&mut self, instr: &Instr, frame: &dyn FrameView) -> Outcome<()> {
        let slot = self.stack_slot(1);
        let owner = self.read(slot, frame);
        let snap = self.snapshot(instr.start);
        if instr.arg & 1 == 1 {
            let builtin_type = match self.kinds.get(&owner) {
                Some(Observed::List) => Some((Observed::List, PyType::List)),
                Some(Observed::Dict) => Some((Observed::Dict, PyType::Dict)),
                Some(Observed::Str) => Some((Observed::Str, PyType::Str)),
                Some(Observed::Set) => Some((Observed::Set, PyType::Set)),
                _ => None,
            };
            let method = builtin_type.and_then(|(kind, ty)| Some((frame.method(&kind, instr.arg >> 1)?, ty)));
            if let Some((method, ty)) = method {
                // A method of an exact builtin type (its type is immutable): CALL
                // sees the method and `self`.
                self.guard(Inst::GuardType(owner, ty, snap))?;
                self.pop(frame)?;
                let method = self.value(Inst::ConstObj(method))?;
                self.push(method);
                self.push(owner);
                return Ok(());
            }
        }
        let access = if instr.arg & 1 == 1 { AttrAccess::Method } else { AttrAccess::Load };
        if let Some(attr) = frame.attribute(slot, instr.arg >> 1, access) {
            return self.instance_attribute(owner, attr, snap, frame);
        }
        let attribute = match self.known_object(owner, slot, frame, snap)? {
            Some(addr) => frame.module_attribute(addr, instr.arg >> 1),
            None => None,
        };
        let Some(lookup) = attribute else {
            return Err(self.unsupported(instr, &[owner]));
        };
        self.pop(frame)?;
        if instr.arg & 1 == 1 {
            // A module attribute is no method: CALL sees NULL and the attribute.
            let null = self.value(Inst::Null)?;
            self.push(null);
        }
        let v = self.constant_from(lookup)?;
        self.push(v);
        Ok(())
    }

    /// The address of the object `v` (read from `slot`) when the trace can rely
    /// on it: a constant, or any other object whose identity is guarded (a module
    /// in a module-level variable; a bridge starting mid-expression finds the
    /// root's constants on the stack).
    fn known_object(&mut self, v: Ref, slot: Slot, frame: &dyn FrameView, snap: SnapId) -> Outcome<Option<u64>> {
        match *self.e.trace.inst(v) {
            Inst::ConstObj(addr) => Ok(Some(addr)),
            _ if self.e.ty(v) == Ty::Obj && frame.address(slot) != 0 => {
                let addr = frame.address(slot);
                let expected = self.value(Inst::ConstObj(addr))?;
                let same = self.value(Inst::ObjIs(v, expected))?;
                self.guard(Inst::GuardTrue(same, snap))?;
                Ok(Some(addr))
            }
            _ => Ok(None),
        }
    }

    /// A builtin type's method bound to its receiver, `callee` (read from
    /// `slot`): `append(x)` after `append = out.append` calls `list.append`
    /// on `out`. Guarded to be such an object (the type, then the method's
    /// `PyMethodDef`, which only that method's bound objects point at) bound
    /// to an exact list, dict, set or str, as `out.append(x)` would have
    /// found it; the method's descriptor, and the receiver with what it is.
    fn unbind(
        &mut self,
        callee: Ref,
        slot: Slot,
        frame: &dyn FrameView,
        snap: SnapId,
    ) -> Outcome<Option<(Ref, (Ref, Observed))>> {
        if self.e.ty(callee) != Ty::Obj || matches!(self.e.trace.inst(callee), Inst::ConstObj(_)) {
            return Ok(None);
        }
        let Some(bound) = frame.bound_method(slot) else {
            return Ok(None);
        };
        let exact = [PyType::List, PyType::Dict, PyType::Set, PyType::Str];
        let Some(receiver_type) = PyType::from_name(bound.receiver.type_name()).filter(|ty| exact.contains(ty)) else {
            return Ok(None);
        };
        for (field, expected) in [(Field::ObType, bound.function_type), (Field::CFunctionDef, bound.def)] {
            let actual = self.value(Inst::LoadField(callee, field))?;
            let expected = self.e.const_i64(expected as i64);
            let same = self.value(Inst::ICmp(Cmp::Eq, actual, expected))?;
            self.guard(Inst::GuardTrue(same, snap))?;
        }
        let receiver = self.value(Inst::LoadField(callee, Field::CFunctionSelf))?;
        self.guard(Inst::GuardType(receiver, receiver_type, snap))?;
        self.kinds.insert(receiver, bound.receiver.clone());
        let descriptor = self.value(Inst::ConstObj(bound.descriptor))?;
        Ok(Some((descriptor, (receiver, bound.receiver))))
    }

    /// Whether `v` (read from `slot`) is NULL: known for values the trace made,
    /// guarded for one read from the frame.
    fn is_null(&mut self, v: Ref, slot: Slot, frame: &dyn FrameView, snap: SnapId) -> Outcome<bool> {
        match *self.e.trace.inst(v) {
            Inst::Null => Ok(true),
            Inst::LoadSlot(_) => {
                let null = frame.observe(slot) == Observed::Null;
                let expected = self.value(Inst::Null)?;
                let same = self.value(Inst::ObjIs(v, expected))?;
                self.guard(if null { Inst::GuardTrue(same, snap) } else { Inst::GuardFalse(same, snap) })?;
                Ok(null)
            }
            _ => Ok(false),
        }
    }

    fn constant_from(&mut self, lookup: Lookup) -> Outcome<Ref> {
        for dep in lookup.deps {
            if !self.deps.contains(&dep) {
                self.deps.push(dep);
            }
        }
        let v = self.value(Inst::ConstObj(lookup.value.addr))?;
        self.kinds.insert(v, lookup.value.kind);
        Ok(v)
    }

    /// `CALL argc`: below the arguments sit a callable and a NULL, or a method
    /// and its `self` (the first argument).
    pub(super) fn call(&mut self, instr: &Instr, frame: &dyn FrameView) -> Outcome<()> {
        let argc = instr.arg;
        let snap = self.snapshot(instr.start);
        let below = self.read(self.stack_slot(argc + 2), frame);
        let above = self.read(self.stack_slot(argc + 1), frame);
        let mut args: Vec<(Ref, Observed)> = Vec::new();
        let mut callee = if self.is_null(below, self.stack_slot(argc + 2), frame, snap)? {
            above
        } else {
            args.push((above, frame.observe(self.stack_slot(argc + 1))));
            below
        };
        let callee_slot = self.stack_slot(if callee == above { argc + 1 } else { argc + 2 });
        if let Some((descriptor, receiver)) = self.unbind(callee, callee_slot, frame, snap)? {
            callee = descriptor;
            args.insert(0, receiver);
        }
        for k in (1..=argc).rev() {
            let slot = self.stack_slot(k);
            args.push((self.read(slot, frame), frame.observe(slot)));
        }
        let callee_addr = self.known_object(callee, callee_slot, frame, snap)?;
        let function = callee_addr.and_then(|addr| frame.python_function(addr));
        if let Some(defaults) = function.as_ref().and_then(|f| f.defaults_used(args.len())) {
            for default in defaults.to_vec() {
                let v = self.value(Inst::ConstObj(default.addr))?;
                self.kinds.insert(v, default.kind.clone());
                args.push((v, default.kind));
            }
            let function = function.expect("it has defaults");
            return self.inline_call(instr, callee, &args, function, snap);
        }
        let Some(builtin) = callee_addr.and_then(|addr| frame.builtin(addr)) else {
            return Err(AbortReason::NotYetImplemented("CALL of an unknown callable".into()));
        };
        if builtin == Builtin::Divmod {
            return self.divmod(instr, &args, snap, frame);
        }
        if builtin == Builtin::Range {
            return self.range_iter(instr, &args, snap);
        }
        let result = if builtin == Builtin::IsInstance && args.len() == 2 {
            let class_addr = self.known_object(args[1].0, self.stack_slot(1), frame, snap)?;
            let class = class_addr.and_then(|addr| frame.builtin(addr));
            self.isinstance(args[0].0, class, snap)?
        } else {
            self.builtin_call(builtin, &args, snap)?
        };
        for _ in 0..argc + 2 {
            self.pop(frame)?;
        }
        self.push_checked(result);
        Ok(())
    }

    fn builtin_call(&mut self, builtin: Builtin, args: &[(Ref, Observed)], snap: SnapId) -> Outcome<Ref> {
        let unsupported = || AbortReason::NotYetImplemented(format!("call of {builtin:?} with these arguments"));
        match (builtin, args) {
            (Builtin::Min | Builtin::Max, [_, _, ..]) => self.min_max(builtin == Builtin::Min, args, snap),
            (Builtin::SetAdd, [(set, _), (key, _)]) => {
                if !self.set_add(*set, *key, snap)? {
                    return Err(unsupported());
                }
                let none = self.value(Inst::ConstObj(self.code.none))?;
                self.kinds.insert(none, Observed::None);
                Ok(none)
            }
            (Builtin::ListAppend, [(list, _), (value, seen)]) => {
                self.storing_into(*list, *value, seen, snap)?;
                self.e.push(Inst::ListAppend(*list, *value, snap));
                let none = self.value(Inst::ConstObj(self.code.none))?;
                self.kinds.insert(none, Observed::None);
                Ok(none)
            }
            (Builtin::Len, [(x, _)]) => self.container_len(*x, snap)?.ok_or_else(unsupported),
            (Builtin::DictGet, [(dict, _), (key, _)]) => {
                let none = self.value(Inst::ConstObj(self.code.none))?;
                self.kinds.insert(none, Observed::None);
                self.dict_get_or(*dict, *key, none, snap)?.ok_or_else(unsupported)
            }
            (Builtin::DictGet, [(dict, _), (key, _), (default, _)]) => {
                self.dict_get_or(*dict, *key, *default, snap)?.ok_or_else(unsupported)
            }
            (Builtin::Str, [(x, seen)]) => self.str_of(*x, seen, snap)?.ok_or_else(unsupported),
            // `int(s)`, `float(s)`, `min(xs)`, `max(xs)`: the listed functions.
            (Builtin::Int | Builtin::Float, [(_, Observed::Str)])
            | (Builtin::Min | Builtin::Max, [(_, Observed::List)]) => {
                let name = match builtin {
                    Builtin::Int => "int",
                    Builtin::Float => "float",
                    Builtin::Min => "min",
                    _ => "max",
                };
                let listed = MethodId::from_qualified_name(name).expect("a listed function");
                self.call_method(listed, args, snap)?.ok_or_else(unsupported)
            }
            (Builtin::Method(method), _) => self.call_method(method, args, snap)?.ok_or_else(unsupported),
            (_, [(x, seen)]) => {
                let n = self.number(*x, snap)?.ok_or_else(unsupported)?;
                self.numeric_builtin(builtin, *x, n, seen, snap)?.ok_or_else(unsupported)
            }
            _ => Err(unsupported()),
        }
    }

    /// A listed method of a builtin type (see `methods`) on its receiver and
    /// arguments of plain builtin types; `None` for other arguments.
    pub(super) fn call_method(
        &mut self,
        method: MethodId,
        args: &[(Ref, Observed)],
        snap: SnapId,
    ) -> Outcome<Option<Ref>> {
        let m = method.method();
        let extra = args.len().saturating_sub(1);
        if args.is_empty() || extra < m.args.0 as usize || extra > m.args.1 as usize {
            return Ok(None);
        }
        for (k, (v, seen)) in args.iter().enumerate() {
            let ty = if k == 0 { Some(m.owner) } else { PyType::from_name(seen.type_name()) };
            let Some(ty) = ty.filter(|&ty| k == 0 || plain_argument(ty)) else {
                return Ok(None);
            };
            // A constant is the very object seen while recording.
            if !matches!(self.e.trace.inst(*v), Inst::ConstObj(_)) {
                self.guard(Inst::GuardType(*v, ty, snap))?;
            }
        }
        let refs: Vec<Ref> = args.iter().map(|a| a.0).collect();
        let made = |v: &Ref| self.e.trace.inst(*v).makes_object();
        if m.mutates && made(&refs[0]) && refs[1..].iter().any(|v| self.e.ty(*v) == Ty::Obj && !made(v)) {
            // `list.extend` of a list the trace made by objects it did not
            // make: releasing the list could release them last (see `quiet_item`).
            return Ok(None);
        }
        let call = Inst::CallMethod(method, Operands::from_slice(&refs), snap);
        Ok(Some(match m.result {
            // What the result is, the next step learns from the frame.
            MethodResult::Object(_) | MethodResult::AnyObject => self.make(call)?,
            MethodResult::Int | MethodResult::Bool => self.value(call)?,
            MethodResult::Nothing => {
                self.e.push(call);
                self.none_const()?
            }
        }))
    }

    /// Whether `v` is an object of any type the trace owns (`list.pop()`).
    pub(super) fn owned_of_any_type(&self, v: Ref) -> bool {
        matches!(self.e.trace.inst(v), Inst::CallMethod(m, ..) if m.method().result == MethodResult::AnyObject)
    }

    /// Guard the type of an owned object of any type as `seen`, one whose
    /// release runs no Python code (the trace releases it where the program
    /// drops it, with the frame not written); refuse any other.
    pub(super) fn guard_quiet_type(&mut self, v: Ref, seen: &Observed, instr: &Instr) -> Outcome<()> {
        let ty = quiet_type(seen).ok_or_else(|| {
            AbortReason::NotYetImplemented(format!(
                "a popped {} (releasing it could run Python code)",
                seen.type_name()
            ))
        })?;
        let snap = self.snapshot(instr.start);
        self.guard(Inst::GuardType(v, ty, snap))
    }

    /// A builtin of one number; `None` when it is not one of those.
    fn numeric_builtin(
        &mut self,
        builtin: Builtin,
        x: Ref,
        n: Num,
        seen: &Observed,
        snap: SnapId,
    ) -> Outcome<Option<Ref>> {
        let zero = self.e.const_i64(0);
        Ok(Some(match (builtin, n) {
            (Builtin::Abs, Num::Int(i)) => {
                // abs() of a non-negative int is that very int.
                let negative = matches!(seen, Observed::Int(v) if *v < 0);
                let sign = self.value(Inst::ICmp(Cmp::Lt, i, zero))?;
                self.guard(if negative { Inst::GuardTrue(sign, snap) } else { Inst::GuardFalse(sign, snap) })?;
                if negative {
                    self.value(Inst::INegOv(i, snap))?
                } else {
                    x
                }
            }
            (Builtin::Abs, Num::Float(f)) => self.value(Inst::FAbs(f))?,
            (Builtin::Abs | Builtin::Int, Num::Bool(b)) => self.value(Inst::BoolToI(b))?,
            (Builtin::Float, Num::Float(_)) => x,
            (Builtin::Float, n) => self.float_of(n)?,
            (Builtin::Int | Builtin::MathFloor | Builtin::MathCeil | Builtin::MathTrunc, Num::Int(_)) => x,
            (Builtin::MathFloor | Builtin::MathCeil | Builtin::MathTrunc, Num::Bool(b)) => {
                self.value(Inst::BoolToI(b))?
            }
            (Builtin::Int | Builtin::MathTrunc, Num::Float(f)) => self.value(Inst::FToI(Rounding::Trunc, f, snap))?,
            (Builtin::MathFloor, Num::Float(f)) => self.value(Inst::FToI(Rounding::Floor, f, snap))?,
            (Builtin::MathCeil, Num::Float(f)) => self.value(Inst::FToI(Rounding::Ceil, f, snap))?,
            (Builtin::MathFabs, n) => {
                let f = self.float_of(n)?;
                self.value(Inst::FAbs(f))?
            }
            (Builtin::Math(m), n) => {
                let f = self.float_of(n)?;
                self.value(Inst::FMath(m, f, snap))?
            }
            _ => return Ok(None),
        }))
    }

    /// `min(a, b, ...)` / `max(a, b, ...)` of numbers, as CPython goes
    /// through them: the first, replaced by each later one that compares
    /// strictly smaller (larger) than the one kept; the result is the chosen
    /// argument itself.
    fn min_max(&mut self, min: bool, args: &[(Ref, Observed)], snap: SnapId) -> Outcome<Ref> {
        let unsupported = || AbortReason::NotYetImplemented("min/max of these arguments".into());
        let cmp = if min { Cmp::Lt } else { Cmp::Gt };
        let (first, rest) = args.split_first().ok_or_else(unsupported)?;
        let mut kept = first;
        let mut kept_number = self.number(kept.0, snap)?.ok_or_else(unsupported)?;
        for arg in rest {
            let number = self.number(arg.0, snap)?.ok_or_else(unsupported)?;
            let replaces = compare_observed(cmp, &arg.1, &kept.1).ok_or_else(unsupported)?;
            let wins = self.compare(cmp, number, kept_number, snap)?;
            self.guard(if replaces { Inst::GuardTrue(wins, snap) } else { Inst::GuardFalse(wins, snap) })?;
            if replaces {
                (kept, kept_number) = (arg, number);
            }
        }
        Ok(kept.0)
    }

    /// `divmod(a, b)` of two ints whose tuple the next instructions take apart
    /// at once (`q, r = divmod(a, b)` or `divmod(a, b)[k]`): the quotient and
    /// the remainder, as `//` and `%` give them, and no tuple. The instructions
    /// that take it apart are fused into the call, so no exit can see the tuple.
    fn divmod(&mut self, instr: &Instr, args: &[(Ref, Observed)], snap: SnapId, frame: &dyn FrameView) -> Outcome<()> {
        let unsupported = || AbortReason::NotYetImplemented("divmod of these arguments, or its tuple kept".into());
        let [(a, Observed::Int(a_seen)), (b, Observed::Int(b_seen))] = *args else {
            return Err(unsupported());
        };
        if b_seen == 0 {
            return Err(AbortReason::Raises("ZeroDivisionError"));
        }
        let taken = self.tuple_taken_apart(instr.next, 2).ok_or_else(unsupported)?;
        let (Some(Num::Int(x)), Some(Num::Int(y))) = (self.number(a, snap)?, self.number(b, snap)?) else {
            return Err(unsupported());
        };
        let mut items = Vec::new();
        for &k in &taken.items {
            items.push(if k == 0 {
                self.value(Inst::IFloorDiv(x, y, snap))?
            } else {
                let r = self.value(Inst::IMod(x, y, snap))?;
                self.keep_left_identity(BinOp::Mod, a, (x, y), (a_seen, b_seen), r, snap)?
            });
        }
        for _ in 0..instr.arg + 2 {
            self.pop(frame)?;
        }
        for item in items {
            self.push_checked(item);
        }
        self.expect_pc = taken.fused.start;
        self.fused = Some(taken.fused);
        Ok(())
    }

    /// How the instructions at `pc` take apart the tuple of `width` items that
    /// the instruction before left on the stack: `UNPACK_SEQUENCE width`, or a
    /// constant subscript. `None` for anything else (the tuple would be kept).
    fn tuple_taken_apart(&self, pc: u32, width: u32) -> Option<TakenApart> {
        let next = self.code.decoded.at(pc).copied()?;
        if next.opcode == Opcode::UnpackSequence && next.arg == width {
            // Item 0 ends on top.
            return Some(TakenApart { items: (0..width as usize).rev().collect(), fused: next.start..next.next });
        }
        let subscript = self.code.decoded.at(next.next).copied()?;
        let Observed::Int(k) = self.code.consts.get(next.arg as usize)?.kind else {
            return None;
        };
        let k = if k < 0 { k + width as i64 } else { k };
        let fits = next.opcode == Opcode::LoadConst && subscript.opcode == Opcode::BinarySubscr;
        (fits && (0..width as i64).contains(&k))
            .then(|| TakenApart { items: vec![k as usize], fused: next.start..subscript.next })
    }

    /// `isinstance(x, int | float | bool)` of a number: known once `x` is guarded.
    fn isinstance(&mut self, x: Ref, class: Option<Builtin>, snap: SnapId) -> Outcome<Ref> {
        let unsupported = || AbortReason::NotYetImplemented("isinstance with these arguments".into());
        let n = self.number(x, snap)?.ok_or_else(unsupported)?;
        let answer = match (class.ok_or_else(unsupported)?, n) {
            (Builtin::Int, Num::Int(_) | Num::Bool(_)) | (Builtin::Bool, Num::Bool(_)) => true,
            (Builtin::Float, Num::Float(_)) => true,
            (Builtin::Int | Builtin::Bool | Builtin::Float, _) => false,
            _ => return Err(unsupported()),
        };
        Ok(self.e.const_bool(answer))
    }
}

/// `a <cmp> b` on observed numbers, as Python compares them (None where the
/// recorder would not compile the comparison).
fn compare_observed(cmp: Cmp, a: &Observed, b: &Observed) -> Option<bool> {
    let exact = |v: i64| (v.unsigned_abs() <= 1 << 53).then_some(v as f64);
    let as_int = |o: &Observed| match *o {
        Observed::Int(v) => Some(v),
        Observed::Bool(v) => Some(v as i64),
        _ => None,
    };
    let ordering = match (a, b) {
        (Observed::Float(x), Observed::Float(y)) => x.partial_cmp(y),
        (Observed::Float(x), other) => x.partial_cmp(&exact(as_int(other)?)?),
        (other, Observed::Float(y)) => exact(as_int(other)?)?.partial_cmp(y),
        _ => Some(as_int(a)?.cmp(&as_int(b)?)),
    };
    use std::cmp::Ordering::*;
    Some(match (cmp, ordering) {
        (_, None) => cmp == Cmp::Ne,
        (Cmp::Lt, Some(o)) => o == Less,
        (Cmp::Le, Some(o)) => o != Greater,
        (Cmp::Eq, Some(o)) => o == Equal,
        (Cmp::Ne, Some(o)) => o != Equal,
        (Cmp::Gt, Some(o)) => o == Greater,
        (Cmp::Ge, Some(o)) => o != Less,
    })
}

/// Which items of a tuple the instructions after it push, in push order, and
/// the offsets of those instructions.
struct TakenApart {
    items: Vec<usize>,
    fused: std::ops::Range<u32>,
}
