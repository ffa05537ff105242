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
//! A new value that a bridge gives two variables at once (`start += 1` then
//! `x = start`, on the way round an outer loop) is one object in CPython.
//! Their companions then get a tag on that edge (`tag`): an odd constant,
//! which no object's address is, and which an exit reads as "one new box for
//! all the slots whose companions hold this tag". A tag stays with the
//! variables that got it on its edge (`check_shared_values`): were it copied
//! to another, the tag's holders could be objects made on different turns.
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

/// The companion that stands for the `n`th new value a bridge gives two or
/// more variables (see the module's comment).
pub fn tag(n: u32) -> u64 {
    (u64::from(n) << 1) | 1
}

pub fn is_tag(bits: u64) -> bool {
    bits & 1 == 1
}

/// The number of the next tag, past every tag the trace uses: one edge's tag
/// must not be another's.
pub fn next_tag(trace: &Trace) -> u32 {
    let numbers = trace.insts.iter().filter_map(|i| match *i {
        Inst::ConstObj(p) if is_tag(p) => Some((p >> 1) as u32 + 1),
        _ => None,
    });
    numbers.max().unwrap_or(0)
}

fn tag_of(trace: &Trace, r: Ref) -> Option<u64> {
    match *trace.inst(r) {
        Inst::ConstObj(p) if is_tag(p) => Some(p),
        _ => None,
    }
}

