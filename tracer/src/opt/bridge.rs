//! Bridges: a hot side exit of the loop body becomes a side block.
//!
//! What: when a guard in the loop body fails often (the other side of an `if`),
//! the runtime records the path the interpreter takes from that guard's snapshot
//! to the loop's back edge. `attach` appends that recording to the trace as a
//! side block: the guard branches into it instead of leaving, and it ends by
//! jumping to the loop header with new values for the phis. Reads of frame slots
//! in the recording become the values the snapshot holds at the guard, so type
//! guards and unboxing on them fold away exactly as in loop peeling.
//!
//! Why: without it, a loop whose branch alternates leaves the compiled code and
//! re-enters it on every flip, which costs more than the interpreter saves.
//!
//! Side blocks are compiled into the same function as the loop (a trace tree),
//! so no code is patched and values stay in registers across the branch.
//! A bridge may change a variable the loop body leaves alone (a counter bumped
//! in one branch). `build_tree` then re-peels the root recording with that
//! variable loop-carried, and re-attaches every bridge. Re-peeling can add and
//! remove exits (what was invariant may vary now), so bridges are named by the
//! bytecode position they start from, not by a count of exits.
//!
//! A guard inside a side block can grow a bridge too (a second `if` after
//! the one the side block took): its side block is appended after its
//! parent's, and sees the values of the root up to the parent's guard and of
//! the parent's block up to its own guard (`dominating`).
//!
//! A pre-roll guard grows one only where the body does not rely on what the
//! pre-roll had not done yet (`bridgeable`): the pre-roll runs once per entry,
//! so most of its exits are rarely hot.

use crate::ir::{ElementArray, Inst, PyType, Ref, Slot, SnapId, Snapshot, Trace, Ty};
use crate::opt::fold::{Emitted, Emitter};
use crate::opt::identity::{self, known_object};
use crate::opt::memory::Written;
use crate::opt::{finish_stages, loop_tree_stages};
use crate::record::{AbortReason, Recording};
use hashbrown::HashMap;
use std::hash::{Hash, Hasher};

/// Where a bridge hangs off the tree: the side block it is in (a digest of
/// that block's own `ExitPos`, 0 for the root trace), in the pre-roll or the
/// body, the bytecode offset its snapshot resumes at, the kind of instruction
/// that leaves, and which of the exits alike in all that it is. A bridge
/// attached to another exit than the one it was recorded from would still be
/// exact (it starts from the same frame state at the same offset and guards
/// what it relies on), but would not be the path the program takes.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct ExitPos {
    pub block: u64,
    pub in_body: bool,
    pub pc: u32,
    pub kind: std::mem::Discriminant<Inst>,
    pub nth: u32,
}

/// The tree's instructions that can leave it, in the root trace and in side
/// blocks, with their positions.
pub fn tree_exits(tree: &Trace) -> Vec<(Ref, ExitPos)> {
    let loop_at = tree.loop_ref();
    let mut seen: HashMap<(u64, bool, u32, std::mem::Discriminant<Inst>), u32> = HashMap::new();
    let mut exits: Vec<(Ref, ExitPos)> = Vec::new();
    let mut block = 0;
    for r in tree.refs() {
        if let Inst::Side(guard) = *tree.inst(r) {
            let parent = exits.iter().find(|e| e.0 == guard).map(|e| e.1);
            block = parent.map_or(u64::MAX, |p| {
                let mut digest = std::hash::DefaultHasher::new();
                p.hash(&mut digest);
                digest.finish()
            });
            continue;
        }
        let Some(snap) = tree.inst(r).snap() else {
            continue;
        };
        let in_body = loop_at.is_some_and(|l| r > l);
        let pc = tree.snap(snap).pc;
        let kind = std::mem::discriminant(tree.inst(r));
        let nth = seen.entry((block, in_body, pc, kind)).or_insert(0);
        exits.push((r, ExitPos { block, in_body, pc, kind, nth: *nth }));
        *nth += 1;
    }
    exits
}

