//! The folding rules: what an instruction whose operands are constants
//! gives, as a table (LuaJIT's `lj_opt_fold.c` keeps one, keyed by opcode and
//! operand kinds).
//!
//! What: each rule names an instruction (by its mnemonic in the text form)
//! and the kind of constant each operand must be, and computes the result
//! from those constants: a new constant, or for a guard whether it passes.
//! `fold` looks up the rules of the instruction it is about to emit and
//! applies the first that gives a result.
//!
//! Why a table: a rule is one line that says when it applies, so adding one
//! cannot shadow another by its place in a cascade of matches, and the test
//! below checks every rule against the instruction set.
//!
//! A constant `int`, `float` or `bool` object counts as a constant of its
//! type for the guards on its type and its unboxing (`Trace::boxed_numbers`):
//! a bridge that sets `zr = 0.0` and goes back to a loop that carries `zr`
//! unboxed would otherwise check and unbox the constant every time, through
//! code with a call in it (a large int's slow path) that made the register
//! allocator keep the loop's floats in stack slots.
//!
//! What is not here: folding that needs more than the constants (a guard on
//! a value's type, a load the trace has seen: `types`, `memory`, `bounds`),
//! and algebraic identities that give back an operand (`x + 0`): CPython makes
//! a new object there, and an exit would box the operand's.
//! Results are exactly CPython's: checked integer arithmetic gives no rule a
//! result where CPython's would leave 64 bits (the trace then exits there).

use crate::codegen::runtime;
use crate::ir::{BoxedNumber, Cmp, Inst};

/// An operand as the rules see it: the constant it is, if any.
#[derive(Clone, Copy, PartialEq, Debug)]
pub enum Operand {
    Int(i64),
    Float(f64),
    Bool(bool),
    /// A constant object, with its number if it is an int, float or bool.
    Obj(u64, Option<BoxedNumber>),
    Null,
    Other,
}

/// The kind of operand a rule needs.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Int,
    Float,
    Bool,
    /// A constant object or NULL.
    Object,
    /// A constant `int`, `float` or `bool` object.
    Boxed,
    /// Anything (the rule looks only at the other operand).
    Any,
}

/// What a rule gives.
#[derive(Clone, Copy, PartialEq, Debug)]
pub enum Folded {
    Int(i64),
    Float(f64),
    Bool(bool),
    /// The guard passes: nothing is emitted.
    Passes,
    /// The guard fails whenever it runs.
    Fails,
}

struct Rule {
    op: &'static str,
    operands: &'static [Kind],
    fold: fn(&Inst, &[Operand]) -> Option<Folded>,
}

fn int(o: Operand) -> i64 {
    match o {
        Operand::Int(v) => v,
        other => unreachable!("the rule's kinds were checked: {other:?}"),
    }
}

fn float(o: Operand) -> f64 {
    match o {
        Operand::Float(v) => v,
        other => unreachable!("the rule's kinds were checked: {other:?}"),
    }
}

fn boolean(o: Operand) -> bool {
    match o {
        Operand::Bool(v) => v,
        other => unreachable!("the rule's kinds were checked: {other:?}"),
    }
}

fn boxed(o: Operand) -> BoxedNumber {
    match o {
        Operand::Obj(_, Some(n)) => n,
        other => unreachable!("the rule's kinds were checked: {other:?}"),
    }
}

/// The address of a constant object, 0 for NULL.
fn address(o: Operand) -> u64 {
    match o {
        Operand::Obj(p, _) => p,
        Operand::Null => 0,
        other => unreachable!("the rule's kinds were checked: {other:?}"),
    }
}

fn compare<T: PartialOrd>(c: Cmp, a: T, b: T) -> bool {
    match c {
        Cmp::Lt => a < b,
        Cmp::Le => a <= b,
        Cmp::Eq => a == b,
        Cmp::Ne => a != b,
        Cmp::Gt => a > b,
        Cmp::Ge => a >= b,
    }
}

/// The comparison of an `icmp` or `fcmp`.
fn cmp(inst: &Inst) -> Cmp {
    match *inst {
        Inst::ICmp(c, ..) | Inst::FCmp(c, ..) => c,
        _ => unreachable!("only comparisons have comparison rules"),
    }
}

