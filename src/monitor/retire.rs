//! Traces thrown away for how their entries go, and kept for a loop's other
//! phase.
//!
//! A trace whose entries keep leaving before a turn, or run too few turns to
//! pay for entering, is thrown away (`note_short_entry`).
//!
//! What: a trace thrown away because its entries kept leaving at once, after
//! it served a phase of the program (`PHASE_ITERATIONS` turns since it went
//! in), is kept in its loop's state (`LoopState::retired`, at most
//! `RETIRED_PER_LOOP`), with its dict dependencies still watched. When the
//! loop turns hot again, a kept trace (not the one just thrown away) whose
//! pre-roll's type checks of the frame's slots hold goes back in, instead of
//! a new recording and compilation.
//!
//! Why: a loop whose values change type from call to call was recompiled at
//! every change, and after a few changes left interpreted (pyperformance's
//! spectral_norm: `u` holds ints in the first call of each run and floats
//! after, and `for j, u_j in enumerate(u)` took a compilation per call).
//!
//! Safety: a kept trace is exactly as valid as an installed one. Its dict
//! dependencies stay watched (`Jit::install` watches them with the new
//! trace's), and whatever invalidates the loop, stops watching its
//! dependencies or frees code it inlines drops the kept traces too. Which
//! trace goes back in is a guess (the slots' types fit; the items the loop
//! reads may not): one whose first `PROBATION_ENTRIES` entries leave at once
//! is dropped, at no penalty, and the loop recorded afresh.
//!
//! Rejected: several traces installed at once and tried in turn at each entry:
//! every entry of a loop that keeps one type would pay for checking the others.

use super::*;
use hotloop_tracer::ir::PyType;

/// Traces kept per loop (the oldest goes first).
const RETIRED_PER_LOOP: usize = 2;

/// Entries in a row a trace put back may leave before a turn: then it is
/// dropped, and the loop recorded again, at no penalty. Its slots' types
/// fit, but the types of what the loop reads from its containers may not
/// (spectral_norm's `u_j`).
const PROBATION_ENTRIES: u32 = 4;

impl Jit {
    /// Throw away a trace whose entries keep leaving early (see
    /// `MAX_SHORT_ENTRIES`), so the loop can be recorded again for the types it
    /// has now, or end up interpreted.
    pub(super) fn note_short_entry(&mut self, key: (usize, u32), compiled: &Rc<CompiledLoop>, iterations: u64) {
        let (entries, run) = compiled.trips.get();
        compiled.trips.set((entries + 1, run + iterations));
        let short = if iterations < SHORT_ENTRY_ITERATIONS { compiled.short_entries.get() + 1 } else { 0 };
        compiled.short_entries.set(short);
        if short == 0 {
            compiled.on_probation.set(false);
        } else if compiled.on_probation.get() && short >= PROBATION_ENTRIES {
            return self.drop_put_back(key, compiled);
        }
        if short >= MAX_SHORT_ENTRIES {
            self.stats.traces_invalidated += 1;
            log::debug!("trace {} invalidated: its entries keep leaving before a turn of the loop", compiled.name);
            let why = "its entries keep leaving before a turn of the loop".to_string();
            self.note_reason(key, "invalidated", "short-entries", why, key.1);
            let served_a_phase = run + iterations >= PHASE_ITERATIONS;
            if served_a_phase {
                self.retire(key, compiled);
            } else {
                self.all_traces.retain(|t| !Rc::ptr_eq(t, compiled));
            }
            self.penalize(key, u32::from(!served_a_phase));
            return;
        }
        let (entries, run) = compiled.trip_window.get();
        let (entries, run) = (entries + 1, run + iterations);
        if entries < SHORT_TRIP_WINDOW {
            compiled.trip_window.set((entries, run));
            return;
        }
        compiled.trip_window.set((0, 0));
        if run * u64::from(compiled.root.steps.max(1)) < ENTRY_COST_IN_INSTRUCTIONS * entries {
            self.stats.traces_invalidated += 1;
            log::debug!("trace {} invalidated: its entries run too few iterations to pay for entering", compiled.name);
            let why = "its entries run too few iterations to pay for entering".to_string();
            self.note_reason(key, "invalidated", "short-trips", why, key.1);
            self.all_traces.retain(|t| !Rc::ptr_eq(t, compiled));
            // How many turns a loop runs per entry rarely changes, and each
            // attempt costs a compilation (collatz's gcd loop: four, 8 ms).
            self.penalize(key, SHORT_TRIP_PENALTIES);
            if let Some(state) = self.loops.get_mut(&key) {
                state.short = true;
            }
        }
    }

    /// Keep `compiled`, just thrown away for entries that keep leaving after it
    /// served a phase, for when the loop's values have its types again.
    pub(super) fn retire(&mut self, key: LoopKey, compiled: &Rc<CompiledLoop>) {
        self.all_traces.retain(|t| !Rc::ptr_eq(t, compiled));
        if let Some(state) = self.loops.get_mut(&key) {
            if state.retired.len() == RETIRED_PER_LOOP {
                state.retired.remove(0);
            }
            state.retired.push(compiled.clone());
        }
        self.evict_cold(None);
    }

