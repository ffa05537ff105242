//! Loop peeling by copy-substitution (LuaJIT's LOOP, PyPy's unroll).
//!
//! What: the recorded iteration stays as the *pre-roll*, which runs once per
//! entry and holds the loads from the frame and their type guards. After a
//! `loop` marker, the iteration is emitted a second time through the fold/CSE
//! pipeline, with every read of a frame slot replaced by what the slot holds at
//! the end of the previous iteration: a `phi` for slots the loop writes, the
//! pre-roll's value for slots it only reads. In that copy a type guard on a value
//! the trace computed itself is known to pass (or known to fail: the loop is not
//! type-stable and is not compiled), unboxing an unboxed value is the value
//! itself, and an instruction whose operands are all loop-invariant is commoned
//! with its pre-roll twin. So the body keeps ints and floats unboxed in registers
//! and contains no invariant guards.
//!
//! Snapshots in the body list every loop-carried slot: the frame still holds the
//! values from entry, so an exit must write back all the slots the loop changed,
//! not only those changed in the current iteration. Unboxed phis get companion
//! phis that keep their object identity (see `identity`).
//!
//! Rejected: hoisting entry loads by a separate LICM pass over a single copy;
//! copy-substitution gets the same result from the folding rules already there
//! and also removes the guards that only the first iteration needs.

use crate::ir::{Inst, Ref, Slot, SnapId, Snapshot, Trace};
use crate::opt::fold::{Emitted, Emitter};
use crate::opt::identity::{has_identity, known_object};
use crate::opt::memory::Written;
use crate::record::{AbortReason, Recording};
use hashbrown::HashMap;

/// `bridges_write`: what the bridges to be attached write (see `memory`).
///
/// What the back edge brings is what the body writes, which is known only
/// once the body is there: the body writes less than the pre-roll when
/// commoning showed a released value to be a number. So the loop is peeled
/// assuming the pre-roll's writes, then again assuming the body's, and the
/// second is kept if its body writes no more than it assumed.
pub fn peel(recording: &Recording, bridges_write: &Written) -> Result<Trace, AbortReason> {
    let (trace, assumed, body_writes) = peel_assuming(recording, None, bridges_write)?;
    let mut tighter = body_writes;
    tighter.union(bridges_write);
    if tighter == assumed {
        return Ok(trace);
    }
    match peel_assuming(recording, Some(&tighter), bridges_write) {
        Ok((second, _, body_writes)) if body_writes.within(&tighter) => Ok(second),
        _ => Ok(trace),
    }
}

/// The peeled loop, assuming the back edge writes `loop_writes` (the
/// pre-roll's writes if `None`), with what it assumed and what its body
/// writes.
fn peel_assuming(
    recording: &Recording,
    loop_writes: Option<&Written>,
    bridges_write: &Written,
) -> Result<(Trace, Written, Written), AbortReason> {
    let pre = &recording.iteration;
    let mut e = Emitter::new(pre.clone());
    e.none = recording.none;
    let null = e.null();
    e.push(Inst::Loop);
    let mut assumed = loop_writes.cloned().unwrap_or_else(|| e.memory.written.clone());
    assumed.union(bridges_write);
    e.memory.clobber(&assumed);
    e.memory.written = Written::default();
    // A slot that ends the iteration holding an object the trace unboxed
    // (`a, b = b, a % b` moves `b`'s int into `a`) carries the unboxed value:
    // the body computes its next value unboxed, and a companion keeps the
    // object for exits.
    let carried: Vec<(Slot, Ref)> =
        recording.carried.iter().map(|&(slot, value)| (slot, unboxed(pre, value).unwrap_or(value))).collect();
    let mut phis: Vec<(Slot, Ref)> = Vec::new();
    for &(slot, value) in &carried {
        phis.push((slot, e.push(Inst::Phi(value, value))));
    }
    let mut companions: HashMap<Ref, Ref> = HashMap::new();
    for &(_, phi) in &phis {
        if has_identity(e.ty(phi)) {
            companions.insert(phi, e.push(Inst::Phi(null, null)));
        }
    }
    let phi_of: HashMap<Slot, Ref> = phis.iter().copied().collect();
    let mut copier =
        Copier { e, map: vec![None; pre.insts.len()], snaps: HashMap::new(), phis: &phis, companions: &companions };

    // Only Python code (a generic instruction) puts objects back into the
    // frame slots the pre-roll released.
    let refills_frame = pre.insts.iter().any(|i| matches!(i, Inst::Generic(..)));
    let mut twins = Vec::new();
    for r in pre.refs() {
        let mut inst = *pre.inst(r);
        if let Some(slot) = inst.entry_slot() {
            copier.map[r.index()] = Some(phi_of.get(&slot).copied().unwrap_or(r));
            continue;
        }
        if matches!(inst, Inst::ReleaseSlot(..)) && !refills_frame {
            continue;
        }
        inst.map_operands(|a| copier.map[a.index()].expect("operands are values that were copied"));
        let body_start = copier.e.trace.insts.len();
        copier.map[r.index()] = copier.copy(inst)?;
        if pre.inst(r).snap().is_some() && copier.e.trace.insts.len() > body_start {
            twins.push((r, Ref(body_start as u32)));
        }
    }

    for &(slot, phi) in &phis {
        let pre_value = carried.iter().find(|c| c.0 == slot).expect("phi per carried slot").1;
        let back = copier.map[pre_value.index()].expect("carried values are copied");
        if copier.e.ty(back) != copier.e.ty(phi) {
            return Err(AbortReason::TypeUnstable);
        }
        copier.e.trace.insts[phi.index()] = Inst::Phi(pre_value, back);
    }
    let mut header_entries = phis.clone();
    for &(slot, phi) in &phis {
        let Some(&companion) = companions.get(&phi) else { continue };
        let Inst::Phi(pre_value, back) = *copier.e.trace.inst(phi) else { unreachable!("a phi") };
        let trace = &copier.e.trace;
        let on_entry = known_object(trace, pre_value, &companions)?.unwrap_or(null);
        let on_back_edge = known_object(trace, back, &companions)?.unwrap_or(null);
        copier.e.trace.insts[companion.index()] = Inst::Phi(on_entry, on_back_edge);
        header_entries.push((slot.identity(), companion));
    }
    let header = Snapshot {
        pc: pre.header_pc,
        depth: pre.header_depth,
        entries: header_entries,
        generator: pre.generator.map(|g| g.suspended),
    };
    let body_writes = copier.e.memory.written;
    let mut trace = copier.e.trace;
    trace.snaps.push(header);
    trace.loop_snap = Some(SnapId(trace.snaps.len() as u32 - 1));
    trace.twins = twins;
    merge_equal_phis(&mut trace, &companions);
    Ok((trace, assumed, body_writes))
}