/// Two variables that hold one object on some paths only (`best = y` in a
/// branch, where `y` is new each iteration) have two phis that sometimes receive
/// the same value. Unless their companions get one tag there, an exit would
/// box two objects (`best is y` would change): such loops are not compiled.
/// Where one value goes to both phis on every edge, peeling already made them
/// one phi. A tag must not reach a variable its edge did not give it to.
pub fn check_shared_values(trace: &Trace) -> Result<(), AbortReason> {
    let companions = companions(trace);
    // Per edge (the loop's back edge, then each side block's): each phi's input.
    let mut edges: Vec<Vec<(Ref, Ref)>> = vec![Vec::new()];
    for r in trace.refs() {
        match *trace.inst(r) {
            Inst::Phi(_, back) => edges[0].push((r, back)),
            Inst::Side(_) => edges.push(Vec::new()),
            Inst::SideBack(phi, v) => edges.last_mut().expect("an edge").push((phi, v)),
            _ => {}
        }
    }
    for edge in &edges {
        let input = |phi: Ref| edge.iter().find(|e| e.0 == phi).map(|e| e.1);
        let carried: Vec<(Ref, Ref, Ref)> =
            edge.iter().filter_map(|&(phi, v)| companions.get(&phi).map(|&c| (phi, v, c))).collect();
        for (k, &(phi, v, companion)) in carried.iter().enumerate() {
            if matches!(trace.inst(v), Inst::UnboxInt(..) | Inst::UnboxFloat(_)) {
                continue;
            }
            let tagged = input(companion).filter(|&c| tag_of(trace, c).is_some());
            // A constant's number (`x = y = 0.0`) that both companions take
            // as the constant's object: the one object CPython has.
            let object = input(companion).filter(|&c| matches!(trace.inst(c), Inst::ConstObj(_)) && tagged.is_none());
            for &(_, _, other) in carried[k + 1..].iter().filter(|&&(other, w, _)| other != phi && w == v) {
                if object.is_some() && object == input(other) {
                    continue;
                }
                if tagged.is_none() || tagged != input(other) {
                    return Err(AbortReason::IdentityLost);
                }
            }
        }
    }
    let companion_phis: Vec<Ref> = companions.values().copied().collect();
    let inputs = || edges.iter().flatten().filter(|e| companion_phis.contains(&e.0));
    let mut given: Vec<(u64, Vec<Ref>)> = Vec::new();
    for &(companion, v) in inputs() {
        let Some(tag) = tag_of(trace, v) else { continue };
        match given.iter_mut().find(|g| g.0 == tag) {
            Some((_, members)) => members.push(companion),
            None => given.push((tag, vec![companion])),
        }
    }
    for (_, members) in given {
        let mut holders = members.clone();
        while let Some(&(companion, _)) = inputs().find(|e| holders.contains(&e.1) && !holders.contains(&e.0)) {
            holders.push(companion);
        }
        if holders.len() > members.len() {
            return Err(AbortReason::IdentityLost);
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

    /// The pre-roll of the traces below: slots 0 and 1 are ints, unboxed.
    const TWO_INTS: &str = "
        %0  obj  load_slot s0
        %1       guard_type %0 int #0
        %2  i64  unbox_int %0 #0
        %3  obj  load_slot s1
        %4       guard_type %3 int #0
        %5  i64  unbox_int %3 #0
        %6  obj  null
        %7  i64  const 1
        %8  ---- loop ----";

    /// `x` and `y` (slots 0 and 1) count up in the body; a side block gives
    /// both one new value (`y += 5; x = y`), and their companions `t` and `u`.
    fn shared_on_a_side_edge(t: &str, u: &str, body_y_companion: &str) -> Trace {
        let text = format!(
            "trace header=0 depth=0 nlocalsplus=2
            {TWO_INTS}
            %9  i64  phi %2 %14
            %10 i64  phi %5 %15
            %11 obj  phi %0 %6
            %12 obj  phi %3 {body_y_companion}
            %13 bool icmp lt %9 %7
            %14 i64  add_ov %9 %7 #1
            %15 i64  add_ov %10 %7 #1
            %16      guard_true %13 #1
            %17 ---- side %16 ----
            %18 i64  const 5
            %19 i64  add_ov %10 %18 #1
            %20 obj  oconst 0x{:x}
            %21 obj  oconst 0x{:x}
            %22 side_back %9 %19
            %23 side_back %10 %19
            %24 side_back %11 {t}
            %25 side_back %12 {u}
            #0 pc=0 depth=0 []
            #1 pc=4 depth=0 [s0=%9 s1=%10 is0=%11 is1=%12]
            #2 pc=0 depth=0 [s0=%9 s1=%10 is0=%11 is1=%12] loop",
            tag(0),
            tag(1),
        );
        parse_trace(&text).expect("valid trace")
    }

    #[test]
    fn one_new_value_in_two_variables_is_one_object_when_both_companions_get_one_tag() {
        assert_eq!(check_shared_values(&shared_on_a_side_edge("%20", "%20", "%6")), Ok(()));
        let untagged = shared_on_a_side_edge("%6", "%6", "%6");
        assert_eq!(check_shared_values(&untagged), Err(AbortReason::IdentityLost), "two boxes at an exit");
        let two_tags = shared_on_a_side_edge("%20", "%21", "%6");
        assert_eq!(check_shared_values(&two_tags), Err(AbortReason::IdentityLost), "two boxes at an exit");
        assert_eq!(next_tag(&two_tags), 2);
        let mut gap = two_tags.clone();
        gap.insts[20] = Inst::Null;
        assert_eq!(next_tag(&gap), 2, "tag 1 is still in use");
        assert!(is_tag(tag(7)) && !is_tag(0x7f00_0000_1230));
    }

    #[test]
    fn a_constant_two_variables_get_is_its_one_object_when_both_companions_take_it() {
        // A side block sets `x = y = 5`: both phis get the number, both
        // companions the constant's object (not two boxes).
        let text = |u: &str| {
            format!(
                "trace header=0 depth=0 nlocalsplus=2
                {TWO_INTS}
                %9  i64  phi %2 %13
                %10 i64  phi %5 %10
                %11 obj  phi %0 %6
                %12 obj  phi %3 %12
                %13 i64  add_ov %9 %7 #1
                %14 bool icmp lt %13 %7
                %15      guard_true %14 #1
                %16 ---- side %15 ----
                %17 i64  const 5
                %18 obj  oconst 0x1000
                %19 obj  oconst 0x2000
                %20 side_back %9 %17
                %21 side_back %10 %17
                %22 side_back %11 %18
                %23 side_back %12 {u}
                #0 pc=0 depth=0 []
                #1 pc=4 depth=0 [s0=%9 s1=%10 is0=%11 is1=%12]
                #2 pc=0 depth=0 [s0=%9 s1=%10 is0=%11 is1=%12] loop
                numbers 0x1000=int:5 0x2000=int:5"
            )
        };
        let one_object = parse_trace(&text("%18")).expect("valid trace");
        assert_eq!(check_shared_values(&one_object), Ok(()));
        let two_objects = parse_trace(&text("%19")).expect("valid trace");
        assert_eq!(
            check_shared_values(&two_objects),
            Err(AbortReason::IdentityLost),
            "two objects for one value: not proven exact"
        );
        let one_boxed = parse_trace(&text("%6")).expect("valid trace");
        assert_eq!(check_shared_values(&one_boxed), Err(AbortReason::IdentityLost), "y would be a new box");
    }

    #[test]
    fn a_tag_copied_to_a_variable_its_edge_did_not_give_it_to_is_refused() {
        // The body copies x to a third variable (`z = x`, slot 2), its
        // companion too: after the next side edge, x and y hold a new object
        // and z the old one, all three with the one tag (maybe equal values).
        let text = format!(
            "trace header=0 depth=0 nlocalsplus=3
            {TWO_INTS}
            %9  i64  phi %2 %16
            %10 i64  phi %5 %17
            %11 obj  phi %0 %6
            %12 obj  phi %3 %6
            %13 i64  phi %2 %9
            %14 obj  phi %0 %11
            %15 bool icmp lt %9 %7
            %16 i64  add_ov %9 %7 #1
            %17 i64  add_ov %10 %7 #1
            %18      guard_true %15 #1
            %19 ---- side %18 ----
            %20 i64  const 5
            %21 i64  add_ov %10 %20 #1
            %22 obj  oconst 0x{:x}
            %23 side_back %9 %21
            %24 side_back %10 %21
            %25 side_back %11 %22
            %26 side_back %12 %22
            %27 side_back %13 %13
            %28 side_back %14 %14
            #0 pc=0 depth=0 []
            #1 pc=4 depth=0 [s0=%9 s1=%10 s2=%13 is0=%11 is1=%12 is2=%14]
            #2 pc=0 depth=0 [s0=%9 s1=%10 s2=%13 is0=%11 is1=%12 is2=%14] loop",
            tag(0)
        );
        let copied = parse_trace(&text).expect("valid trace");
        assert_eq!(check_shared_values(&copied), Err(AbortReason::IdentityLost));
        // Without the copy (z keeps its own object), the tag stays with x and y.
        let kept = parse_trace(&text.replace("%14 obj  phi %0 %11", "%14 obj  phi %0 %14")).expect("valid trace");
        assert_eq!(check_shared_values(&kept), Ok(()));
    }
}