    /// Put back a kept trace of the loop whose entry guards on frame slots hold
    /// in `frame` (at the loop's header); whether there was one.
    pub(super) unsafe fn reinstall_retired(&mut self, key: LoopKey, frame: Frame) -> bool {
        let localsplus = self.rt.localsplus(frame);
        let abi = &self.rt.abi;
        let Some(state) = self.loops.get_mut(&key) else { return false };
        let fits = |compiled: &Rc<CompiledLoop>| {
            entry_types(&compiled.trace).into_iter().all(|(slot, ty)| {
                let obj = *localsplus.add(slot.0 as usize);
                !obj.is_null() && ffi::Py_TYPE(obj) as u64 == abi.type_addr(ty)
            })
        };
        // Not the trace just thrown away: its entries were leaving right now.
        let candidates = state.retired.len().saturating_sub(1);
        let Some(at) = state.retired[..candidates].iter().position(fits) else { return false };
        let compiled = state.retired.remove(at);
        compiled.on_probation.set(true);
        // It must serve a phase again to be kept again (see `note_short_entry`).
        compiled.trips.set((0, 0));
        compiled.trip_window.set((0, 0));
        compiled.short_entries.set(0);
        state.kind = LoopKind::Compiled(compiled.clone());
        if let Some(record) = state.record {
            self.stats.loops[record].state = "compiled";
            self.stats.loops[record].why = None;
        }
        compiled.last_entered.set(self.clock);
        self.all_traces.push(compiled.clone());
        log::debug!("trace {} put back: the loop's values have its types again", compiled.name);
        let why = "its values have the types of a trace kept from before".to_string();
        self.events.emit("trace put back", key.0, key.1, key.1, None, why, None);
        self.evict_cold(Some(&compiled));
        true
    }

    /// Drop `compiled`, put back but leaving at every entry since: the loop
    /// counts toward a new recording, at no penalty.
    pub(super) fn drop_put_back(&mut self, key: LoopKey, compiled: &Rc<CompiledLoop>) {
        log::debug!("trace {} dropped again: its entries kept leaving once put back", compiled.name);
        self.all_traces.retain(|t| !Rc::ptr_eq(t, compiled));
        self.penalize(key, 0);
    }

    /// Drop the loop's kept traces (their dependencies are no longer watched,
    /// or changed).
    pub(super) fn drop_retired(&mut self, key: LoopKey) {
        if let Some(state) = self.loops.get_mut(&key) {
            state.retired.clear();
        }
    }

    /// The machine code the kept traces of all loops hold.
    pub(super) fn retired_code_size(&self) -> usize {
        self.loops.values().flat_map(|s| &s.retired).map(|t| t.compiled.code_size).sum()
    }

    /// Drop every loop's kept traces (compiled code outgrew its limit: they
    /// go before any installed trace does).
    pub(super) fn drop_all_retired(&mut self) {
        for state in self.loops.values_mut() {
            state.retired.clear();
        }
    }
}

/// The dependencies the loop's kept traces rely on, which stay watched.
pub(super) fn retired_deps(state: Option<&LoopState>) -> Vec<DictDep> {
    let kept = state.map(|s| s.retired.as_slice()).unwrap_or_default();
    kept.iter().flat_map(|c| c.root.deps.iter().chain(c.bridges.iter().flat_map(|b| &b.1.deps))).copied().collect()
}

/// The types the trace's pre-roll checks the frame's slots for, as it loads
/// them at entry (the first check of each slot). Only a guess of whether the
/// trace fits the frame: its guards decide (see `PROBATION_ENTRIES`).
fn entry_types(trace: &Trace) -> Vec<(Slot, PyType)> {
    let mut loaded: HashMap<Ref, Slot> = HashMap::new();
    let mut types: Vec<(Slot, PyType)> = Vec::new();
    for (i, inst) in trace.insts.iter().enumerate() {
        match *inst {
            Inst::Loop => break,
            Inst::LoadSlot(slot) => {
                loaded.insert(Ref(i as u32), slot);
            }
            Inst::GuardType(v, ty, _) => {
                if let Some(&slot) = loaded.get(&v).filter(|s| !types.iter().any(|t| t.0 == **s)) {
                    types.push((slot, ty));
                }
            }
            _ => {}
        }
    }
    types
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_types_are_the_pre_roll_s_first_guards_on_the_slots_it_loads() {
        let trace = hotloop_tracer::ir::parse_trace(
            "trace header=0 depth=0 nlocalsplus=3
            %0 obj load_slot s0
            %1 i64 const 1
            %2     guard_type %0 int #0
            %3 obj load_slot s2
            %4     guard_type %3 float #0
            %5 i64 unbox_int %0 #0
            %6 obj load_slot s1
            %7     guard_type %6 list #0
            %8 ---- loop ----
            %9 i64 phi %5 %10
            %10 i64 add_ov %9 %1 #1
            #0 pc=0 depth=0 []
            #1 pc=0 depth=0 [s0=%9] loop",
        )
        .expect("a well-formed trace");
        let want = vec![(Slot(0), PyType::Int), (Slot(2), PyType::Float), (Slot(1), PyType::List)];
        assert_eq!(entry_types(&trace), want);
    }
}