/// Whether a bridge from `guard` may jump to the loop header. From the body it
/// may. From the pre-roll only if the body does not rely on what the pre-roll
/// had not done yet at the guard: every exiting pre-roll instruction from the
/// guard on must be checked again in the body (not commoned away as invariant),
/// and the body may use no pre-roll value defined from the guard on.
pub fn bridgeable(tree: &Trace, guard: Ref) -> bool {
    let Some(loop_at) = tree.loop_ref() else {
        return false;
    };
    // A generic instruction leaves after it ran, where a bridge could not start;
    // a release of a stack slot leaves for the exit's write of the frame to
    // release it, which a bridge would skip.
    let generic = match *tree.inst(guard) {
        Inst::Generic(..) => true,
        Inst::ReleaseSlot(slot, _) => {
            slot.0 >= tree.nlocalsplus && slot.name_index().is_none() && slot.generator_index().is_none()
        }
        _ => false,
    };
    // An inlined generator's state is in the trace's values, which a bridge
    // recorded from the frames would not know (not done yet).
    let leaves_anyway = matches!(tree.inst(guard), Inst::Reenter(_));
    if generic
        || leaves_anyway
        || tree.inst(guard).gives_up()
        || tree.generator.is_some()
        || tree.inst(guard).snap().is_none()
    {
        return false;
    }
    // A side block runs where its parent's bridge would: it may grow one
    // where its parent may.
    if let Some((_, parent)) = tree.side_block_of(guard) {
        return bridgeable(tree, parent);
    }
    if guard > loop_at {
        return true;
    }
    // Constants have no position: codegen materializes them at function entry.
    let not_yet_done = |r: &Ref| (guard..loop_at).contains(r) && !tree.inst(*r).is_const();
    let twinned = |r: Ref| tree.twins.iter().any(|t| t.0 == r);
    let checked_again = (guard.0..loop_at.0).map(Ref).filter(|&r| tree.inst(r).snap().is_some()).all(twinned);
    let body = tree.refs().skip(loop_at.index() + 1).take_while(|&r| !matches!(tree.inst(r), Inst::Side(_)));
    let relies_on_rest = body.into_iter().any(|r| {
        let inst = tree.inst(r);
        let operands = inst.operands();
        // A phi's first operand is replaced by the side block's own value.
        let used = if matches!(inst, Inst::Phi(..)) { &operands.as_slice()[1..] } else { operands.as_slice() };
        let in_snapshot = inst.snap().is_some_and(|s| tree.snap(s).entries.iter().any(|e| not_yet_done(&e.1)));
        used.iter().any(not_yet_done) || in_snapshot
    });
    checked_again && !relies_on_rest
}

/// The compiled loop: the root recording, peeled, with every bridge attached.
pub fn build_tree(root: &Recording, bridges: &[(ExitPos, Recording)]) -> Result<Trace, AbortReason> {
    build_tree_stages(root, bridges, &mut |_, _| {})
}

/// `build_tree`, showing `stage` the tree after each pass.
pub(super) fn build_tree_stages(
    root: &Recording,
    bridges: &[(ExitPos, Recording)],
    stage: &mut dyn FnMut(&str, &Trace),
) -> Result<Trace, AbortReason> {
    let mut extra: Vec<(Slot, Ty)> = Vec::new();
    // A bridge that enters the trace again changes no value the loop carries.
    for (_, bridge) in bridges.iter().filter(|b| !b.1.reenters && b.1.link.is_none()) {
        for &(slot, v) in &bridge.carried {
            let carried = root.carried.iter().any(|c| c.0 == slot) || extra.iter().any(|e| e.0 == slot);
            if !carried {
                extra.push((slot, type_in_tree(root, bridge, v)));
            }
        }
    }
    let root = if extra.is_empty() { root.clone() } else { carry_more(root, &extra) };
    // What the side blocks write is known precisely (which element of which
    // array) only once they are attached: the tree is grown assuming each
    // bridge writes any element it stores to, then again assuming what the
    // side blocks turned out to write, and the second is kept if its side
    // blocks write no more than that (see `memory`).
    let mut widened = Written::default();
    for (_, bridge) in bridges {
        widened.union(&Emitter::new(bridge.iteration.clone()).memory.written.widened());
    }
    let mut stages = Vec::new();
    let mut tree = grow(&root, bridges, &widened, &mut stages)?;
    let precise = side_block_writes(&tree);
    if precise != widened {
        let mut second_stages = Vec::new();
        if let Ok(second) = grow(&root, bridges, &precise, &mut second_stages) {
            if side_block_writes(&second).within(&precise) {
                (tree, stages) = (second, second_stages);
            }
        }
    }
    for (name, trace) in &stages {
        stage(name, trace);
    }
    finish_stages(&tree, stage)
}

/// The root peeled assuming the side blocks write `side_writes`, with every
/// bridge attached; the stages on the way are pushed to `stages`.
fn grow(
    root: &Recording,
    bridges: &[(ExitPos, Recording)],
    side_writes: &Written,
    stages: &mut Vec<(String, Trace)>,
) -> Result<Trace, AbortReason> {
    let mut stage = |name: &str, trace: &Trace| stages.push((name.to_string(), trace.clone()));
    let mut tree = loop_tree_stages(root, side_writes, &mut stage)?;
    for (exit, bridge) in bridges {
        let guard = tree_exits(&tree).iter().find(|e| e.1 == *exit).map(|e| e.0);
        let guard = guard.ok_or(AbortReason::NotYetImplemented("bridge guard vanished".into()))?;
        tree = attach(&tree, guard, bridge)?;
        stage(&format!("bridge at {guard}"), &tree);
    }
    Ok(tree)
}

