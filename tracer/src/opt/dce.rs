//! Dead-code elimination.
//!
//! What: drop instructions whose value nothing needs, then renumber. Roots are
//! guards and checked arithmetic (their exit is an effect), stores, the `loop`
//! marker, and the values snapshots of live exits hold. Phis are live only if
//! something live uses them, so a loop-carried value no exit and no instruction
//! reads is not carried at all; a side block's `side_back` lives with its phi.
//!
//! Why: recording emits every stack value, and peeling leaves pre-roll values
//! the body replaced; what remains should be exactly what the machine code needs,
//! which also keeps the dump readable. Snapshots nobody references are dropped too.
//!
//! Rejected: leaving this to Cranelift. It would remove dead machine values, but
//! not the snapshot entries and phis that keep them alive.

use crate::ir::{Inst, Ref, SnapId, Trace};
use hashbrown::HashMap;

pub fn dce(trace: &Trace) -> Trace {
    let n = trace.insts.len();
    let mut live = vec![false; n];
    let mut work: Vec<Ref> = Vec::new();
    let mut side_backs: HashMap<Ref, Vec<Ref>> = HashMap::new();
    for r in trace.refs() {
        let inst = trace.inst(r);
        if let Inst::SideBack(phi, _) = *inst {
            side_backs.entry(phi).or_default().push(r);
        }
        let removable = inst.is_pure() && inst.snap().is_none()
            || matches!(
                inst,
                Inst::LoadSlot(_)
                    | Inst::LoadName(..)
                    | Inst::LoadField(..)
                    | Inst::LoadElem(..)
                    | Inst::Phi(..)
                    | Inst::SideBack(..)
            );
        if !removable {
            live[r.index()] = true;
            work.push(r);
        }
    }
    if let Some(s) = trace.loop_snap {
        mark_snapshot(trace, s, &mut live, &mut work);
    }
    while let Some(r) = work.pop() {
        let inst = *trace.inst(r);
        for &back in side_backs.get(&r).into_iter().flatten() {
            if !live[back.index()] {
                live[back.index()] = true;
                work.push(back);
            }
        }
        for &a in &inst.operands() {
            if !live[a.index()] {
                live[a.index()] = true;
                work.push(a);
            }
        }
        if let Some(s) = inst.snap() {
            mark_snapshot(trace, s, &mut live, &mut work);
        }
    }
    compact(trace, &live)
}

fn mark_snapshot(trace: &Trace, s: SnapId, live: &mut [bool], work: &mut Vec<Ref>) {
    for &(_, v) in &trace.snap(s).entries {
        if !live[v.index()] {
            live[v.index()] = true;
            work.push(v);
        }
    }
}

/// Keep the instructions marked live and the snapshots they use, renumbered.
pub(crate) fn compact(trace: &Trace, live: &[bool]) -> Trace {
    let order: Vec<Ref> = trace.refs().filter(|r| live[r.index()]).collect();
    reorder(trace, &order)
}

/// The instructions `order` lists, in that order, and the snapshots they
/// use, renumbered. Operands must come before their users.
pub(crate) fn reorder(trace: &Trace, order: &[Ref]) -> Trace {
    let mut out = Trace::new(trace.header_pc, trace.header_depth, trace.nlocalsplus);
    out.generator = trace.generator;
    out.boxed_numbers = trace.boxed_numbers.clone();
    let mut new_ref = vec![Ref(u32::MAX); trace.insts.len()];
    for &r in order {
        new_ref[r.index()] = Ref(out.insts.len() as u32);
        out.insts.push(*trace.inst(r));
    }
    let mut new_snap: Vec<Option<SnapId>> = vec![None; trace.snaps.len()];
    let mut keep_snap = |s: SnapId, out: &mut Trace| -> SnapId {
        *new_snap[s.index()].get_or_insert_with(|| {
            let mut snap = trace.snap(s).clone();
            for entry in &mut snap.entries {
                entry.1 = new_ref[entry.1.index()];
            }
            out.snaps.push(snap);
            SnapId(out.snaps.len() as u32 - 1)
        })
    };
    for i in 0..out.insts.len() {
        let mut inst = out.insts[i];
        inst.map_operands(|a| new_ref[a.index()]);
        if let Some(s) = inst.snap() {
            inst.set_snap(keep_snap(s, &mut out));
        }
        out.insts[i] = inst;
    }
    out.loop_snap = trace.loop_snap.map(|s| keep_snap(s, &mut out));
    // Exiting instructions are always live.
    out.twins = trace.twins.iter().map(|&(a, b)| (new_ref[a.index()], new_ref[b.index()])).collect();
    out.proven = trace.proven.iter().map(|&g| new_ref[g.index()]).collect();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::parse_trace;

    #[test]
    fn removes_unused_values_and_unreferenced_snapshots() {
        let before = parse_trace(
            "trace header=0 depth=0 nlocalsplus=2
             %0 load_slot s0
             %1 guard_type %0 int #1
             %2 unbox_int %0 #1
             %3 const 7
             %4 fconst 2.5
             %5 ---- loop ----
             %6 phi %2 %7
             %7 add_ov %6 %3 #2
             #0 pc=4 depth=0 []
             #1 pc=6 depth=0 []
             #2 pc=8 depth=0 [s0=%6]
             #3 pc=0 depth=0 [s0=%6] loop",
        )
        .unwrap();
        let after = dce(&before);
        let expected = parse_trace(
            "trace header=0 depth=0 nlocalsplus=2
             %0 load_slot s0
             %1 guard_type %0 int #0
             %2 unbox_int %0 #0
             %3 const 7
             %4 ---- loop ----
             %5 phi %2 %6
             %6 add_ov %5 %3 #1
             #0 pc=6 depth=0 []
             #1 pc=8 depth=0 [s0=%5]
             #2 pc=0 depth=0 [s0=%5] loop",
        )
        .unwrap();
        assert_eq!(after, expected, "\n{after}");
    }
}