/// The pre-roll's unboxing of the int or float object `value`, if it has one
/// and the object is one the frame or the code holds (so that its companion
/// may borrow it: see `identity::known_object`).
fn unboxed(pre: &Trace, value: Ref) -> Option<Ref> {
    if !matches!(pre.inst(value), Inst::LoadSlot(_) | Inst::LoadName(..) | Inst::ConstObj(_)) {
        return None;
    }
    pre.refs().find(|&r| match *pre.inst(r) {
        Inst::UnboxInt(o, _) | Inst::UnboxFloat(o) => o == value,
        _ => false,
    })
}

/// Two loop-carried slots that always hold the same object (`b = a` in the
/// loop) get phis with the same operands. They are one value: otherwise an exit
/// would box two objects where CPython has one, and `a is b` would change. The
/// duplicate is left unused, for DCE. Companions merge with their phis only:
/// two that agree on these edges may not on a bridge's.
fn merge_equal_phis(trace: &mut Trace, companions: &HashMap<Ref, Ref>) {
    let is_companion = |r: &Ref| companions.values().any(|c| c == r);
    loop {
        let phis: Vec<Ref> =
            trace.refs().filter(|r| matches!(trace.inst(*r), Inst::Phi(..)) && !is_companion(r)).collect();
        let pair = phis
            .iter()
            .enumerate()
            .find_map(|(i, &p)| phis[i + 1..].iter().find(|&&q| trace.inst(q) == trace.inst(p)).map(|&q| (q, p)));
        let Some((duplicate, kept)) = pair else { return };
        rename(trace, duplicate, kept);
        if let (Some(&duplicate), Some(&kept)) = (companions.get(&duplicate), companions.get(&kept)) {
            rename(trace, duplicate, kept);
        }
    }
}

/// Replace every use of phi `duplicate` by `kept`.
fn rename(trace: &mut Trace, duplicate: Ref, kept: Ref) {
    let same = |r: Ref| if r == duplicate { kept } else { r };
    for (i, inst) in trace.insts.iter_mut().enumerate() {
        if i != duplicate.index() {
            inst.map_operands(same);
        }
    }
    for snap in &mut trace.snaps {
        for entry in &mut snap.entries {
            entry.1 = same(entry.1);
        }
    }
    // Leave the duplicate distinguishable so the search moves on.
    trace.insts[duplicate.index()] = Inst::Phi(duplicate, duplicate);
}

