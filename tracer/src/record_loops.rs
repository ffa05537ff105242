//! Back edges of other loops met while recording, and the headers a bridge
//! ends at.
//!
//! A root recording follows the back edge of a loop inside its body, up to
//! `MAX_UNROLLED_BACK_EDGES` of them, instead of giving up on the iteration:
//! the inner loop's turns become part of the trace, each with the guards of
//! its test (LuaJIT's loop unrolling). That is what a short inner loop needs
//! (a tokenizer's scan over a word, fannkuch's counters): compiled on its own
//! it would be entered from the interpreter for two or three turns, which
//! costs more than it saves and is thrown away (`short-trips`), and the loop
//! around it could then never be compiled at all. The same holds for the
//! second header CPython 3.12 gives a `while` loop with a `continue`: the
//! `continue` jumps back to a copy of the loop's test, which falls into the
//! header the loop's own back edge jumps to.
//!
//! Not unrolled: an inner loop with a trace of its own that has not proved
//! short (its trace runs it, and bridges from that trace run the outer body),
//! and `for` loops, whose iterator a root recording would have to make (a
//! bridge makes them, see `Inst::GetIter`). A loop that turns more often than
//! the limit ends the recording as `inner-loop`, as before. Rejected: asking
//! the inner loop's trip count of the monitor before unrolling, which it
//! knows only for loops it already compiled.
//!
//! A bridge follows every back edge: round the loop around the one it grows
//! (`encloses`), through a loop of the outer body it may unroll (a short
//! `while` loop, or a `for` loop with few items left, which the monitor
//! counts), and otherwise to that loop's header, where it ends (`links`).

use super::*;

/// Back edges of other loops a recording may follow (see above); a bridge
/// with more items left in a `for` loop of the outer body than this ends at
/// that loop's header (list_dot: 3.5 ms a bridge).
pub const MAX_UNROLLED_BACK_EDGES: u32 = 16;

impl Recorder {
    /// `JUMP_BACKWARD` outside inlined calls and generators: the end of the
    /// recording at the loop's own header, or another loop's back edge.
    pub(super) fn back_edge(&mut self, instr: &Instr) -> Outcome<Option<Recording>> {
        let target = instr.jump_target().expect("jumps have targets");
        if target == self.e.trace.header_pc {
            return Ok(Some(self.close()?));
        }
        let short = self.short.contains(&target);
        if self.bridge {
            if short && !self.encloses(target) {
                self.unrolled += 1;
                if self.unrolled > MAX_UNROLLED_BACK_EDGES {
                    self.link_at(target);
                }
            }
        } else {
            let compiled = self.links.iter().any(|&(at, _)| at == target);
            if self.is_for_loop(target) || (compiled && !short) || self.unrolled >= MAX_UNROLLED_BACK_EDGES {
                return Err(AbortReason::InnerLoop);
            }
            self.unrolled += 1;
            self.loop_start = self.loop_start.min(target);
        }
        self.followed = Some(target);
        self.follow(instr, true);
        Ok(None)
    }

    /// Whether a bridge at `instr` has reached another loop's header where it
    /// ends (`links`, `header_links`). Not that of a compiled `for` loop with
    /// few items left: the bridge unrolls it, as it would were it not
    /// compiled. Ending there, it would leave the exhaustion of that loop to
    /// its trace, whose exit there cannot go on round the outer loop (n-body's
    /// `for body in system`, compiled on its own when it turns hot before the
    /// bridge that would unroll it is recorded).
    pub(super) fn at_link(&self, instr: &Instr, frame: &dyn FrameView) -> bool {
        if self.header_links.binary_search(&instr.start).is_ok() {
            return true;
        }
        if !self.links.contains(&(instr.start, self.depth)) {
            return false;
        }
        let few_left = |left: u64| left + u64::from(self.unrolled) <= u64::from(MAX_UNROLLED_BACK_EDGES);
        // A `for` loop's header has its iterator on top of the stack.
        let unrolls = self.is_for_loop(instr.start) && frame.items_left(self.stack_slot(1)).is_some_and(few_left);
        !unrolls
    }

    /// Whether a root recording at `instr` starts a turn of a `while` loop
    /// with a trace of its own that has not proved short: the same loop its
    /// back edge would refuse (`back_edge`), met on the turn that reaches
    /// the header without one (CPython 3.12 tests a `while` loop before its
    /// header, and again before its back edge). The trace would guard that
    /// the inner loop ends after this one turn, and leave at every entry
    /// where it does not (Mandelbrot's row loop, recorded at a pixel that
    /// escapes at once: compiled, then thrown away as `short-trips`, its
    /// compilation delaying the bridges that cover that loop). A `for` loop's
    /// header is no turn yet: with no items left, the trace passes by. Nor
    /// is the header the recorded loop's test falls into when a `continue`
    /// gave it a copy of that test (the recording starts at the copy): that
    /// header's loop is this one, not one inside it, and its last back edge
    /// is the loop's own.
    pub(super) fn turns_compiled_loop(&self, instr: &Instr) -> bool {
        let at = instr.start;
        let header = self.e.trace.header_pc;
        let decoded = &self.code.decoded;
        let nested = at > header && last_back_edge(decoded, at) < last_back_edge(decoded, header);
        let compiled = self.links.contains(&(at, self.depth));
        nested && compiled && !self.short.contains(&at) && !self.is_for_loop(at)
    }