/// What the side blocks of `tree` write, in its values.
fn side_block_writes(tree: &Trace) -> Written {
    let first_side = tree.refs().find(|&r| matches!(tree.inst(r), Inst::Side(_)));
    let sides: Vec<Ref> = first_side.map_or_else(Vec::new, |s| tree.refs().skip(s.index()).collect());
    Emitter::new_reusing(tree.clone(), &sides).memory.written
}

/// The type a bridge's value will have once attached: a value the bridge only
/// moved from a slot the loop carries has that slot's (unboxed) type there.
fn type_in_tree(root: &Recording, bridge: &Recording, v: Ref) -> Ty {
    let moved_from = bridge.iteration.inst(v).entry_slot();
    let carried = moved_from.and_then(|slot| root.carried.iter().find(|c| c.0 == slot));
    carried.map_or_else(|| bridge.iteration.ty(v), |&(_, r)| root.iteration.ty(r))
}

/// The root recording with more loop-carried slots: each is read from the frame
/// at the end of the pre-roll (the pre-roll did not change it) and unboxed to the
/// type a bridge gives it, so the loop can carry it in a register.
fn carry_more(root: &Recording, extra: &[(Slot, Ty)]) -> Recording {
    let mut e = Emitter::new(root.iteration.clone());
    let at_end = Snapshot {
        pc: root.iteration.header_pc,
        depth: root.iteration.header_depth,
        entries: root.carried.clone(),
        generator: None,
    };
    e.trace.snaps.push(at_end);
    let snap = SnapId(e.trace.snaps.len() as u32 - 1);
    let mut carried = root.carried.clone();
    // Nothing but Python code (a generic instruction) or a release writes a
    // frame slot the pre-roll loaded: that load is still what it holds.
    let loaded = |slot: Slot| {
        let rewritten = root.iteration.insts.iter().any(|i| match *i {
            Inst::Generic(..) => true,
            Inst::ReleaseSlot(s, _) => s == slot,
            _ => false,
        });
        let load = root.iteration.refs().find(|&r| *root.iteration.inst(r) == Inst::LoadSlot(slot));
        load.filter(|_| !rewritten)
    };
    for &(slot, ty) in extra {
        if let Some(load) = loaded(slot).filter(|_| ty == Ty::Obj) {
            carried.push((slot, load));
            continue;
        }
        let obj = match slot.name_index() {
            Some(i) => {
                let key = e.push(Inst::ConstObj(root.names[i as usize]));
                e.push(Inst::LoadName(slot, key))
            }
            None => e.push(Inst::LoadSlot(slot)),
        };
        let value = match ty {
            Ty::I64 => e.push_guarded(Inst::GuardType(obj, PyType::Int, snap), Inst::UnboxInt(obj, snap)),
            Ty::F64 => e.push_guarded(Inst::GuardType(obj, PyType::Float, snap), Inst::UnboxFloat(obj)),
            Ty::Bool => e.push_guarded(Inst::GuardType(obj, PyType::Bool, snap), Inst::UnboxBool(obj)),
            Ty::Obj | Ty::Void => obj,
        };
        carried.push((slot, value));
    }
    carried.sort_by_key(|c| c.0);
    Recording {
        iteration: e.trace,
        carried,
        deps: root.deps.clone(),
        names: root.names.clone(),
        inlined: root.inlined.clone(),
        steps: root.steps,
        start: root.start,
        reenters: false,
        link: None,
        none: root.none,
    }
}