struct Copier<'p> {
    e: Emitter,
    /// Pre-roll ref -> body ref (None for guards, which define nothing).
    map: Vec<Option<Ref>>,
    /// Pre-roll snapshot -> its body version.
    snaps: HashMap<SnapId, SnapId>,
    phis: &'p [(Slot, Ref)],
    companions: &'p HashMap<Ref, Ref>,
}

impl Copier<'_> {
    /// Emit the body version of one pre-roll instruction (operands already mapped).
    fn copy(&mut self, mut inst: Inst) -> Result<Option<Ref>, AbortReason> {
        if let Some(snap) = inst.snap() {
            inst.set_snap(self.body_snapshot(snap)?);
        }
        match self.e.emit(inst) {
            Emitted::Value(r) => Ok(Some(r)),
            Emitted::Nothing => Ok(None),
            // A type guard that fails on the loop's own values: the types at the
            // end of an iteration are not those at its start.
            Emitted::AlwaysExits if matches!(inst, Inst::GuardType(..)) => Err(AbortReason::TypeUnstable),
            Emitted::AlwaysExits => Err(AbortReason::AlwaysExits),
        }
    }

    fn body_snapshot(&mut self, pre: SnapId) -> Result<SnapId, AbortReason> {
        if let Some(&s) = self.snaps.get(&pre) {
            return Ok(s);
        }
        let mut old = self.e.trace.snap(pre).clone();
        // In the body an inlined generator's state is the trace's own, also
        // before the loop's `FOR_ITER` runs it again.
        old.generator = old.generator.or(self.e.trace.generator.map(|g| g.suspended));
        let mut entries: Vec<(Slot, Ref)> = old
            .entries
            .iter()
            .map(|&(slot, v)| (slot, self.map[v.index()].expect("snapshot values are copied")))
            .collect();
        for &(slot, phi) in self.phis {
            let live = old.holds(slot, self.e.trace.nlocalsplus, self.e.trace.generator);
            if live && !entries.iter().any(|e| e.0 == slot) {
                entries.push((slot, phi));
            }
        }
        for k in 0..entries.len() {
            let (slot, v) = entries[k];
            if let Some(object) = known_object(&self.e.trace, v, self.companions)? {
                entries.push((slot.identity(), object));
            }
        }
        entries.sort_by_key(|e| e.0);
        self.e.trace.snaps.push(Snapshot { pc: old.pc, depth: old.depth, entries, generator: old.generator });
        let id = SnapId(self.e.trace.snaps.len() as u32 - 1);
        self.snaps.insert(pre, id);
        Ok(id)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The loop body, after dead code is gone, of the recorded iteration
    /// `text` peeled with the slots `carried`; `none`: the address of None.
    pub(crate) fn loop_body(text: &str, carried: Vec<(Slot, Ref)>, none: u64) -> String {
        let recording = Recording {
            iteration: crate::ir::parse_trace(text).expect("valid trace"),
            carried,
            deps: Vec::new(),
            names: std::rc::Rc::from([]),
            inlined: Vec::new(),
            steps: 1,
            start: (0, 0),
            reenters: false,
            link: None,
            none,
        };
        let peeled = peel(&recording, &Written::default()).expect("peels");
        let text = crate::opt::dce::dce(&peeled).to_string();
        text[text.find("---- loop ----").expect("a loop")..].to_string()
    }

    /// `if best is None or d < best: best = d`, recorded where `best` was a
    /// float: the loop carries `best` unboxed.
    const NONE_TEST_OF_A_CARRIED_FLOAT: &str = "
        trace header=0 depth=0 nlocalsplus=2
        %0 obj load_slot s0
        %1 obj oconst 0x1000
        %2 bool is %0 %1
        %3      guard_false %2 #0
        %4      guard_type %0 float #0
        %5 f64  unbox_float %0
        %6 obj  load_slot s1
        %7      guard_type %6 float #0
        %8 f64  unbox_float %6
        %9 bool fcmp lt %8 %5
        %10     guard_true %9 #0
        %11 f64 fadd %8 %8
        #0 pc=0 depth=0 []";

    #[test]
    fn a_none_test_of_a_number_the_loop_carries_unboxed_folds_away() {
        let carried = vec![(Slot(0), Ref(11))];
        let body = loop_body(NONE_TEST_OF_A_CARRIED_FLOAT, carried.clone(), 0x1000);
        assert!(!body.contains(" is ") && !body.contains("guard_false"), "{body}");
        assert!(body.contains("fcmp lt"), "{body}");
        // Without None's address nothing tells the constant is None: the test
        // stays, on the float, for the code generator to refuse.
        let unknown = loop_body(NONE_TEST_OF_A_CARRIED_FLOAT, carried, 0);
        assert!(unknown.contains(" is ") && unknown.contains("guard_false"), "{unknown}");
    }
}
