//! Recording `for x in some_generator()`: the generator's code runs inlined.
//!
//! What: a `FOR_ITER` over an exact generator suspended at a `yield` is
//! recorded through. The runtime turns INSTRUCTION events on for the
//! generator's code; the recorder follows it from the `yield` it resumes at,
//! round its own loops, to the next `yield`, and that value is the item the
//! `FOR_ITER` pushes. The trace keeps the generator's locals and value stack
//! in its own values (slots `Slot::generator`), carried round the loop like the
//! loop's own locals, so each item costs no frame switch, no boxing and no
//! interpreter dispatch.
//!
//! Exits write both frames: the generator's slots into the frame the generator
//! object embeds, with its instruction pointer and stack top. An exit after the
//! `yield` leaves the generator suspended there, as the interpreter would have.
//! An exit between the `FOR_ITER` and the `yield` (a guard in the generator's
//! body) leaves the generator mid-way: the runtime runs it on from there to its
//! next `yield` (or its end, or an exception), as the `FOR_ITER` would have,
//! and then the loop goes on (see the runtime's `exit`).
//!
//! The generator's frame in memory is stale while compiled code runs, so no
//! Python code may run meanwhile: a trace with an inlined generator has no
//! generic instruction, and inside the generator's code no call is inlined and
//! no string is made. The generator must yield at the `yield` it resumed from
//! (a generator with several `yield`s in turn is not compiled yet), and bridges
//! are not attached to such a trace yet.
//!
//! Rejected: compiling the generator's own loop alone. Each entry of that trace
//! runs until the next `yield` and leaves, which costs more than it saves.

use super::*;
use crate::ir::{GeneratorPoint, InlinedGenerator};
use std::collections::BTreeSet;

/// What the recorder needs of a generator suspended at a `yield`.
pub struct GeneratorView {
    pub code_addr: u64,
    pub code: LoopCode,
    /// What the generator frame's instruction pointer holds while suspended.
    pub prev_instr: u64,
    /// Where it resumes, and its value-stack depth there.
    pub resume_pc: u32,
    pub depth: u32,
}

/// The recording state of the frame the recorder is not in.
pub(super) struct ParkedFrame {
    code: LoopCode,
    slots: HashMap<Slot, Ref>,
    written: BTreeSet<Slot>,
    depth: u32,
    last_offset: Option<u32>,
}

impl ParkedFrame {
    fn written_live(&self) -> impl Iterator<Item = (Slot, Ref)> + '_ {
        let (nlocalsplus, depth) = (self.code.nlocalsplus, self.depth);
        self.written.iter().filter(move |s| s.live_at(nlocalsplus, depth)).map(|s| (*s, self.slots[s]))
    }
}

pub(super) struct GeneratorRecording {
    /// The loop's frame while the generator runs, the generator's after.
    parked: ParkedFrame,
    running: bool,
    /// The loop's `FOR_ITER` over the generator.
    for_iter: Instr,
    code_addr: u64,
    suspended: GeneratorPoint,
}

impl Recorder {
    /// Whether the recorder is in the inlined generator's code.
    pub(super) fn in_generator(&self) -> bool {
        self.generator.as_ref().is_some_and(|g| g.running)
    }

    /// The slot of the trace for slot `raw` of the frame being recorded.
    pub(super) fn frame_slot(&self, raw: Slot) -> Slot {
        if self.in_generator() {
            Slot::generator(raw.0)
        } else {
            raw
        }
    }

    /// The code object of the generator the recorder is in, if it is.
    pub(super) fn running_generator(&self) -> Option<u64> {
        self.generator.as_ref().filter(|g| g.running).map(|g| g.code_addr)
    }

