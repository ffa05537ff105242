//! Recording `generic` instructions: an instruction with no fast path for its
//! operands is left to the interpreter's own code, run on the frame by the
//! runtime (see `Inst::Generic`), and the frame's stack then holds references
//! the trace must release where the program drops them.

use super::*;

/// What a `generic` instruction costs compiled code, in bytecode instructions
/// the interpreter runs in that time: a base cost, and as much again for each
/// value it writes into the frame first (boxing numbers, reference counts).
/// Measured: one per 4 to 7 instructions (str, dict, attribute, call and
/// generator kernels) made traces 3 to 7 times slower than the interpreter, and
/// one per 60 instructions with 9 values to write still 15% slower.
const GENERIC_BASE_COST: u32 = 16;
const GENERIC_COST_PER_VALUE: u32 = 8;

/// The recorder's state before an instruction, to go back to when its fast
/// path gives up (see `Recorder::or_generic`).
struct Checkpoint {
    insts: usize,
    snaps: usize,
    slots: HashMap<Slot, Ref>,
    written: std::collections::BTreeSet<Slot>,
    depth: u32,
    checks: Vec<(Slot, Ref)>,
    written_before_store: Option<std::collections::BTreeSet<Slot>>,
}

impl Recorder {
    /// Try the instruction's fast path; where it has none for these operands,
    /// forget what it emitted and leave the instruction to the interpreter's own
    /// code (`generic`).
    pub(super) fn or_generic(
        &mut self,
        instr: &Instr,
        frame: &dyn FrameView,
        fast: impl FnOnce(&mut Self) -> Outcome<()>,
    ) -> Outcome<()> {
        let checkpoint = Checkpoint {
            insts: self.e.trace.insts.len(),
            snaps: self.e.trace.snaps.len(),
            slots: self.slots.clone(),
            written: self.written.clone(),
            depth: self.depth,
            checks: self.checks.clone(),
            written_before_store: self.written_before_store.clone(),
        };
        match fast(self) {
            Err(AbortReason::UnsupportedTypes { .. } | AbortReason::BigInt | AbortReason::NotYetImplemented(_)) => {
                self.e.truncate(checkpoint.insts, checkpoint.snaps);
                self.kinds.retain(|r, _| r.index() < checkpoint.insts);
                self.slots = checkpoint.slots;
                self.written = checkpoint.written;
                self.depth = checkpoint.depth;
                self.checks = checkpoint.checks;
                self.written_before_store = checkpoint.written_before_store;
                self.held.retain(|r| r.index() < checkpoint.insts);
                self.generic(instr, frame)
            }
            other => other,
        }
    }

