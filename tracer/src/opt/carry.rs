//! Float arithmetic on loop-carried values, carried round the loop instead
//! of computed again.
//!
//! What: the body computes `zr * zr` from the phi `zr`; the turn before
//! computed the same product of the value it handed that phi (Mandelbrot's
//! `zr * zr + zi * zi <= 4.0` test, then `zr * zr - zi * zi + cr` next
//! turn), and the pre-roll of the value the phi starts with. Such an
//! instruction becomes a new phi of those two products; every side block
//! that goes back to the loop computes the product of the values it gives
//! the phis, and gives that to the new phi. (LuaJIT's LOOP pass makes the
//! same phis when copy-substitution finds a body instruction equal to one
//! of the pre-roll.)
//!
//! Why: the product moves off the chain of operations that carries a value
//! from one turn to the next: Mandelbrot's `zr` went through a
//! multiplication, a subtraction and an addition per turn; now through the
//! last two. Float arithmetic is deterministic, so the phi holds the very
//! bits the body would have computed.
//!
//! Only `fadd`, `fsub` and `fmul` whose operands are phis or values of the
//! pre-roll, at least one a phi, whose pre-roll and back-edge versions both
//! exist (nothing new runs on the way into the loop or round it).
//!
//! Rejected for now: integer arithmetic (checked instructions have exits;
//! the plain ones are cheap), and versions that do not exist yet (computing
//! them would add work to the turn).

use crate::ir::{Inst, Ref, Trace};
use crate::opt::dce::reorder;
use hashbrown::HashMap;

pub fn carry_products(tree: &Trace) -> Trace {
    let Some(loop_at) = tree.loop_ref() else {
        return tree.clone();
    };
    let phis: Vec<Ref> = tree.refs().skip(loop_at.index() + 1).take_while(|&r| is_phi(tree, r)).collect();
    let body_start = loop_at.index() + 1 + phis.len();
    let body_end = tree.refs().find(|&r| matches!(tree.inst(r), Inst::Side(_))).map_or(tree.insts.len(), Ref::index);
    let edge = |r: Ref, back: bool| match *tree.inst(r) {
        Inst::Phi(entry, back_value) if phis.contains(&r) => Some(if back { back_value } else { entry }),
        _ => (r < loop_at).then_some(r),
    };
    let find =
        |inst: Inst, within: std::ops::Range<usize>| within.map(|i| Ref(i as u32)).find(|&r| *tree.inst(r) == inst);
    // (body instruction, its pre-roll version, its back-edge version)
    let mut carried: Vec<(Ref, Ref, Ref)> = Vec::new();
    for r in (body_start..body_end).map(|i| Ref(i as u32)) {
        let inst = *tree.inst(r);
        let operands = inst.operands();
        let arithmetic = matches!(inst, Inst::FAdd(..) | Inst::FSub(..) | Inst::FMul(..));
        if !arithmetic || !operands.as_slice().iter().any(|a| phis.contains(a)) {
            continue;
        }
        let version = |back: bool| -> Option<Inst> {
            let mut copy = inst;
            let mut known = true;
            copy.map_operands(|a| {
                edge(a, back).unwrap_or_else(|| {
                    known = false;
                    a
                })
            });
            known.then_some(copy)
        };
        let (Some(entry), Some(back)) = (version(false), version(true)) else { continue };
        let (Some(entry), Some(back)) = (find(entry, 0..loop_at.index()), find(back, body_start..body_end)) else {
            continue;
        };
        carried.push((r, entry, back));
    }
    if carried.is_empty() || !every_way_back_gives(tree, &phis) {
        return tree.clone();
    }
    rebuild(tree, &phis, body_start, &carried)
}

/// The value the side_backs `run` give `phi`.
fn side_back_value(tree: &Trace, run: &[Ref], phi: Ref) -> Option<Ref> {
    run.iter().find_map(|&s| match *tree.inst(s) {
        Inst::SideBack(p, v) if p == phi => Some(v),
        _ => None,
    })
}

/// Whether each side block that goes back to the loop gives every phi a
/// value (code generation requires it; checked here so that a carried
/// instruction can always be computed on the way back).
fn every_way_back_gives(tree: &Trace, phis: &[Ref]) -> bool {
    let mut k = 0;
    while k < tree.insts.len() {
        let run: Vec<Ref> = (k..tree.insts.len())
            .map(|i| Ref(i as u32))
            .take_while(|&s| matches!(tree.inst(s), Inst::SideBack(..)))
            .collect();
        if !run.is_empty() && phis.iter().any(|&p| side_back_value(tree, &run, p).is_none()) {
            return false;
        }
        k += run.len().max(1);
    }
    true
}

fn is_phi(tree: &Trace, r: Ref) -> bool {
    matches!(tree.inst(r), Inst::Phi(..))
}