    /// `FOR_ITER` over the generator `iter` (in `iter_slot`): guard it is the
    /// one seen, suspended where it was seen, and follow into its code.
    pub(super) fn enter_generator(
        &mut self,
        instr: &Instr,
        iter: Ref,
        iter_slot: Slot,
        view: GeneratorView,
        snap: SnapId,
    ) -> Outcome<()> {
        let not_here = |why: &str| Err(AbortReason::NotYetImplemented(format!("FOR_ITER over a generator {why}")));
        if self.inlining() || self.bridge || self.generator.is_some() {
            return not_here("inside a call, a bridge or another generator");
        }
        if self.generics > 0 {
            return not_here("after a generic instruction");
        }
        let at_yield = view.resume_pc.checked_sub(2).and_then(|pc| view.code.decoded.at(pc));
        if at_yield.is_none_or(|i| i.opcode != Opcode::YieldValue) {
            return not_here("suspended elsewhere than at a yield");
        }
        self.guard(Inst::GuardType(iter, PyType::Generator, snap))?;
        let code = self.value(Inst::LoadField(iter, Field::GenCode))?;
        let expected = self.value(Inst::ConstObj(view.code_addr))?;
        let same_code = self.value(Inst::ObjIs(code, expected))?;
        self.guard(Inst::GuardTrue(same_code, snap))?;
        let state = self.value(Inst::LoadField(iter, Field::GenState))?;
        let suspended_state = self.e.const_i64(-1);
        let is_suspended = self.value(Inst::ICmp(Cmp::Eq, state, suspended_state))?;
        self.guard(Inst::GuardTrue(is_suspended, snap))?;
        let ip = self.value(Inst::LoadField(iter, Field::GenPrevInstr))?;
        let expected_ip = self.e.const_i64(view.prev_instr as i64);
        let same_place = self.value(Inst::ICmp(Cmp::Eq, ip, expected_ip))?;
        self.guard(Inst::GuardTrue(same_place, snap))?;

        let suspended = GeneratorPoint { pc: view.resume_pc, depth: view.depth, running: false };
        let nlocalsplus = view.code.nlocalsplus;
        self.e.trace.generator = Some(InlinedGenerator { iterator: iter_slot, nlocalsplus, suspended });
        if !self.inlined.contains(&view.code_addr) {
            self.inlined.push(view.code_addr);
        }
        let resume = view.code.decoded.at(view.resume_pc).filter(|i| i.opcode == Opcode::Resume).map(|i| i.next);
        let parked = ParkedFrame {
            code: view.code,
            slots: HashMap::new(),
            written: BTreeSet::new(),
            depth: view.depth,
            last_offset: None,
        };
        self.generator =
            Some(GeneratorRecording { parked, running: false, for_iter: *instr, code_addr: view.code_addr, suspended });
        self.swap_frames();
        // What `next()` sends in; RESUME raises no INSTRUCTION event.
        let none = self.none_const()?;
        self.push(none);
        self.expect_pc = resume.unwrap_or(view.resume_pc);
        Ok(())
    }

    /// `YIELD_VALUE` in the generator's code: back to the loop's frame, where
    /// the `FOR_ITER` pushes the value.
    pub(super) fn generator_yield(&mut self, instr: &Instr, frame: &dyn FrameView) -> Outcome<()> {
        let value = self.pop(frame)?;
        let g = self.generator.as_ref().expect("in a generator");
        if instr.next != g.suspended.pc || self.depth != g.suspended.depth {
            return Err(AbortReason::NotYetImplemented("a generator that yields at another yield".into()));
        }
        let for_iter = g.for_iter;
        self.swap_frames();
        self.push_checked(value);
        self.expect_pc = for_iter.next;
        Ok(())
    }

    /// Trade the frame being recorded for the parked one.
    fn swap_frames(&mut self) {
        let g = self.generator.as_mut().expect("a generator is inlined");
        std::mem::swap(&mut self.code, &mut g.parked.code);
        std::mem::swap(&mut self.slots, &mut g.parked.slots);
        std::mem::swap(&mut self.written, &mut g.parked.written);
        std::mem::swap(&mut self.depth, &mut g.parked.depth);
        std::mem::swap(&mut self.last_offset, &mut g.parked.last_offset);
        g.running = !g.running;
    }

    /// A snapshot at `pc` of the frame being recorded, with the generator's
    /// state: what both frames must hold on an exit there.
    pub(super) fn generator_snapshot(&self, pc: u32) -> Option<Snapshot> {
        let g = self.generator.as_ref()?;
        let here = self.written_below(self.depth);
        let as_generator = |(s, v): (Slot, Ref)| (Slot::generator(s.0), v);
        let mut snap = if g.running {
            let mut entries: Vec<(Slot, Ref)> = g.parked.written_live().collect();
            entries.extend(here.into_iter().map(as_generator));
            let point = GeneratorPoint { pc, depth: self.depth, running: true };
            Snapshot { pc: g.for_iter.start, depth: g.parked.depth, entries, generator: Some(point) }
        } else {
            let mut entries = here;
            entries.extend(g.parked.written_live().map(as_generator));
            Snapshot { pc, depth: self.depth, entries, generator: Some(g.suspended) }
        };
        snap.entries.sort_by_key(|e| e.0);
        Some(snap)
    }

    /// The generator's slots the loop carries round (it is suspended at the
    /// loop header).
    pub(super) fn generator_carried(&self) -> Vec<(Slot, Ref)> {
        let Some(g) = self.generator.as_ref().filter(|g| !g.running) else { return Vec::new() };
        g.parked.written_live().map(|(s, v)| (Slot::generator(s.0), v)).collect()
    }

    /// Whether a live slot of the parked frame holds a borrowed element.
    pub(super) fn parked_keeps_element(&self, kept: &dyn Fn(Ref) -> bool) -> bool {
        let Some(g) = self.generator.as_ref() else { return false };
        let live = |s: &Slot| s.live_at(g.parked.code.nlocalsplus, g.parked.depth);
        g.parked.slots.iter().any(|(s, &v)| live(s) && kept(v))
    }
}