    /// Whether the recorder followed the back edge to `dest` the monitor was
    /// told of (each is told once).
    pub fn followed(&mut self, dest: u32) -> bool {
        self.followed.take() == Some(dest)
    }

    /// Whether the loop with its header at `at` runs round the loop recorded:
    /// a bridge that gets there has left the loop, and goes on round the
    /// outer one.
    fn encloses(&self, at: u32) -> bool {
        at <= self.e.trace.header_pc && last_back_edge(&self.code.decoded, at) > self.e.trace.header_pc
    }

    /// The other loops of the code object: `links` (those with compiled
    /// traces, and their stack depths) and `short` (the headers of those
    /// whose traces were thrown away for running too few turns per entry).
    ///
    /// A loop that encloses this one is no link: its trace would run into
    /// this loop and leave there, where the bridge goes round the outer body
    /// and back into this loop's own trace (Mandelbrot).
    ///
    /// The header of a `while` loop is a link too, compiled or not, unless
    /// short: the bridge could not unroll that loop (its turns depend on the
    /// data, and each count it takes would grow the tree by a bridge of its
    /// own; collatz's gcd: 17 bridges, 77 ms compiling), and ending there lets
    /// the runtime enter the loop's trace once it has one. Without it, an
    /// outer body with two loops in it (collatz: its steps, then a gcd) ran
    /// interpreted, and entered both loops from the interpreter on every turn.
    /// A `while` loop's header follows its first test, so reaching it means a
    /// turn.
    pub fn set_links(&mut self, mut links: Vec<(u32, u32)>, short: Vec<u32>) {
        let header = self.e.trace.header_pc;
        let decoded = &self.code.decoded;
        let while_headers = decoded
            .instrs()
            .iter()
            .filter(|i| i.opcode == Opcode::JumpBackward)
            .filter_map(Instr::jump_target)
            .filter(|&at| at != header && decoded.at(at).is_some_and(|i| i.opcode != Opcode::ForIter));
        let mut header_links: Vec<u32> =
            while_headers.filter(|&at| !self.encloses(at) && !short.contains(&at)).collect();
        header_links.sort_unstable();
        header_links.dedup();
        links.retain(|&(at, _)| !self.encloses(at));
        self.links = links;
        self.header_links = header_links;
        self.short = short;
    }

    /// For a bridge from a side block: the frame's stack slots that are empty
    /// where it starts (`Trace::emptied_before`), though its snapshot may
    /// hold values there, which the compiled code keeps off the frame. After
    /// an outer-body `if` that follows an inner loop, the next inner loop's
    /// `GET_ITER` goes into such a slot.
    pub fn start_emptied(&mut self, slots: &[Slot]) {
        for &slot in slots {
            if !self.emptied.contains(&slot) {
                self.emptied.push(slot);
            }
        }
    }

    /// For a bridge: the slots whose objects the tree it grows holds where
    /// the frame does not. Any of them may be borrowed from a container, as
    /// far as the bridge knows: the end of an inner loop holds them
    /// (`hold_elements`).
    pub fn start_in_registers(&mut self, slots: Vec<Slot>) {
        self.in_registers = slots;
    }

    /// A bridge on its way round the outer body reached the back edge of a
    /// `for` loop there with more items left than it may unroll, or of a
    /// short `while` loop past the limit: it ends at
    /// that loop's header, which is the next instruction, and the runtime
    /// enters that loop's trace, once it has one. Unrolled to the limit, the
    /// recording would be thrown away, and the exit it started from would
    /// never get a bridge: every turn of the outer loop would leave the trace
    /// for the interpreter there, and enter the other loop from it.
    pub fn link_at(&mut self, header: u32) {
        if let Err(at) = self.header_links.binary_search(&header) {
            self.header_links.insert(at, header);
        }
    }

    /// Whether the loop whose back edge jumps to `dest` is a `for` loop
    /// (its header takes the next item of an iterator).
    pub fn is_for_loop(&self, dest: u32) -> bool {
        self.code.decoded.at(dest).is_some_and(|i| i.opcode == Opcode::ForIter)
    }
}

/// The offset of the last backward jump to `header`: loops are contiguous in
/// CPython's bytecode, from the header to their last back edge.
pub(super) fn last_back_edge(decoded: &Decoded, header: u32) -> u32 {
    decoded
        .instrs()
        .iter()
        .filter(|i| i.opcode == Opcode::JumpBackward && i.jump_target() == Some(header))
        .map(|i| i.offset)
        .max()
        .unwrap_or(header)
}
