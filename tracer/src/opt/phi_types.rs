//! Type guards on phis whose every input is known to be of the type.
//!
//! What: a loop-carried object that a bridge replaces (the iterator of an
//! inner loop, which a bridge round the outer loop makes anew) is a phi, and
//! the loop body guards its type on every turn, though the pre-roll checked
//! the entry value and each bridge checked or made the value it brings. This
//! pass marks a guard on a phi proven (compiled code checks nothing there)
//! when every value that reaches the phi was checked to be of that type on
//! its own path: the entry value in the
//! pre-roll, the back-edge value in the body, each side block's value on the
//! way to its `side_back`.
//!
//! Why here: the inputs are known only once every bridge is attached, and a
//! new bridge rebuilds the tree from the recordings, so the guard comes back
//! whenever a new input could break the rule. The guard stays in the trace:
//! exits are named by their position among the others (`bridge::ExitPos`),
//! and the tree a new bridge attaches to still has it.
//!
//! Rejected: a general type-propagation pass over all values (the optimizer
//! issue): this is the one case nested loops need now.

use crate::ir::{Inst, PyType, Ref, Trace};

pub fn prove_phi_guards(tree: &Trace) -> Trace {
    let Some(loop_at) = tree.loop_ref() else {
        return tree.clone();
    };
    let first_side = tree.refs().find(|&r| matches!(tree.inst(r), Inst::Side(_)));
    let root_body = |r: Ref| r > loop_at && first_side.is_none_or(|s| r < s);
    let known = |phi: Ref, ty: PyType| {
        let Inst::Phi(entry, back) = *tree.inst(phi) else { return false };
        let entry_checked = checked(tree, entry, ty, (0..loop_at.0).map(Ref));
        let back_checked = back == phi || checked(tree, back, ty, tree.refs().filter(|&r| root_body(r)));
        let sides_checked = tree.refs().all(|r| match *tree.inst(r) {
            Inst::SideBack(p, v) if p == phi => checked(tree, v, ty, tree.dominating(r).into_iter()),
            _ => true,
        });
        entry_checked && back_checked && sides_checked
    };
    let mut proven = tree.clone();
    proven.proven = tree
        .refs()
        .filter(|&r| match *tree.inst(r) {
            Inst::GuardType(v, ty, _) if r > loop_at && matches!(tree.inst(v), Inst::Phi(..)) => known(v, ty),
            _ => false,
        })
        .collect();
    proven
}

/// Whether one of the instructions `among` guards `v` to be of type `ty`.
fn checked(tree: &Trace, v: Ref, ty: PyType, mut among: impl Iterator<Item = Ref>) -> bool {
    among.any(|g| matches!(*tree.inst(g), Inst::GuardType(x, t, _) if x == v && t == ty))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::parse_trace;

    /// An inner loop's range iterator in s1, which the side block (the outer
    /// loop's turn) replaces with a new one: `%12` checks it or not.
    fn tree(side_check: &str) -> Trace {
        parse_trace(&format!(
            "trace header=0 depth=1 nlocalsplus=1
             %0 obj load_slot s1
             %1     guard_type %0 range_iterator #0
             %2 i64 load_field %0 range.len
             %3 i64 const 0
             %4 ---- loop ----
             %5 obj phi %0 %5
             %6     guard_type %5 range_iterator #1
             %7 i64 load_field %5 range.len
             %8 bool icmp gt %7 %3
             %9     guard_true %8 #1
             %10 ---- side %9 ----
             %11 obj get_iter s1 %3 %3 %3 #2
             {side_check}
             %13     side_back %5 %11
             #0 pc=0 depth=1 []
             #1 pc=0 depth=1 [s1=%5]
             #2 pc=0 depth=0 []
             #3 pc=0 depth=1 [s1=%5] loop"
        ))
        .expect("valid tree")
    }

    #[test]
    fn a_phi_guard_is_proven_when_every_input_was_checked_on_its_path() {
        let checked = prove_phi_guards(&tree("%12 guard_type %11 range_iterator #2"));
        assert_eq!(checked.proven, vec![Ref(6)], "\n{checked}");
        assert!(checked.to_string().contains("proven %6"));
        let unchecked = prove_phi_guards(&tree("%12 guard_type %11 list_iterator #2"));
        assert!(unchecked.proven.is_empty(), "the side block's iterator was checked for another type");
    }
}