/// Append `bridge`, recorded from the snapshot of `guard`, as a side block.
pub fn attach(tree: &Trace, guard: Ref, bridge: &Recording) -> Result<Trace, AbortReason> {
    if tree.loop_ref().is_none() {
        return Err(AbortReason::NotYetImplemented("bridge without a loop".into()));
    }
    let exit_snap = tree.inst(guard).snap().filter(|_| bridgeable(tree, guard));
    let Some(exit_snap) = exit_snap else {
        return Err(AbortReason::NotYetImplemented("bridge from an exit the loop body relies on".into()));
    };
    let at_guard = tree.snap(exit_snap).clone();
    if (at_guard.pc, at_guard.depth) != bridge.start {
        return Err(AbortReason::NotYetImplemented("bridge recorded from another frame state".into()));
    }
    // A store into a list may free an element the root read and still holds (in
    // a phi, or in a variable or on the stack where the bridge starts), unless
    // the path to the guard checked it is of a type no store releases.
    let before = tree.dominating(guard);
    // A new inner iterator goes into a frame slot below the frame's stack
    // top, which a generic instruction on the way may have lowered (its write
    // of the frame would then not count the iterator as the frame's).
    let makes_iterators = bridge.iteration.insts.iter().any(|i| matches!(i, Inst::GetIter(..)));
    if makes_iterators && before.iter().any(|&r| matches!(tree.inst(r), Inst::Generic(..))) {
        return Err(AbortReason::NotYetImplemented("a new inner iterator after a generic instruction".into()));
    }
    let is_element = |r: Ref| matches!(tree.inst(r), Inst::LoadElem(..));
    let held_element = |r: Ref| is_element(r) && !tree.guarded_unreleasable(r, before.iter().copied());
    // A phi's value comes round from the end of a block, having passed every
    // guard of that block.
    let block_end = |r: Ref| tree.refs().skip(r.index()).find(|&s| matches!(tree.inst(s), Inst::Side(_)));
    let carried_element = |r: Ref| {
        let rest = tree.refs().skip(r.index()).take_while(|&s| Some(s) != block_end(r));
        is_element(r) && !tree.guarded_unreleasable(r, rest)
    };
    let side_backs = tree.insts.iter().filter_map(|i| if let Inst::SideBack(_, v) = *i { Some(v) } else { None });
    let phi_inputs = tree.insts.iter().flat_map(|i| match *i {
        Inst::Phi(a, b) => vec![a, b],
        _ => Vec::new(),
    });
    // Only a store into an array of the element's kind (or an unknown one)
    // can free it.
    let recorded = &bridge.iteration;
    let stored_arrays: Vec<Option<ElementArray>> = recorded
        .insts
        .iter()
        .filter_map(|i| if let Inst::StoreElem(base, ..) = *i { Some(recorded.element_array(base)) } else { None })
        .collect();
    let freeable = |r: Ref| {
        let read = if let Inst::LoadElem(base, ..) = *tree.inst(r) { tree.element_array(base) } else { None };
        stored_arrays.iter().any(|&written| Trace::arrays_may_meet(read, written))
    };
    let phi_elements = phi_inputs.chain(side_backs).any(|r| carried_element(r) && freeable(r));
    if phi_elements || at_guard.entries.iter().any(|e| held_element(e.1) && freeable(e.1)) {
        return Err(AbortReason::NotYetImplemented("an element read from a container is kept across a store".into()));
    }
    let companions = identity::companions(tree);
    let is_companion = |r: &Ref| companions.values().any(|c| c == r);
    let phis: Vec<Ref> = tree.refs().filter(|r| matches!(tree.inst(*r), Inst::Phi(..)) && !is_companion(r)).collect();
    let phi_slots: Vec<(Slot, Ref)> = tree
        .snap(tree.loop_snap.expect("a looped trace has a loop snapshot"))
        .entries
        .iter()
        .copied()
        .filter(|e| e.0.shadowed().is_none())
        .collect();

    let mut e = Emitter::new_reusing(tree.clone(), &before);
    e.none = bridge.none;
    e.trace.boxed_numbers.extend(&bridge.iteration.boxed_numbers);
    let marker = e.push(Inst::Side(guard));
    let mut side = SideCopy {
        e,
        map: vec![None; bridge.iteration.insts.len()],
        snaps: HashMap::new(),
        at_guard: &at_guard,
        before: &before,
        companions: &companions,
    };
    // The frame slots the path to the guard has released (no generic
    // instruction puts objects back) or whose entry value's release is quiet.
    let refills_frame = tree.insts.iter().any(|i| matches!(i, Inst::Generic(..)));
    let released_by_root = |slot: Slot| {
        let released = before.iter().any(|&r| matches!(*tree.inst(r), Inst::ReleaseSlot(s, _) if s == slot));
        (released && !refills_frame) || tree.entry_value_is_quiet(slot, before.iter().copied())
    };
    for r in bridge.iteration.refs() {
        let mut inst = *bridge.iteration.inst(r);
        if matches!(inst, Inst::ReleaseSlot(slot, _) if released_by_root(slot)) {
            continue;
        }
        inst.map_operands(|a| side.map[a.index()].expect("operands are values that were copied"));
        if let Some(slot) = inst.entry_slot() {
            side.map[r.index()] = Some(side.slot_at_guard(slot, tree, Some(inst))?);
            continue;
        }
        if let Some(s) = inst.snap() {
            let snap = side.snapshot(bridge.iteration.snap(s), s)?;
            inst.set_snap(snap);
        }
        side.map[r.index()] = match side.e.emit(inst) {
            Emitted::Value(v) => Some(v),
            Emitted::Nothing => None,
            Emitted::AlwaysExits => return Err(AbortReason::AlwaysExits),
        };
    }

    if bridge.reenters || bridge.link.is_some() || in_reentering_block(tree, guard) {
        // The frame at the loop header (or at the other loop's it links
        // to): the guard's snapshot with what the bridge changed on top
        // (`SideCopy::snapshot`).
        let (pc, depth) = bridge.link.unwrap_or((tree.header_pc, tree.header_depth));
        let header = Snapshot { pc, depth, entries: bridge.carried.clone(), generator: None };
        let at_header = side.snapshot(&header, SnapId(u32::MAX))?;
        side.e.push(Inst::Reenter(at_header));
        return Ok(side.e.trace);
    }
    let written: HashMap<Slot, Ref> =
        bridge.carried.iter().map(|&(s, v)| (s, side.map[v.index()].expect("copied"))).collect();
    if written.keys().any(|s| !phi_slots.iter().any(|p| p.0 == *s)) {
        return Err(AbortReason::NotYetImplemented("bridge changes a variable the loop does not".into()));
    }
    let mut ends: Vec<(Slot, Ref)> = Vec::new();
    for &(slot, _) in &phi_slots {
        let value = match written.get(&slot) {
            Some(&v) => v,
            None => side.slot_at_guard(slot, tree, None)?,
        };
        ends.push((slot, value));
    }
    // From a pre-roll guard, a slot the pre-roll had not loaded yet is still the
    // frame's object: unbox it, leaving at the loop header if its type is wrong.
    let mut header_entries = ends.clone();
    for &(slot, v) in &ends {
        if let Some(object) = known_object(&side.e.trace, v, &companions)? {
            header_entries.push((slot.identity(), object));
        }
    }
    let header = Snapshot { pc: tree.header_pc, depth: tree.header_depth, entries: header_entries, generator: None };
    side.e.trace.snaps.push(header);
    let at_header = SnapId(side.e.trace.snaps.len() as u32 - 1);
    // Slots whose values the loop keeps as one (aliases) share a phi; the bridge
    // must keep them one too.
    let mut backs = Vec::new();
    for phi in phis {
        let values: Vec<Ref> =
            phi_slots.iter().zip(&ends).filter(|(p, _)| p.1 == phi).map(|(_, &(_, value))| value).collect();
        if values.windows(2).any(|w| w[0] != w[1]) {
            return Err(AbortReason::NotYetImplemented("bridge separates variables the loop keeps as one".into()));
        }
        backs.push((phi, side.unboxed_as(values[0], side.e.ty(phi), at_header)?, values[0]));
    }
    // A new value two variables with companions get is one object: their
    // companions get one tag (see `identity`).
    let mut tags: Vec<(Ref, Ref)> = Vec::new();
    let mut next_tag = identity::next_tag(&side.e.trace);
    for &(phi, value, source) in &backs {
        side.e.push(Inst::SideBack(phi, value));
        let Some(&companion) = companions.get(&phi) else { continue };
        let object = match known_object(&side.e.trace, value, &companions)? {
            Some(object) => object,
            // A constant `unboxed_as` took the number of (`y = 7.0`): still that object.
            None if side.e.trace.boxed_number(source).is_some() => source,
            None if backs.iter().filter(|&&(p, v, _)| v == value && companions.contains_key(&p)).count() > 1 => {
                match tags.iter().find(|t| t.0 == value) {
                    Some(&(_, tag)) => tag,
                    None => {
                        let Emitted::Value(tag) = side.e.emit(Inst::ConstObj(identity::tag(next_tag))) else {
                            unreachable!("a constant is a value")
                        };
                        next_tag += 1;
                        tags.push((value, tag));
                        tag
                    }
                }
            }
            None => side.e.null(),
        };
        side.e.push(Inst::SideBack(companion, object));
    }
    if frees_carried_element(&side.e.trace, marker) {
        return Err(AbortReason::NotYetImplemented(
            "a bridge carries an element round the loop past a store that may free it".into(),
        ));
    }
    Ok(side.e.trace)
}

