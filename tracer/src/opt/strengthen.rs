//! Index checks of one size strengthened to the first: `a[0]`, `a[1]`,
//! `a[2]`, `a[6]` check `6 < size` once.
//!
//! What: in one straight stretch of the tree (the pre-roll, the loop body, or
//! one side block), the passing `guard_true`s of `icmp lt %k %size` with a
//! constant `k` and the same size value are a group. The first guard of each
//! group checks the largest `k` of the group instead, and the others are
//! marked proven (compiled code checks nothing there).
//!
//! Why: `bounds` drops a check implied by an earlier one, but indexing in
//! ascending order (`b[0] - a[0]`, then `b[1] - a[1]`, ...) makes every
//! check stronger than the last: n-body's loop body checked each of its two
//! lists four times. Leaving at the first check when a later one would fail
//! is exact: its snapshot is a state the interpreter resumes from, and
//! nothing after it has run. The stretch has no branch, so every guard of the
//! group runs whenever the first passes.
//!
//! The guards stay in the trace, as `phi_types`'s do: exits are named by
//! their position (`bridge::ExitPos`). A group with a bridge hanging off any
//! of its guards is left alone: a bridge there says the size does fall
//! between the checks, and the first guard's exit would take its turns. So
//! is a comparison that anything but its guard uses (a snapshot would
//! otherwise see the stronger one).
//!
//! Rejected: strengthening while recording (`bounds` runs on the fly, but
//! the later checks are not yet known there); moving the check of a value
//! loaded after the first guard (the pass only changes which constant the
//! first comparison takes, never where it runs).

use crate::ir::{Cmp, Inst, Ref, Trace};
use hashbrown::HashMap;

pub fn strengthen_index_checks(tree: &Trace) -> Trace {
    let uses = use_counts(tree);
    let with_bridge: Vec<Ref> = tree
        .insts
        .iter()
        .filter_map(|inst| match *inst {
            Inst::Side(guard) => Some(guard),
            _ => None,
        })
        .collect();
    let constant = |r: Ref| match *tree.inst(r) {
        Inst::ConstI64(k) => Some(k),
        _ => None,
    };
    // (stretch, size) -> the group's guards, in order, with their comparisons and constants.
    let mut groups: HashMap<(usize, Ref), Vec<(Ref, Ref, i64)>> = HashMap::new();
    let mut order = Vec::new();
    let mut stretch = 0;
    for r in tree.refs() {
        match *tree.inst(r) {
            Inst::Loop | Inst::Side(_) => stretch += 1,
            Inst::GuardTrue(c, _) if uses[c.index()] == 1 && !tree.proven.contains(&r) => {
                if let Inst::ICmp(Cmp::Lt, k, size) = *tree.inst(c) {
                    if let (Some(k), None) = (constant(k), constant(size)) {
                        let group = groups.entry((stretch, size)).or_default();
                        if group.is_empty() {
                            order.push((stretch, size));
                        }
                        group.push((r, c, k));
                    }
                }
            }
            _ => {}
        }
    }
    let mut out = tree.clone();
    for key @ (_, size) in order {
        let group = &groups[&key];
        if group.len() < 2 || group.iter().any(|(g, _, _)| with_bridge.contains(g)) {
            continue;
        }
        let (_, cond, _) = group[0];
        let strongest = group.iter().map(|&(_, _, k)| k).max();
        // A constant defined before the comparison (`fold` makes each once).
        let Some(k) = (0..cond.0).map(Ref).find(|&r| constant(r) == strongest) else { continue };
        out.insts[cond.index()] = Inst::ICmp(Cmp::Lt, k, size);
        out.proven.extend(group[1..].iter().map(|&(g, _, _)| g));
    }
    out
}

/// How many instructions and snapshot entries use each value.
fn use_counts(tree: &Trace) -> Vec<u32> {
    let mut uses = vec![0u32; tree.insts.len()];
    for inst in &tree.insts {
        for a in inst.operands().as_slice() {
            uses[a.index()] += 1;
        }
    }
    for snap in &tree.snaps {
        for &(_, v) in &snap.entries {
            uses[v.index()] += 1;
        }
    }
    uses
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::parse_trace;

    /// `a[0]`, `a[1]`, `a[6]` and `a[2]` of one list in the loop body (the
    /// first check of `%first`; `%14`: a side block, or not; `s1`: whether a
    /// snapshot holds `%10`).
    fn tree(first: &str, at_14: &str, s1: &str, proven: &str) -> Trace {
        parse_trace(&format!(
            "trace header=0 depth=0 nlocalsplus=2
             %0 obj load_slot s0
             %1 i64 const 0
             %2 i64 const 1
             %3 i64 const 6
             %4 i64 const 2
             %5 ---- loop ----
             %6 obj phi %0 %6
             %7 i64 load_field %6 seq.size
             %8 bool icmp lt {first} %7
             %9      guard_true %8 #0
             %10 bool icmp lt %2 %7
             %11     guard_true %10 #0
             %12 bool icmp lt %3 %7
             %13     guard_true %12 #1
             {at_14}
             %15 bool icmp lt %4 %7
             %16     guard_true %15 #0
             %17 i64 const 9
             #0 pc=0 depth=0 [s0=%6]
             #1 pc=4 depth=0 [s0=%6]
             #2 pc=0 depth=0 [s0=%6] loop
             #3 pc=4 depth=0 [s0=%6{s1}]
             {proven}"
        ))
        .expect("valid tree")
    }

    #[test]
    fn the_first_index_check_of_a_size_checks_the_largest_index_and_the_rest_are_proven() {
        let before = tree("%1", "%14 i64 const 9", "", "");
        let after = tree("%3", "%14 i64 const 9", "", "proven %11 %13 %16");
        assert_eq!(strengthen_index_checks(&before).to_string(), after.to_string());
    }

    #[test]
    fn a_group_with_a_bridge_or_a_comparison_used_elsewhere_is_left_alone() {
        let bridged = tree("%1", "%14 ---- side %13 ----", "", "");
        assert_eq!(strengthen_index_checks(&bridged).to_string(), bridged.to_string());
        // The side block starts another stretch: %16 checks on its own.
        let side_after = tree("%1", "%14 ---- side %11 ----", "", "");
        let out = strengthen_index_checks(&side_after);
        assert!(out.proven.is_empty(), "{out}");
        // %10 is in a snapshot: %8 still strengthens to %13's 6, %11 keeps its check.
        let in_snapshot = tree("%1", "%14 i64 const 9", " s1=%10", "");
        let out = strengthen_index_checks(&in_snapshot);
        assert_eq!(out.proven, vec![Ref(13), Ref(16)], "{out}");
    }
}