fn guard(holds: bool) -> Option<Folded> {
    Some(if holds { Folded::Passes } else { Folded::Fails })
}

use Kind::{Any, Bool, Boxed, Float, Int, Object};

#[rustfmt::skip]
const RULES: &[Rule] = &[
    Rule { op: "guard_true", operands: &[Bool], fold: |_, o| guard(boolean(o[0])) },
    Rule { op: "guard_false", operands: &[Bool], fold: |_, o| guard(!boolean(o[0])) },
    Rule { op: "add_ov", operands: &[Int, Int], fold: |_, o| int(o[0]).checked_add(int(o[1])).map(Folded::Int) },
    Rule { op: "sub_ov", operands: &[Int, Int], fold: |_, o| int(o[0]).checked_sub(int(o[1])).map(Folded::Int) },
    Rule { op: "mul_ov", operands: &[Int, Int], fold: |_, o| int(o[0]).checked_mul(int(o[1])).map(Folded::Int) },
    Rule { op: "neg_ov", operands: &[Int], fold: |_, o| int(o[0]).checked_neg().map(Folded::Int) },
    Rule { op: "add", operands: &[Int, Int], fold: |_, o| Some(Folded::Int(int(o[0]).wrapping_add(int(o[1])))) },
    Rule { op: "sub", operands: &[Int, Int], fold: |_, o| Some(Folded::Int(int(o[0]).wrapping_sub(int(o[1])))) },
    Rule { op: "and", operands: &[Int, Int], fold: |_, o| Some(Folded::Int(int(o[0]) & int(o[1]))) },
    Rule { op: "or", operands: &[Int, Int], fold: |_, o| Some(Folded::Int(int(o[0]) | int(o[1]))) },
    Rule { op: "xor", operands: &[Int, Int], fold: |_, o| Some(Folded::Int(int(o[0]) ^ int(o[1]))) },
    Rule { op: "invert", operands: &[Int], fold: |_, o| Some(Folded::Int(!int(o[0]))) },
    Rule { op: "icmp", operands: &[Int, Int], fold: |i, o| Some(Folded::Bool(compare(cmp(i), int(o[0]), int(o[1])))) },
    // A one-digit divisor takes the fast path or a full division: never `a`.
    Rule { op: "mod_keeps", operands: &[Any, Int], fold: |_, o| (int(o[1]) != 0 && int(o[1]).unsigned_abs() < 1 << 30).then_some(Folded::Bool(false)) },
    Rule { op: "mod_keeps", operands: &[Int, Int], fold: |_, o| Some(Folded::Bool(runtime::int_mod_keeps(int(o[0]), int(o[1])))) },
    Rule { op: "shr_keeps", operands: &[Any, Int], fold: |_, o| (int(o[1]) != 0).then_some(Folded::Bool(false)) },
    Rule { op: "shr_keeps", operands: &[Int, Int], fold: |_, o| Some(Folded::Bool(runtime::int_shr_keeps(int(o[0]), int(o[1])))) },
    // Rust's float comparisons are Python's: ordered except `!=`.
    Rule { op: "fcmp", operands: &[Float, Float], fold: |i, o| Some(Folded::Bool(compare(cmp(i), float(o[0]), float(o[1])))) },
    Rule { op: "fadd", operands: &[Float, Float], fold: |_, o| Some(Folded::Float(float(o[0]) + float(o[1]))) },
    Rule { op: "fsub", operands: &[Float, Float], fold: |_, o| Some(Folded::Float(float(o[0]) - float(o[1]))) },
    Rule { op: "fmul", operands: &[Float, Float], fold: |_, o| Some(Folded::Float(float(o[0]) * float(o[1]))) },
    Rule { op: "fneg", operands: &[Float], fold: |_, o| Some(Folded::Float(-float(o[0]))) },
    Rule { op: "itof", operands: &[Int], fold: |_, o| Some(Folded::Float(int(o[0]) as f64)) },
    Rule { op: "itof_exact", operands: &[Int], fold: |_, o| (int(o[0]).unsigned_abs() <= 1 << 53).then(|| Folded::Float(int(o[0]) as f64)) },
    Rule { op: "btoi", operands: &[Bool], fold: |_, o| Some(Folded::Int(i64::from(boolean(o[0])))) },
    Rule { op: "bnot", operands: &[Bool], fold: |_, o| Some(Folded::Bool(!boolean(o[0]))) },
    Rule { op: "itruth", operands: &[Int], fold: |_, o| Some(Folded::Bool(int(o[0]) != 0)) },
    Rule { op: "ftruth", operands: &[Float], fold: |_, o| Some(Folded::Bool(float(o[0]) != 0.0)) },
    Rule { op: "is", operands: &[Object, Object], fold: |_, o| Some(Folded::Bool(address(o[0]) == address(o[1]))) },
    Rule { op: "guard_type", operands: &[Boxed], fold: |i, o| guard(matches!(*i, Inst::GuardType(_, ty, _) if ty == boxed(o[0]).py_type())) },
    Rule { op: "unbox_int", operands: &[Boxed], fold: |_, o| match boxed(o[0]) { BoxedNumber::Int(v) => Some(Folded::Int(v)), _ => None } },
    Rule { op: "unbox_float", operands: &[Boxed], fold: |_, o| match boxed(o[0]) { BoxedNumber::Float(v) => Some(Folded::Float(v)), _ => None } },
    Rule { op: "unbox_bool", operands: &[Boxed], fold: |_, o| match boxed(o[0]) { BoxedNumber::Bool(v) => Some(Folded::Bool(v)), _ => None } },
];