/// Whether a store of `tree` may free an element that the side block at
/// `marker` carries into a phi while the phi still holds it: in the next
/// turn the store runs before anything rebinds the variable, and something
/// after the store reads the phi (or the value goes on into another phi).
/// `attach` checks the bridge's own stores against what the tree carries;
/// this is the other way round, the tree's stores against what the bridge
/// carries. A phi holds a list element borrowed, so such a store would leave
/// it dangling.
fn frees_carried_element(tree: &Trace, marker: Ref) -> bool {
    // Per instruction, where it runs relative to the root trace: itself in
    // the root, the root guard its block hangs off in a side block.
    let mut fork: Vec<Ref> = Vec::with_capacity(tree.insts.len());
    let mut block_fork = None;
    for r in tree.refs() {
        if let Inst::Side(guard) = *tree.inst(r) {
            block_fork = Some(fork[guard.index()]);
        }
        fork.push(block_fork.unwrap_or(r));
    }
    tree.side_block(marker).any(|back| {
        let Inst::SideBack(phi, v) = *tree.inst(back) else { return false };
        let Inst::LoadElem(base, ..) = *tree.inst(v) else { return false };
        if tree.guarded_unreleasable(v, tree.dominating(back).into_iter()) {
            return false;
        }
        let read = tree.element_array(base);
        let may_free = |s: Ref| match *tree.inst(s) {
            Inst::StoreElem(written, ..) => Trace::arrays_may_meet(read, tree.element_array(written)),
            _ => false,
        };
        tree.refs().any(|s| may_free(s) && read_after(tree, &fork, phi, s))
    })
}