/// `tree` with a phi per carried instruction, after the others, that its
/// uses read instead, and in every side block that goes back to the loop
/// the instruction on the values it gives the phis.
fn rebuild(tree: &Trace, phis: &[Ref], body_start: usize, carried: &[(Ref, Ref, Ref)]) -> Trace {
    let mut out = tree.clone();
    let mut order: Vec<Ref> = (0..body_start).map(|i| Ref(i as u32)).collect();
    let mut new_phi: HashMap<Ref, Ref> = HashMap::new();
    for &(r, entry, back) in carried {
        let phi = Ref(out.insts.len() as u32);
        out.insts.push(Inst::Phi(entry, back));
        new_phi.insert(r, phi);
        order.push(phi);
    }
    let mut k = body_start;
    while k < tree.insts.len() {
        let r = Ref(k as u32);
        if !matches!(tree.inst(r), Inst::SideBack(..)) {
            order.push(r);
            k += 1;
            continue;
        }
        // A side block's way back: its side_backs, one per phi.
        let run: Vec<Ref> = (k..tree.insts.len())
            .map(|i| Ref(i as u32))
            .take_while(|&s| matches!(tree.inst(s), Inst::SideBack(..)))
            .collect();
        let gives = |phi: Ref| side_back_value(tree, &run, phi);
        let mut backs = Vec::new();
        for &(r, ..) in carried {
            let mut inst = *tree.inst(r);
            inst.map_operands(
                |a| if phis.contains(&a) { gives(a).expect("checked by `every_way_back_gives`") } else { a },
            );
            let value = Ref(out.insts.len() as u32);
            out.insts.push(inst);
            order.push(value);
            backs.push(Inst::SideBack(new_phi[&r], value));
        }
        order.extend(run.iter().copied());
        for back in backs {
            order.push(Ref(out.insts.len() as u32));
            out.insts.push(back);
        }
        k += run.len();
    }
    // Past the header every use of a carried instruction reads its phi,
    // which holds the same value; the instruction is left for DCE. Phis keep
    // their operands: a back-edge version is this turn's value.
    let uses_phi = |a: Ref| new_phi.get(&a).copied().unwrap_or(a);
    for inst in &mut out.insts[body_start..] {
        if !matches!(inst, Inst::Phi(..)) {
            inst.map_operands(uses_phi);
        }
    }
    for snap in &mut out.snaps {
        for entry in &mut snap.entries {
            entry.1 = uses_phi(entry.1);
        }
    }
    reorder(&out, &order)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::parse_trace;
    use crate::opt::dce::dce;

    /// `x = x * x - c` with `x * x <= 4.0` tested after it; a side block
    /// (the test failing once) sets x back to 0.5 and goes round again.
    const SQUARES: &str = "
        trace header=0 depth=0 nlocalsplus=2
        %0 obj load_slot s0
        %1     guard_type %0 float #0
        %2 f64 unbox_float %0
        %3 f64 fconst 0.25
        %4 f64 fconst 4.0
        %5 f64 fconst 0.5
        %6 f64 fmul %2 %2
        %7 f64 fsub %6 %3
        %8 f64 fmul %7 %7
        %9 bool fcmp le %8 %4
        %10     guard_true %9 #1
        %11 ---- loop ----
        %12 f64 phi %7 %15
        %13 f64 fmul %12 %12
        %14 f64 fmul %12 %4
        %15 f64 fsub %13 %3
        %16 f64 fmul %15 %15
        %17 bool fcmp le %16 %4
        %18     guard_true %17 #2
        %19 ---- side %18 ----
        %20     side_back %12 %5
        #0 pc=0 depth=0 []
        #1 pc=8 depth=0 [s0=%7 s1=%14]
        #2 pc=8 depth=0 [s0=%15 s1=%14]
        #3 pc=0 depth=0 [s0=%12] loop";

    #[test]
    fn a_product_of_a_phi_that_both_edges_computed_becomes_a_phi() {
        let before = parse_trace(SQUARES).expect("valid trace");
        let after = dce(&carry_products(&before));
        let text = after.to_string();
        // %13 (x * x) is the pre-roll's %8 on entry and the body's %16 on
        // the back edge; the side block squares the 0.5 it gives x. `x * 4.0`
        // has no pre-roll version and stays.
        let lines: Vec<String> = text.lines().map(|l| l.split_whitespace().collect::<Vec<_>>().join(" ")).collect();
        for want in [
            "%13 f64 phi %8 %16",
            "%14 f64 fmul %12 %4",
            "%15 f64 fsub %13 %3",
            "%16 f64 fmul %15 %15",
            "%20 f64 fmul %5 %5",
            "%22 side_back %13 %20",
        ] {
            assert!(lines.iter().any(|l| l == want), "no `{want}` in\n{text}");
        }
        assert_eq!(text.matches("fmul").count(), 5, "pre-roll 2, body 2, side block 1:\n{text}");
        assert!(after.verify().is_ok(), "{text}");
    }

    #[test]
    fn nothing_changes_without_both_versions_and_side_blocks_that_leave_compute_nothing() {
        let before = parse_trace(SQUARES).expect("valid trace");
        // The test squares something else: the body's x * x has no back version.
        let other = SQUARES.replace("%16 f64 fmul %15 %15", "%16 f64 fmul %15 %4");
        let other = parse_trace(&other).expect("valid trace");
        assert_eq!(carry_products(&other).to_string(), other.to_string());
        // A side block that does not go back to the loop gives the new phi
        // nothing and computes nothing for it.
        let leaving = SQUARES.replace("%20     side_back %12 %5", "%20 f64 fconst 1.0");
        let leaving = dce(&carry_products(&parse_trace(&leaving).expect("valid trace")));
        let text = leaving.to_string();
        assert!(text.matches(" phi ").count() == 2 && !text.contains("side_back"), "{text}");
        assert_eq!(text.matches("fmul").count(), 4, "{text}");
        assert_ne!(carry_products(&before).to_string(), before.to_string());
    }
}