    /// The instruction as a `generic` one: the frame pops its operands and
    /// pushes its result.
    pub(super) fn generic(&mut self, instr: &Instr, frame: &dyn FrameView) -> Outcome<()> {
        use Opcode::*;
        let arg = instr.arg;
        let (pops, out) = match instr.opcode {
            BinaryOp | CompareOp | ContainsOp | BinarySubscr => (2, OpOut::Obj),
            StoreSubscr => (3, OpOut::Nothing),
            StoreAttr => (2, OpOut::Nothing),
            BinarySlice => (3, OpOut::Obj),
            BuildSlice => (arg, OpOut::Obj),
            StoreSlice => (4, OpOut::Nothing),
            LoadAttr | UnaryNegative | UnaryInvert | UnaryNot | BeforeWith => (1, OpOut::Obj),
            Call => (arg + 2, OpOut::Obj),
            BuildTuple | BuildList | BuildString => (arg, OpOut::Obj),
            FormatValue => (if arg & 4 == 4 { 2 } else { 1 }, OpOut::Obj),
            PopJumpIfTrue | PopJumpIfFalse => (1, OpOut::Truth),
            ListAppend | SetAdd => (1, OpOut::Nothing),
            MapAdd => (2, OpOut::Nothing),
            ForIter => (0, OpOut::Obj),
            _ => return Err(AbortReason::NotYetImplemented(self.name(instr).to_string())),
        };
        if self.e.trace.generator.is_some() {
            // Python code could see the generator's stale frame, or advance it.
            return Err(AbortReason::NotYetImplemented("a generic instruction in a loop over a generator".into()));
        }
        // An inlined callee's stack starts empty (see `pop`).
        let floor = if self.inlining() { 0 } else { self.e.trace.header_depth };
        if self.depth < floor + pops {
            return Err(AbortReason::PopsLoopStack);
        }
        let snap = self.snapshot(instr.start);
        let values = self.e.trace.snap(snap).entries.len() as u32;
        self.generic_cost += GENERIC_BASE_COST + GENERIC_COST_PER_VALUE * values;
        if self.callers.is_empty() && self.running_generator().is_none() {
            self.first_generic.get_or_insert(instr.offset);
        }
        let result = self.e.push(Inst::Generic(out, snap));
        // Python code may free a list's element by storing into the list, but
        // the frame holds every value the trace keeps (the snapshot made it so).
        self.generics += 1;
        self.released.clear();
        // Python code may have written the frame's stack.
        self.emptied.clear();
        for _ in 0..pops {
            self.pop(frame)?;
        }
        match out {
            OpOut::Obj => {
                if instr.opcode == LoadAttr && arg & 1 == 1 {
                    let null = self.value(Inst::Null)?;
                    self.push(null);
                }
                if instr.opcode == BeforeWith {
                    // The bound `__exit__`, under what `__enter__` returned.
                    let exit = self.e.push(Inst::GenericBelow(result));
                    self.push_checked(exit);
                }
                self.push_checked(result);
            }
            OpOut::Truth => {
                self.pending_branch = Some((result, *instr));
                self.expect_pc = u32::MAX;
            }
            OpOut::Nothing => {}
        }
        let objects = |&(s, v): &(Slot, Ref)| {
            s.0 >= self.code.nlocalsplus
                && self.e.ty(v) == Ty::Obj
                && !matches!(self.e.trace.inst(v), Inst::ConstObj(_) | Inst::Null)
        };
        self.frame_stack = self.live_slots().filter(objects).collect();
        Ok(())
    }

    /// The instruction after a `generic` truth test tells which way it jumped:
    /// guard that way, leaving to the other way (the test already ran).
    pub(super) fn resolve_branch(&mut self, truth: Ref, branch: &Instr, now: &Instr) -> Outcome<()> {
        let target = branch.jump_target().expect("conditional jumps have targets");
        let jumped = now.start == target;
        if !jumped && now.start != branch.next {
            return Err(AbortReason::LeftLoop);
        }
        let other_way = if jumped { branch.next } else { target };
        let snap = self.snapshot(other_way);
        let was_true = jumped == (branch.opcode == Opcode::PopJumpIfTrue);
        self.guard(if was_true { Inst::GuardTrue(truth, snap) } else { Inst::GuardFalse(truth, snap) })?;
        self.expect_pc = now.start;
        Ok(())
    }

    /// A value the program dropped from the stack that a frame's stack slot
    /// still holds (a `generic` instruction left it there): release that
    /// reference now, where CPython releases it, rather than when the frame
    /// is next written, or leave where the release would run Python code (see
    /// `Inst::ReleaseSlot`). `pc` is the instruction after the drop.
    pub(super) fn release_frame_stack(&mut self, pc: u32) {
        if self.frame_stack.is_empty() || self.inlining() || self.in_generator() {
            return;
        }
        let live: Vec<Ref> = self.live_slots().map(|(_, v)| v).collect();
        let (kept, dropped): (Vec<_>, Vec<_>) =
            std::mem::take(&mut self.frame_stack).into_iter().partition(|(_, v)| live.contains(v));
        self.frame_stack = kept;
        for (slot, _) in dropped {
            let snap = self.snapshot(pc);
            self.e.push(Inst::ReleaseSlot(slot, snap));
        }
    }
}