/// Whether the value of `phi` may be read after `store` in the same turn, or
/// goes on into another phi. An instruction in a side block runs after a
/// store of the root trace if the block hangs (through its parents) off a
/// guard after the store (`fork` holds that guard per instruction); after a
/// store in a side block, everything later in the tree counts.
fn read_after(tree: &Trace, fork: &[Ref], phi: Ref, store: Ref) -> bool {
    let store_in_root = fork[store.index()] == store;
    let after = |r: Ref| if store_in_root { fork[r.index()] > store } else { r > store };
    tree.refs().any(|r| match *tree.inst(r) {
        Inst::Phi(_, back) => back == phi && r != phi,
        Inst::SideBack(target, v) => v == phi && target != phi,
        ref inst => {
            let reads = inst.operands().as_slice().contains(&phi)
                || inst.snap().is_some_and(|s| tree.snap(s).entries.iter().any(|e| e.1 == phi));
            reads && after(r)
        }
    })
}

/// Whether `guard` is in a side block that leaves to enter the trace again:
/// a bridge from there goes the same way round.
fn in_reentering_block(tree: &Trace, guard: Ref) -> bool {
    tree.side_block_of(guard).is_some_and(|(marker, _)| tree.side_block_reenters(marker))
}

struct SideCopy<'a> {
    e: Emitter,
    /// Bridge ref -> tree ref (None for guards).
    map: Vec<Option<Ref>>,
    /// Bridge snapshot -> tree snapshot.
    snaps: HashMap<SnapId, SnapId>,
    /// What the frame should hold at the guard: the snapshot the guard exits with.
    at_guard: &'a Snapshot,
    /// The instructions that ran before the guard (see `dominating`).
    before: &'a [Ref],
    companions: &'a HashMap<Ref, Ref>,
}

