//! Object identity of unboxed values.
//!
//! What: every int or float the loop carries unboxed (a phi) has a companion
//! phi of object type: the object the value already is, or NULL. It is the
//! frame's own object while the variable is unchanged, a constant's object after
//! `x = 0.0`, the other variable's object after `a, b = b, a`, and NULL once the
//! loop computed a new value. Snapshots hold the companion in the variable's
//! identity slot (`Slot::identity`), and an exit writes that object back instead
//! of boxing a new one.
//!
//! Why: CPython keeps objects where it can; boxing the same value again makes a
//! different object, which `is`, `id()` and containers can tell apart (a NaN is
//! found in a list by identity only). Without companions, a float loop that
//! resets a variable to a constant on some path could not be compiled exactly.
//!
//! Companions are borrowed: frame slots, constants and namespace entries are not
//! changed while the trace runs (an exit writes the frame only after taking its
//! own references). An element of a container has no such guarantee, so a
//! carried value that is an unboxed element loses its identity and the loop is
//! not compiled (`IdentityLost`).
//!
//! Rejected: boxing eagerly wherever identity might matter (an allocation and
//! owned references in the loop), and comparing numbers by value as PyPy does
//! (`is` would answer differently from CPython).

use crate::ir::{Inst, Ref, Trace, Ty};
use crate::record::AbortReason;
use hashbrown::HashMap;

/// Whether a carried value of this type gets a companion.
pub fn has_identity(ty: Ty) -> bool {
    matches!(ty, Ty::I64 | Ty::F64)
}

/// The object value `v` already is, if known; `None` for a value the trace
/// computed (a new object in CPython). `companions` maps phis to theirs.
pub fn known_object(trace: &Trace, v: Ref, companions: &HashMap<Ref, Ref>) -> Result<Option<Ref>, AbortReason> {
    match *trace.inst(v) {
        Inst::Phi(..) => Ok(companions.get(&v).copied()),
        Inst::UnboxInt(o, _) | Inst::UnboxFloat(o) => {
            let borrowable = match trace.inst(o) {
                Inst::LoadSlot(_) | Inst::LoadName(..) | Inst::ConstObj(_) => true,
                // An object phi carries such objects (or elements the recorder
                // keeps clear of stores).
                Inst::Phi(..) => true,
                _ => false,
            };
            if borrowable {
                Ok(Some(o))
            } else {
                Err(AbortReason::IdentityLost)
            }
        }
        _ => Ok(None),
    }
}

/// Drop the companions that are NULL on every edge (the loop only ever computes
/// new values for their variables), and identity entries that hold NULL: they
/// tell an exit nothing. Their phis and `side_back`s are then left to DCE.
pub fn drop_null_companions(trace: &Trace) -> Trace {
    let mut out = trace.clone();
    let is_null = |r: Ref| matches!(trace.inst(r), Inst::Null);
    for (_, companion) in companions(trace) {
        let Inst::Phi(on_entry, on_back_edge) = *trace.inst(companion) else { continue };
        let from_sides = trace.insts.iter().filter_map(|i| match *i {
            Inst::SideBack(phi, v) if phi == companion => Some(v),
            _ => None,
        });
        if [on_entry, on_back_edge].into_iter().chain(from_sides).all(|v| v == companion || is_null(v)) {
            for snap in &mut out.snaps {
                snap.entries.retain(|e| e.1 != companion);
            }
        }
    }
    for snap in &mut out.snaps {
        snap.entries.retain(|&(slot, v)| slot.shadowed().is_none() || !is_null(v));
    }
    out
}

/// Two variables that hold one object on some paths only (`best = y` in a
/// branch, where `y` is new each iteration) have two phis that sometimes receive
/// the same value. Companions cannot express that one object, so an exit would
/// box two (`best is y` would change): such loops are not compiled. Where one
/// value goes to both phis on every edge, peeling already made them one phi.
pub fn check_shared_values(trace: &Trace) -> Result<(), AbortReason> {
    let companions = companions(trace);
    let mut edges: Vec<Vec<(Ref, Ref)>> = vec![Vec::new()];
    for r in trace.refs() {
        match *trace.inst(r) {
            Inst::Phi(_, back) if companions.contains_key(&r) => edges[0].push((r, back)),
            Inst::Side(_) => edges.push(Vec::new()),
            Inst::SideBack(phi, v) if companions.contains_key(&phi) => {
                edges.last_mut().expect("an edge").push((phi, v))
            }
            _ => {}
        }
    }
    for edge in &edges {
        for (k, &(phi, v)) in edge.iter().enumerate() {
            let shared = edge[k + 1..].iter().any(|&(other, w)| other != phi && w == v);
            if shared && !matches!(trace.inst(v), Inst::UnboxInt(..) | Inst::UnboxFloat(_)) {
                return Err(AbortReason::IdentityLost);
            }
        }
    }
    Ok(())
}