fn fits(kind: Kind, operand: Operand) -> bool {
    match kind {
        Int => matches!(operand, Operand::Int(_)),
        Float => matches!(operand, Operand::Float(_)),
        Bool => matches!(operand, Operand::Bool(_)),
        Object => matches!(operand, Operand::Obj(..) | Operand::Null),
        Boxed => matches!(operand, Operand::Obj(_, Some(_))),
        Any => true,
    }
}

/// The first result of a rule for `inst` whose operands fit.
pub fn fold(inst: &Inst, operands: &[Operand]) -> Option<Folded> {
    let op = inst.mnemonic();
    RULES
        .iter()
        .filter(|r| r.op == op && r.operands.len() <= operands.len())
        .filter(|r| r.operands.iter().zip(operands).all(|(&k, &o)| fits(k, o)))
        .find_map(|r| (r.fold)(inst, operands))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{parse_trace, Ref, Trace};
    use crate::opt::fold::{Emitted, Emitter};

    #[test]
    fn every_rule_names_an_instruction_with_as_many_operands() {
        let consts: Vec<String> = (0..9).map(|k| format!("%{k} const {k}")).collect();
        for rule in RULES {
            let mut args: Vec<String> = (0..rule.operands.len()).map(|k| format!("%{k}")).collect();
            if rule.op.ends_with("cmp") {
                args.insert(0, "lt".into());
            }
            if rule.op == "guard_type" {
                args.push("int".into());
            }
            let line = format!("%9 {} {}", rule.op, args.join(" "));
            let text =
                format!("trace header=0 depth=0 nlocalsplus=1\n{}\n{line}\n#0 pc=0 depth=0 []", consts.join("\n"));
            // With a snapshot if the instruction takes one.
            let parsed = parse_trace(&text).or_else(|_| parse_trace(&text.replace(&line, &format!("{line} #0"))));
            let trace: Trace = parsed.unwrap_or_else(|e| panic!("rule {} {:?}: {e}", rule.op, rule.operands));
            assert_eq!(trace.inst(Ref(9)).mnemonic(), rule.op);
            assert_eq!(trace.inst(Ref(9)).operands().as_slice().len(), rule.operands.len(), "{}", rule.op);
        }
    }

    /// Emit the last instruction of `text` again: what folding gives.
    fn folded(text: &str) -> Emitted {
        let trace = parse_trace(text).expect("valid trace");
        let last = *trace.inst(Ref(trace.insts.len() as u32 - 1));
        Emitter::new(trace).emit(last)
    }

    fn constant_of(text: &str) -> Option<Inst> {
        let trace = parse_trace(text).expect("valid trace");
        let last = *trace.inst(Ref(trace.insts.len() as u32 - 1));
        let mut e = Emitter::new(trace);
        match e.emit(last) {
            Emitted::Value(r) => Some(*e.trace.inst(r)),
            _ => None,
        }
    }

    const HEAD: &str = "trace header=0 depth=0 nlocalsplus=1\n";
    const TAIL: &str = "\n#0 pc=0 depth=0 []";

    #[test]
    fn integer_rules_fold_to_cpythons_result_and_leave_overflow_to_the_trace() {
        let t = |body: &str| constant_of(&format!("{HEAD}{body}{TAIL}"));
        assert_eq!(t("%0 i64 const 7\n%1 i64 const 5\n%2 i64 mul_ov %0 %1 #0"), Some(Inst::ConstI64(35)));
        assert_eq!(t("%0 i64 const -8\n%1 i64 const 3\n%2 bool icmp lt %0 %1"), Some(Inst::ConstBool(true)));
        let overflow = t("%0 i64 const 9223372036854775807\n%1 i64 const 2\n%2 i64 mul_ov %0 %1 #0");
        assert!(matches!(overflow, Some(Inst::IMulOv(..))), "{overflow:?}");
        // `a % b` never returns `a` for a one-digit divisor, whatever `a` is.
        assert_eq!(
            t("%0 obj load_slot s0\n%1 i64 unbox_int %0 #0\n%2 i64 const 7\n%3 bool mod_keeps %1 %2"),
            Some(Inst::ConstBool(false))
        );
    }

    #[test]
    fn float_and_identity_rules_and_guards_on_constants() {
        let t = |body: &str| constant_of(&format!("{HEAD}{body}{TAIL}"));
        assert_eq!(
            t("%0 f64 fconst 0.1\n%1 f64 fconst 0.2\n%2 f64 fadd %0 %1"),
            Some(Inst::ConstF64((0.1f64 + 0.2).to_bits()))
        );
        assert_eq!(t("%0 f64 fconst nan\n%1 f64 fconst nan\n%2 bool fcmp ne %0 %1"), Some(Inst::ConstBool(true)));
        assert_eq!(t("%0 obj null\n%1 obj oconst 0x10\n%2 bool is %0 %1"), Some(Inst::ConstBool(false)));
        assert_eq!(folded(&format!("{HEAD}%0 bool bconst false\n%1 guard_false %0 #0{TAIL}")), Emitted::Nothing);
        assert_eq!(folded(&format!("{HEAD}%0 bool bconst false\n%1 guard_true %0 #0{TAIL}")), Emitted::AlwaysExits);
    }

    #[test]
    fn constant_numbers_pass_their_type_guards_and_unbox_to_their_value() {
        let numbers = "\nnumbers 0x10=float:0.5 0x20=int:-7 0x30=bool:true";
        let text = |body: &str| {
            format!("{HEAD}%0 obj oconst 0x10\n%1 obj oconst 0x20\n%2 obj oconst 0x30\n{body}{TAIL}{numbers}")
        };
        assert_eq!(folded(&text("%3 guard_type %0 float #0")), Emitted::Nothing);
        assert_eq!(folded(&text("%3 guard_type %0 int #0")), Emitted::AlwaysExits);
        // A bool is no exact int.
        assert_eq!(folded(&text("%3 guard_type %2 int #0")), Emitted::AlwaysExits);
        assert_eq!(constant_of(&text("%3 f64 unbox_float %0")), Some(Inst::ConstF64(0.5f64.to_bits())));
        assert_eq!(constant_of(&text("%3 i64 unbox_int %1 #0")), Some(Inst::ConstI64(-7)));
        assert_eq!(constant_of(&text("%3 bool unbox_bool %2")), Some(Inst::ConstBool(true)));
        // Objects whose number the trace does not know stay as they are.
        let unknown = parse_trace(&format!("{HEAD}%0 obj oconst 0x40{TAIL}{numbers}")).expect("valid trace");
        let guard = Inst::GuardType(Ref(0), crate::ir::PyType::Float, crate::ir::SnapId(0));
        assert!(matches!(Emitter::new(unknown).emit(guard), Emitted::Value(_)));
        // The text form keeps the numbers.
        let trace = parse_trace(&text("%3 guard_type %0 float #0")).expect("valid trace");
        assert_eq!(parse_trace(&trace.to_string()).expect("printed trace parses"), trace);
    }
}