impl SideCopy<'_> {
    /// `value` as a value of type `ty`, guarding and unboxing a frame object.
    fn unboxed_as(&mut self, value: Ref, ty: Ty, snap: SnapId) -> Result<Ref, AbortReason> {
        let have = self.e.ty(value);
        if have == ty {
            return Ok(value);
        }
        let (class, unbox) = match ty {
            Ty::I64 if have == Ty::Obj => (PyType::Int, Inst::UnboxInt(value, snap)),
            Ty::F64 if have == Ty::Obj => (PyType::Float, Inst::UnboxFloat(value)),
            Ty::Bool if have == Ty::Obj => (PyType::Bool, Inst::UnboxBool(value)),
            _ => return Err(AbortReason::TypeUnstable),
        };
        let guard = Inst::GuardType(value, class, snap);
        if self.e.trace.boxed_number(value).is_some() {
            // A constant (`zr = 0.0`): the folding rules decide the guard and
            // give its number.
            if self.e.emit(guard) != Emitted::Nothing {
                return Err(AbortReason::TypeUnstable);
            }
            return match self.e.emit(unbox) {
                Emitted::Value(number) => Ok(number),
                _ => Err(AbortReason::TypeUnstable),
            };
        }
        Ok(self.e.push_guarded(guard, unbox))
    }

    /// The value slot `slot` holds when the guard fails: the snapshot's entry, or
    /// what the frame held on entry to the trace (loaded on the path to the
    /// guard, or by `load` here).
    fn slot_at_guard(&mut self, slot: Slot, tree: &Trace, load: Option<Inst>) -> Result<Ref, AbortReason> {
        if let Some(&(_, v)) = self.at_guard.entries.iter().find(|e| e.0 == slot) {
            return Ok(v);
        }
        if let Some(&loaded) = self.before.iter().find(|&&r| tree.inst(r).entry_slot() == Some(slot)) {
            return Ok(loaded);
        }
        match (load, slot.name_index()) {
            (Some(inst), _) => Ok(self.e.push(inst)),
            (None, None) => Ok(self.e.push(Inst::LoadSlot(slot))),
            (None, Some(_)) => Err(AbortReason::NotYetImplemented("bridge needs a name the loop never read".into())),
        }
    }

    /// A bridge snapshot lists what the bridge changed relative to the frame as the
    /// exit left it; in the tree the frame is still as the trace found it, so the
    /// guard's own snapshot lies underneath (minus stack slots since popped).
    fn snapshot(&mut self, snap: &Snapshot, id: SnapId) -> Result<SnapId, AbortReason> {
        if let Some(&s) = self.snaps.get(&id) {
            return Ok(s);
        }
        let nlocalsplus = self.e.trace.nlocalsplus;
        let mut entries: Vec<(Slot, Ref)> =
            self.at_guard.entries.iter().copied().filter(|e| e.0.live_at(nlocalsplus, snap.depth)).collect();
        for &(slot, v) in &snap.entries {
            let v = self.map[v.index()].expect("snapshot values are copied");
            entries.retain(|e| e.0 != slot && e.0 != slot.identity());
            entries.push((slot, v));
            if let Some(object) = known_object(&self.e.trace, v, self.companions)? {
                entries.push((slot.identity(), object));
            }
        }
        entries.sort_by_key(|e| e.0);
        self.e.trace.snaps.push(Snapshot { pc: snap.pc, depth: snap.depth, entries, generator: snap.generator });
        let new = SnapId(self.e.trace.snaps.len() as u32 - 1);
        self.snaps.insert(id, new);
        Ok(new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::parse_trace;

    /// A counting loop over slot 0 with an invariant flag in slot 1: `%7` checks
    /// the flag in the pre-roll only (commoned away in the body); `%10` checks
    /// the counter and is re-checked in the body as `%16`.
    const TREE: &str = "
        trace header=0 depth=0 nlocalsplus=2
        %0  obj  load_slot s0
        %1       guard_type %0 int #0
        %2  i64  unbox_int %0 #0
        %3  obj  load_slot s1
        %4       guard_type %3 int #0
        %5  i64  unbox_int %3 #0
        %6  bool itruth %5
        %7       guard_true %6 #0
        %8  i64  const 10
        %9  bool icmp lt %2 %8
        %10      guard_true %9 #1
        %11 i64  const 1
        %12 i64  add_ov %2 %11 #1
        %13 ---- loop ----
        %14 i64  phi %12 %17
        %15 bool icmp lt %14 %8
        %16      guard_true %15 #2
        %17 i64  add_ov %14 %11 #2
        #0 pc=0 depth=0 []
        #1 pc=8 depth=0 []
        #2 pc=8 depth=0 [s0=%14]
        #3 pc=0 depth=0 [s0=%14] loop
        twins %10=%16 %12=%17";

    #[test]
    fn only_exits_the_body_does_not_rely_on_may_grow_bridges() {
        let mut tree = parse_trace(TREE).expect("valid trace");
        assert!(bridgeable(&tree, Ref(16)), "a body guard");
        assert!(bridgeable(&tree, Ref(10)), "re-checked in the body; constants after it do not count");
        assert!(!bridgeable(&tree, Ref(7)), "the invariant flag is checked only in the pre-roll");
        assert!(!bridgeable(&tree, Ref(4)), "the body uses %5, unboxed after this guard");
        tree.twins.clear();
        assert!(!bridgeable(&tree, Ref(10)), "without its twin the body would not check it again");
    }

    /// `TREE`'s body with a side block off `%16` (the counter reached 10: add
    /// 2 instead while below 20) and, off that block's own guard `%22`, a
    /// nested one.
    fn nested_tree(nested_uses: &str) -> Result<Trace, String> {
        let body = TREE.split("#0 pc=0").next().expect("snapshots follow");
        let text = format!(
            "{body}
            %18 ---- side %16 ----
            %19 i64  const 20
            %20 bool icmp lt %14 %19
            %21 i64  add_ov %14 %11 #4
            %22      guard_true %20 #4
            %23      side_back %14 %21
            %24 ---- side %22 ----
            %25      side_back %14 {nested_uses}
            #0 pc=0 depth=0 []
            #1 pc=8 depth=0 []
            #2 pc=8 depth=0 [s0=%14]
            #3 pc=0 depth=0 [s0=%14] loop
            #4 pc=12 depth=0 [s0=%14]
            twins %10=%16 %12=%17"
        );
        let tree = parse_trace(&text)?;
        tree.verify()?;
        Ok(tree)
    }

    #[test]
    fn a_side_blocks_guard_grows_a_nested_bridge_that_sees_only_its_path() {
        let tree = nested_tree("%21").expect("valid tree");
        let before: Vec<u32> = tree.dominating(Ref(22)).iter().map(|r| r.0).collect();
        assert_eq!(before, [(0..16).collect::<Vec<u32>>(), (18..22).collect()].concat(), "not %16..%18");
        assert!(bridgeable(&tree, Ref(22)), "its parent, a body guard, is bridgeable");
        let exits = tree_exits(&tree);
        let block_of = |r: u32| exits.iter().find(|e| e.0 == Ref(r)).map(|e| e.1.block).expect("an exit");
        assert_eq!((block_of(16), block_of(10)), (0, 0));
        assert_ne!(block_of(22), 0, "named by the side block it is in");
        assert_eq!(tree_exits(&tree.clone()), exits, "the same tree names its exits alike");
        let err = nested_tree("%17").expect_err("%17 runs after the nested block's parent guard");
        assert!(err.contains("not defined before use"), "{err}");
    }

    /// The root stores a number into `xs[0]` (s1) and, after the store, its
    /// guard `%13` may hold `prev` (s2, the phi `%6`) in its snapshot; the
    /// side block off `%13` sets `prev = xs[0]`, or an element at the start
    /// of the `base` array of s1 when that is not a list's items. `snapshot`
    /// is what the exit at `%13` holds, `guard` what the block checks of the
    /// element.
    fn carrying_tree(snapshot: &str, guard: &str, base: &str) -> Trace {
        let text = format!(
            "trace header=0 depth=0 nlocalsplus=3
            %0  obj  load_slot s1
            %1  obj  load_slot s2
            %2  i64  const 0
            %3  f64  fconst 1.5
            %4  bool bconst true
            %5  ---- loop ----
            %6  obj  phi %1 %6
            %7  i64  load_field %0 {base}
            %8  i64  add %7 %2
            %9  obj  load_elem %8 %2 array
            %10      guard_type %9 float #0
            %11 i64  load_field %0 list.items
            %12      store_elem %11 %2 %3 #0
            %13      guard_true %4 #1
            %14 ---- side %13 ----
            %15 obj  load_elem %8 %2 array
            %16      {guard}
            %17      side_back %6 %15
            #0 pc=0 depth=0 [s2=%6]
            #1 pc=4 depth=0 [{snapshot}]
            #2 pc=0 depth=0 [s2=%6] loop"
        );
        let tree = parse_trace(&text).expect("valid trace");
        tree.verify().expect("valid tree");
        tree
    }

    #[test]
    fn a_bridge_may_not_carry_an_element_past_a_store_that_frees_it_while_the_phi_is_read() {
        let marker = Ref(14);
        let read_after_store = carrying_tree("s2=%6", "guard_true %4 #1", "list.items");
        assert!(frees_carried_element(&read_after_store, marker));
        let not_read_after = carrying_tree("", "guard_true %4 #1", "list.items");
        assert!(!frees_carried_element(&not_read_after, marker), "the store frees what nobody reads");
        let a_str = carrying_tree("s2=%6", "guard_type %15 str #1", "list.items");
        assert!(!frees_carried_element(&a_str, marker), "stores release only numbers, bools and None");
        let other_array = carrying_tree("s2=%6", "guard_true %4 #1", "instance.values");
        assert!(!frees_carried_element(&other_array, marker), "an instance's values are not a list's items");
    }

    #[test]
    fn a_bridge_starts_with_the_stack_slots_its_path_emptied() {
        // A side block ends an inner loop (its iterator in s2), then makes
        // the next one's there, ends that, and runs a generic instruction.
        let text = "
            trace header=0 depth=2 nlocalsplus=1
            %0  i64  const 1
            %1  ---- loop ----
            %2  i64  phi %0 %3
            %3  i64  add_ov %2 %0 #1
            %4  bool icmp lt %3 %0
            %5       guard_true %4 #2
            %6  ---- side %5 ----
            %7       for_iter_end range_iterator s2 #3
            %8       guard_true %4 #3
            %9  obj  load_slot s0
            %10 obj  get_iter s2 %9 #3
            %11      guard_true %4 #3
            %12      for_iter_end list_iterator s2 #3
            %13      guard_true %4 #3
            %14 obj  generic #3
            %15      guard_true %4 #3
            %16      side_back %2 %3
            #0 pc=0 depth=2 []
            #1 pc=0 depth=2 []
            #2 pc=4 depth=2 []
            #3 pc=8 depth=1 []
            #4 pc=0 depth=2 [] loop";
        let tree = parse_trace(text).expect("valid trace");
        tree.verify().expect("valid tree");
        let emptied = |r: u32| tree.emptied_before(Ref(r));
        assert_eq!(emptied(5), [], "the body's own iterator is in the frame");
        assert_eq!(emptied(8), [Slot(2)]);
        assert_eq!(emptied(11), [], "filled by the next inner loop's iterator");
        assert_eq!(emptied(13), [Slot(2)]);
        assert_eq!(emptied(15), [], "a generic instruction may have written the frame");
    }

    #[test]
    fn releases_of_the_frames_stack_slots_leave_for_the_interpreter() {
        let text = "
            trace header=0 depth=0 nlocalsplus=1
            %0 ---- loop ----
            %1     release_slot s0 #0
            %2 obj generic #0
            %3     release_slot s1 #0
            #0 pc=0 depth=0 []
            #1 pc=0 depth=0 [] loop";
        let tree = parse_trace(text).expect("valid trace");
        assert!(bridgeable(&tree, Ref(1)), "a local's release can grow a bridge");
        assert!(!bridgeable(&tree, Ref(2)), "a generic instruction leaves after it ran");
        assert!(!bridgeable(&tree, Ref(3)), "the exit's write of the frame releases a stack slot");
    }
}