/// The companion of each unboxed phi, from the loop snapshot.
pub fn companions(trace: &Trace) -> HashMap<Ref, Ref> {
    let Some(loop_snap) = trace.loop_snap else {
        return HashMap::new();
    };
    let entries = &trace.snap(loop_snap).entries;
    entries
        .iter()
        .filter_map(|&(slot, companion)| {
            let shadowed = slot.shadowed()?;
            let phi = entries.iter().find(|e| e.0 == shadowed)?.1;
            Some((phi, companion))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::parse_trace;
    use crate::opt::dce::dce;

    /// `x` (slot 0) is the frame's int on entry and new after each iteration;
    /// `y` (slot 1) is new on every edge, so its companion is NULL throughout.
    const TWO_COUNTERS: &str = "
        trace header=0 depth=0 nlocalsplus=2
        %0  obj  load_slot s0
        %1       guard_type %0 int #0
        %2  i64  unbox_int %0 #0
        %3  obj  null
        %4  i64  const 1
        %5  i64  add_ov %2 %4 #0
        %6  ---- loop ----
        %7  i64  phi %2 %11
        %8  i64  phi %5 %12
        %9  obj  phi %0 %3
        %10 obj  phi %3 %3
        %11 i64  add_ov %7 %4 #1
        %12 i64  add_ov %8 %4 #1
        #0 pc=0 depth=0 []
        #1 pc=4 depth=0 [s0=%7 s1=%8 is0=%9 is1=%10]
        #2 pc=0 depth=0 [s0=%7 s1=%8 is0=%9 is1=%10] loop";

    #[test]
    fn companions_that_are_null_on_every_edge_are_dropped() {
        let trace = parse_trace(TWO_COUNTERS).expect("valid trace");
        assert_eq!(companions(&trace), HashMap::from_iter([(Ref(7), Ref(9)), (Ref(8), Ref(10))]));
        assert_eq!(trace.verify(), Ok(()));
        let after = dce(&drop_null_companions(&trace));
        let expected = parse_trace(
            "trace header=0 depth=0 nlocalsplus=2
             %0  obj  load_slot s0
             %1       guard_type %0 int #0
             %2  i64  unbox_int %0 #0
             %3  obj  null
             %4  i64  const 1
             %5  i64  add_ov %2 %4 #0
             %6  ---- loop ----
             %7  i64  phi %2 %10
             %8  i64  phi %5 %11
             %9  obj  phi %0 %3
             %10 i64  add_ov %7 %4 #1
             %11 i64  add_ov %8 %4 #1
             #0 pc=0 depth=0 []
             #1 pc=4 depth=0 [s0=%7 s1=%8 is0=%9]
             #2 pc=0 depth=0 [s0=%7 s1=%8 is0=%9] loop",
        )
        .expect("valid trace");
        assert_eq!(after, expected, "\n{after}");
    }

    #[test]
    fn one_new_value_in_two_variables_on_one_edge_only_is_refused() {
        let trace = parse_trace(TWO_COUNTERS).expect("valid trace");
        assert_eq!(check_shared_values(&trace), Ok(()));
        let mut shared = trace.clone();
        shared.insts[8] = Inst::Phi(Ref(5), Ref(11));
        assert_eq!(check_shared_values(&shared), Err(AbortReason::IdentityLost), "x and y both get %11");
        let mut unboxed = trace;
        unboxed.insts[7] = Inst::Phi(Ref(2), Ref(2));
        unboxed.insts[8] = Inst::Phi(Ref(5), Ref(2));
        assert_eq!(check_shared_values(&unboxed), Ok(()), "the frame's object, which both companions hold");
    }
}
