//! The `sys.monitoring` tool: JUMP counting per loop, hot and blacklist state,
//! starting recordings and entering compiled traces.
//!
//! hotloop claims `sys.monitoring.OPTIMIZER_ID` and sets *local* JUMP events on
//! every code object (a code watcher sees new ones; `enable` finds the existing
//! ones). Global events would disturb other tools and CPython's own
//! superinstructions. Forward jumps and blacklisted loops answer `DISABLE`, so
//! they cost nothing afterwards.
//!
//! All state lives in one `Jit` reached through `with_jit`; CPython calls us only
//! with the GIL held, and never re-enters a monitoring callback from inside one
//! (it raises `tstate->tracing` around callbacks).

use crate::cpython::{Frame, Runtime};
use crate::events::Events;
use crate::exit;
use crate::generic::{Entry, Outcome};
use crate::observe::{ActiveRecording, LiveFrame};
use crate::select::{Choice, ModuleFilter};
use crate::stats::{LoopRecord, Stats};
use crate::watch::{self, LoopKey};
use hashbrown::{HashMap, HashSet};
use hotloop_tracer::bytecode::{Decoded, Opcode};
use hotloop_tracer::codegen::{self, CompiledTrace};
use hotloop_tracer::ir::{Inst, Ref, Slot, Trace, Ty};
use hotloop_tracer::opt::bridge::{bridgeable, build_tree, tree_exits, ExitPos};
use hotloop_tracer::record::{
    Abort, AbortReason, ConstValue, DictDep, LoopCode, PyFunction, Recorder, Recording, Step, MAX_INLINE_DEPTH,
    MAX_UNROLLED_BACK_EDGES,
};
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::PyTuple;
use std::cell::{Cell, RefCell, UnsafeCell};
use std::rc::Rc;
use std::time::{Duration, Instant};

mod grow;
mod perf_map;
mod retire;
use perf_map::{perf_name, write_perf_map_entry};

pub const TOOL_ID: u8 = 5;
/// A loop that failed to record this many times is blacklisted.
const MAX_PENALTIES: u32 = 4;
/// A trace whose entries leave before a full turn of the loop body this many
/// times in a row is thrown away: its entry guards no longer hold (a variable
/// changed type), or the loop takes another path every other iteration (one
/// with no bridge, like a `yield`), and entering and leaving costs more than
/// the interpreter takes for one iteration.
const MAX_SHORT_ENTRIES: u32 = 64;
/// A trace thrown away as above after running this many iterations served a
/// phase of the program (`u = [1] * n`, then floats, in spectral_norm's
/// every run): no penalty, so the loop is compiled again for the next phase
/// instead of ending up blacklisted. The compilation costs far less than the
/// iterations it ran saved.
const PHASE_ITERATIONS: u64 = 20_000;
/// Iterations an entry must complete (the pre-roll and one turn of the body)
/// not to count as short.
const SHORT_ENTRY_ITERATIONS: u64 = 2;
/// What entering compiled code and leaving it again costs, in interpreted
/// bytecode instructions (measured: about 350 ns against 8 ns): a trace whose
/// entries run fewer instructions' worth of iterations than this on average
/// (a loop of two turns per call) makes the program slower and is thrown
/// away, as above. Judged over windows of `SHORT_TRIP_WINDOW` entries.
const ENTRY_COST_IN_INSTRUCTIONS: u64 = 48;
const SHORT_TRIP_WINDOW: u64 = 256;
/// The penalties (out of `MAX_PENALTIES`) for a trace thrown away as above.
const SHORT_TRIP_PENALTIES: u32 = 2;
/// A guard of the loop body that exits this often gets a bridge recorded.
const HOT_EXIT: u64 = 16;
/// Recordings that leave the loop double the wait for the next attempt every
/// this many times, but never blacklist it.
const MISSES_PER_DOUBLING: u32 = 2;
/// A function whose calls failed to record through this many times is no
/// longer inlined. Not at once: the recorded call may have taken a rare path
/// (one that raises, say) that the next recording does not.
const MAX_INLINE_FAILURES: u32 = 2;
/// A `for` loop that first turns hot with fewer items than this left in its
/// iterator runs on in the interpreter, and is recorded when it turns hot
/// again: a compilation (half a millisecond to two) costs more than a few
/// hundred iterations of the interpreter, and such a loop may never run
/// again (the last loop of a program, over its results). A loop that keeps
/// running pays a threshold's worth of iterations more, once.
const FEW_ITEMS_LEFT: u64 = 500;
/// At most this many bridges per loop.
const MAX_BRIDGES: usize = 32;
/// The machine code compiled traces may hold in all, by default; past it the
/// traces entered least recently are thrown away (`hotloop.enable`).
pub const DEFAULT_MAX_CODE_SIZE: usize = 64 << 20;
/// Iterations per entry above which the bridge from a loop's end enters the
/// trace again instead of jumping to the loop header. Such a bridge runs the
/// outer loop's body and comes back into the loop (see `record_iter`). Jumping
/// to the header saves an exit and an entry (about 50 iterations' worth) per
/// outer iteration, but makes what the outer loop changes loop-carried in the
/// inner one, so the loop body can no longer compute it once per entry
/// (nested_loops: 47x without, 26x with). Entering again through the pre-roll
/// keeps that, and still runs the outer body compiled (see `Inst::Reenter`).
const LONG_TRIP: u64 = 100;

const NULL_DICT: *mut ffi::PyObject = std::ptr::null_mut();

/// One compiled loop.
pub struct CompiledLoop {
    /// The code object (its address; the entry goes when the code object dies),
    /// and its bytecode as data (what `generic` instructions run).
    pub code: usize,
    pub code_data: Rc<CodeData>,
    /// The globals, builtins and namespace dicts its constants came from.
    namespaces: Option<(*mut ffi::PyObject, *mut ffi::PyObject, *mut ffi::PyObject)>,
    pub name: String,
    pub function: String,
    pub filename: String,
    pub line: u32,
    pub header_pc: u32,
    /// The recorded iteration and the bridges grown on it (by body exit number).
    pub root: Recording,
    bridges: Vec<(ExitPos, Recording)>,
    pub trace: Trace,
    pub compiled: CompiledTrace,
    pub entries: Cell<u64>,
    pub exit_counts: RefCell<Vec<u64>>,
    /// Where the stats count its exits (`Stats::trace_slot`).
    trace_slot: Cell<usize>,
    short_entries: Cell<u32>,
    /// Put back from the kept traces, and not yet through an entry that ran
    /// a turn (see `retire`).
    on_probation: Cell<bool>,
    /// Entries and iterations run since the last short-trip judgement.
    trip_window: Cell<(u64, u64)>,
    /// Entries and iterations run since compiled.
    trips: Cell<(u64, u64)>,
    /// `Jit::clock` at the last entry: the trace least recently entered goes
    /// first when compiled code outgrows its limit.
    last_entered: Cell<u64>,
    /// Per exit, where it sits in the tree (the name bridges go by), if a
    /// bridge may grow from it.
    exit_pos: Vec<Option<ExitPos>>,
    /// Per exit, whether it has been judged for a bridge already (it has one,
    /// had one attempted, or came too late): then `exit_wants_bridge` is a
    /// load, where the common exit of a tight loop comes often.
    exit_judged: Box<[Cell<bool>]>,
    /// Exits that have a bridge or had one attempted.
    bridged: RefCell<HashSet<ExitPos>>,
    /// Per exit, the positions in its values of the objects the trace owns
    /// (each once), which the exit releases.
    pub owned_at_exit: Vec<Vec<usize>>,
    /// Per exit, how each of its values becomes an object (`exit::plan`).
    pub exit_plans: Vec<Vec<exit::EntryPlan>>,
    /// The code objects of the functions inlined into the trace: compiled code
    /// runs only while no other tool watches them either.
    inlined: Vec<usize>,
}

/// Where a loop's trace came from in the source.
#[derive(Clone, Default)]
pub struct Origin {
    pub code: usize,
    pub function: String,
    pub filename: String,
    pub line: u32,
}

impl CompiledLoop {
    /// The recorded bridges the tree was grown with, in the order they attach.
    pub fn bridges(&self) -> &[(ExitPos, Recording)] {
        &self.bridges
    }

    fn new(
        origin: Origin,
        code_data: Rc<CodeData>,
        header_pc: u32,
        root: Recording,
        bridges: Vec<(ExitPos, Recording)>,
        trace: Trace,
        compiled: CompiledTrace,
    ) -> CompiledLoop {
        let nexits = compiled.exits.len();
        let mut inlined: Vec<usize> = root.inlined.iter().map(|&c| c as usize).collect();
        for code in bridges.iter().flat_map(|b| &b.1.inlined) {
            if !inlined.contains(&(*code as usize)) {
                inlined.push(*code as usize);
            }
        }
        let exit_pos_of: HashMap<Ref, ExitPos> =
            tree_exits(&trace).into_iter().filter(|&(r, _)| bridgeable(&trace, r)).collect();
        let exit_pos = compiled.exits.iter().map(|e| e.guard.and_then(|g| exit_pos_of.get(&g).copied())).collect();
        let bridged = bridges.iter().map(|b| b.0).collect();
        let owned_at_exit = owned_at_exits(&trace, &compiled);
        let exit_plans = compiled.exits.iter().map(|e| exit::plan(&trace, e)).collect();
        CompiledLoop {
            code: origin.code,
            code_data,
            namespaces: None,
            name: format!("{}:{}", origin.filename, origin.line),
            function: origin.function,
            filename: origin.filename,
            line: origin.line,
            header_pc,
            root,
            bridges,
            trace,
            compiled,
            entries: Cell::new(0),
            exit_counts: RefCell::new(vec![0; nexits]),
            trace_slot: Cell::new(usize::MAX),
            short_entries: Cell::new(0),
            on_probation: Cell::new(false),
            trip_window: Cell::new((0, 0)),
            trips: Cell::new((0, 0)),
            last_entered: Cell::new(0),
            exit_pos,
            exit_judged: (0..nexits).map(|_| Cell::new(false)).collect(),
            bridged: RefCell::new(bridged),
            inlined,
            owned_at_exit,
            exit_plans,
        }
    }

    /// Where exit `exit` leaves to enter a trace again (`Inst::Reenter`):
    /// this loop's header, or another loop's.
    pub fn reenter_pc(&self, exit: u32) -> Option<u32> {
        let guard = self.compiled.exits.get(exit as usize)?.guard?;
        match *self.trace.inst(guard) {
            Inst::Reenter(snap) => Some(self.trace.snap(snap).pc),
            _ => None,
        }
    }

    /// Whether the bridge from `exit` enters the trace again (see `LONG_TRIP`).
    fn bridge_reenters(&self, exit: ExitPos) -> bool {
        let (entries, iterations) = self.trips.get();
        let loop_end = exit.block == 0 && exit.in_body && exit.pc == self.header_pc;
        loop_end && iterations > LONG_TRIP * entries
    }

    fn origin(&self) -> Origin {
        Origin { code: self.code, function: self.function.clone(), filename: self.filename.clone(), line: self.line }
    }

    /// Where exit `exit_id` sits, once it has been taken `HOT_EXIT` times,
    /// if a bridge may grow from it and has not yet: judged once.
    fn exit_wants_bridge(&self, exit_id: usize) -> Option<ExitPos> {
        if self.exit_judged[exit_id].get() || self.exit_counts.borrow()[exit_id] < HOT_EXIT {
            return None;
        }
        self.exit_judged[exit_id].set(true);
        let exit = self.exit_pos[exit_id]?;
        let mut bridged = self.bridged.borrow_mut();
        if bridged.contains(&exit) || bridged.len() >= MAX_BRIDGES {
            return None;
        }
        bridged.insert(exit);
        Some(exit)
    }
}

enum LoopKind {
    Counting,
    Compiled(Rc<CompiledLoop>),
    Blacklisted,
}

impl LoopState {
    /// The count at which a loop turns hot (again): the threshold, doubled
    /// for each failure...
    fn due(&self, threshold: u32) -> u32 {
        let backoff = self.penalties + self.misses / MISSES_PER_DOUBLING;
        // ...plus a few iterations per failure, so that retries do not keep
        // landing on the same iteration of a period that divides the
        // threshold (every 50th raises, say).
        let jitter = 3 * (self.penalties + self.misses);
        threshold.saturating_mul(1 << backoff.min(16)).saturating_add(jitter)
    }
}

struct LoopState {
    /// Its entry in `Stats::loops`, once hot.
    record: Option<usize>,
    count: u32,
    penalties: u32,
    /// Recordings that left the loop before closing it.
    misses: u32,
    hot: bool,
    /// Whether it was once left to the interpreter for having few items
    /// left (`FEW_ITEMS_LEFT`).
    deferred: bool,
    /// Whether a trace of it was thrown away for running too few turns per
    /// entry: the recording of a loop around it may unroll it instead.
    short: bool,
    kind: LoopKind,
    /// Traces of it kept for when its values have their types again (see
    /// `retire`).
    retired: Vec<Rc<CompiledLoop>>,
}

/// Decoded bytecode and constants of one code object.
pub struct CodeData {
    pub loop_code: LoopCode,
}

/// An exception a `generic` instruction raised, to raise again in the
/// interpreter when it reaches that instruction (see `generic`).
struct PendingRaise {
    code: usize,
    frame: Frame,
    pc: u32,
    exception: *mut ffi::PyObject,
}

pub struct Jit {
    pub rt: &'static Runtime,
    pending_raise: Option<PendingRaise>,
    pub enabled: bool,
    pub threshold: u32,
    /// Bytes of machine code all compiled traces may hold (see `evict_cold`).
    pub max_code_size: usize,
    /// Counts trace entries (see `CompiledLoop::last_entered`).
    clock: u64,
    loops: HashMap<(usize, u32), LoopState>,
    codes: HashMap<usize, Rc<CodeData>>,
    /// Functions (by code object) whose calls failed to record through, and
    /// how often: from `MAX_INLINE_FAILURES` on, their calls are left as calls.
    no_inline: HashMap<usize, u32>,
    instrumented: HashSet<usize>,
    pub events: Events,
    /// Whether each compiled trace goes into perf's map (`set_perf_map`).
    pub perf_map: bool,
    /// hotloop's package directory (`is_own_code`).
    own_directory: String,
    /// The modules to accelerate, if not all.
    filter: Option<ModuleFilter>,
    pub recording: Option<ActiveRecording>,
    pub all_traces: Vec<Rc<CompiledLoop>>,
    pub stats: Stats,
    set_local_events: Option<Py<PyAny>>,
    disable_sentinel: Option<Py<PyAny>>,
    jump_event: u32,
    instruction_event: u32,
    /// Whether grown trees compile on the compiler's thread (see `grow`).
    background_compile: bool,
    growing: Vec<grow::Growing>,
    next_compile_job: u64,
}

struct GilCell(UnsafeCell<Option<Jit>>);
// SAFETY: only touched with the GIL held (see the module comment).
unsafe impl Sync for GilCell {}
static JIT: GilCell = GilCell(UnsafeCell::new(None));

struct RuntimeCell(UnsafeCell<Option<&'static Runtime>>);
// SAFETY: set once at import, with the GIL held; read-only afterwards.
unsafe impl Sync for RuntimeCell {}
static RUNTIME: RuntimeCell = RuntimeCell(UnsafeCell::new(None));

/// The running interpreter's layout, for code that runs while the JIT state
/// may be in use further up the stack (`generic`).
pub fn runtime() -> Option<&'static Runtime> {
    // SAFETY: see RuntimeCell.
    unsafe { *RUNTIME.0.get() }
}

/// Run `f` on the JIT state. Must hold the GIL. A nested call (Python code
/// that `f` runs creates a code object, say) gets None: two `&mut Jit` must
/// never exist at once.
pub fn with_jit<R>(f: impl FnOnce(&mut Jit) -> R) -> Option<R> {
    struct Busy;
    impl Drop for Busy {
        fn drop(&mut self) {
            JIT_BUSY.store(false, std::sync::atomic::Ordering::Relaxed);
        }
    }
    // A load and a store, not a swap: whoever calls holds the GIL, so no
    // other thread runs between them, and a swap's locked exchange took a
    // fifth of `run_jump`'s own time where a trace left and was entered again
    // on every turn of an outer loop.
    if JIT_BUSY.load(std::sync::atomic::Ordering::Relaxed) {
        return None;
    }
    JIT_BUSY.store(true, std::sync::atomic::Ordering::Relaxed);
    let _busy = Busy;
    // SAFETY: see GilCell; `JIT_BUSY` rules out a second borrow.
    unsafe { (*JIT.0.get()).as_mut().map(f) }
}

/// One flag for all threads: Python code the JIT state runs (a logging
/// handler writing a file) may let another thread take the GIL meanwhile,
/// whose callbacks must then leave the state alone.
static JIT_BUSY: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

pub fn install(rt: Runtime) {
    let rt: &'static Runtime = Box::leak(Box::new(rt));
    unsafe { *RUNTIME.0.get() = Some(rt) };
    let jit = Jit {
        rt,
        pending_raise: None,
        enabled: false,
        threshold: 100,
        max_code_size: DEFAULT_MAX_CODE_SIZE,
        clock: 0,
        loops: HashMap::new(),
        codes: HashMap::new(),
        no_inline: HashMap::new(),
        instrumented: HashSet::new(),
        events: Events::default(),
        own_directory: String::new(),
        perf_map: false,
        filter: None,
        recording: None,
        all_traces: Vec::new(),
        stats: Stats::default(),
        set_local_events: None,
        disable_sentinel: None,
        jump_event: 0,
        instruction_event: 0,
        background_compile: std::env::var_os("HOTLOOP_BACKGROUND_COMPILE").is_none_or(|v| v != "0"),
        growing: Vec::new(),
        next_compile_job: 0,
    };
    unsafe { *JIT.0.get() = Some(jit) };
}

/// What a callback returns to CPython.
pub enum Reply {
    Continue,
    Disable,
    /// An exception is set.
    Error,
}

/// What a JUMP event leads to: a reply (and references to release once the
/// state is no longer borrowed), or compiled code to run.
pub enum Jump {
    Reply(Reply, Vec<*mut ffi::PyObject>),
    Enter(Entry),
}

impl Jit {
    // --- Enabling -----------------------------------------------------------------

    /// Start, or change the settings. `modules`: the names of the modules to
    /// accelerate (with their submodules), None for all.
    pub fn enable(
        &mut self,
        py: Python<'_>,
        threshold: u32,
        max_code_size: usize,
        modules: Option<Vec<String>>,
    ) -> PyResult<()> {
        self.threshold = threshold;
        self.max_code_size = max_code_size;
        start_warm_up(&self.rt.abi);
        self.evict_cold(None);
        if self.enabled {
            if modules.as_deref() != self.filter.as_ref().map(ModuleFilter::names) {
                self.select_modules(py, modules)?;
            }
            return Ok(());
        }
        self.filter = modules.map(ModuleFilter::new);
        let monitoring = py.import("sys")?.getattr("monitoring")?;
        let events = monitoring.getattr("events")?;
        self.jump_event = events.getattr("JUMP")?.extract()?;
        self.instruction_event = events.getattr("INSTRUCTION")?.extract()?;
        if let Ok(owner) = monitoring.call_method1("get_tool", (TOOL_ID,)) {
            if !owner.is_none() {
                return Err(pyo3::exceptions::PyRuntimeError::new_err(format!(
                    "sys.monitoring tool id {TOOL_ID} (OPTIMIZER_ID) is already used by {owner}; \
                     hotloop needs it: free it with sys.monitoring.free_tool_id({TOOL_ID})"
                )));
            }
        }
        monitoring.call_method1("use_tool_id", (TOOL_ID, "hotloop"))?;
        let callbacks = crate::callbacks(py)?;
        monitoring.call_method1("register_callback", (TOOL_ID, self.jump_event, &callbacks.0))?;
        monitoring.call_method1("register_callback", (TOOL_ID, self.instruction_event, &callbacks.1))?;
        self.set_local_events = Some(monitoring.getattr("set_local_events")?.unbind());
        self.own_directory = py.import("hotloop._discover")?.getattr("OWN_DIRECTORY")?.extract()?;
        self.disable_sentinel = Some(monitoring.getattr("DISABLE")?.unbind());
        self.enabled = true;
        crate::watch_code();
        for code in existing_code_objects(py)? {
            self.instrument(py, code.as_ptr());
        }
        Ok(())
    }

    /// Whether `code` is hotloop's own (its modules imported late, like the
    /// dump tool's): its loops are not the program's.
    fn is_own_code(&self, py: Python<'_>, code: *mut ffi::PyObject) -> bool {
        // SAFETY: `code` is a live code object.
        let code = unsafe { Bound::from_borrowed_ptr(py, code) };
        let filename = code.getattr("co_filename");
        filename.is_ok_and(|f| f.extract::<String>().is_ok_and(|f| f.starts_with(&self.own_directory)))
    }

    /// Accelerate only `modules` (None: all) from now on: every code object is
    /// decided again.
    fn select_modules(&mut self, py: Python<'_>, modules: Option<Vec<String>>) -> PyResult<()> {
        self.abort_recording("the modules to accelerate changed");
        for code in std::mem::take(&mut self.instrumented) {
            self.set_events(code, 0);
        }
        self.filter = modules.map(ModuleFilter::new);
        for code in existing_code_objects(py)? {
            self.instrument(py, code.as_ptr());
        }
        Ok(())
    }

    /// Accelerate `modules` too (`hotloop.activate`), if only some are: the
    /// selection only grows, so what is instrumented stays so.
    pub fn add_modules(&mut self, py: Python<'_>, modules: Vec<String>) -> PyResult<()> {
        let Some(filter) = &mut self.filter else {
            return Ok(());
        };
        filter.add(modules);
        if self.enabled {
            for code in existing_code_objects(py)? {
                self.instrument(py, code.as_ptr());
            }
        }
        Ok(())
    }

    pub fn disable(&mut self, py: Python<'_>) -> PyResult<()> {
        if !self.enabled {
            return Ok(());
        }
        self.abort_recording("hotloop.disable() was called");
        // The code watcher stays: traces, counts and reasons are keyed by
        // code objects' addresses, and one freed while disabled must be
        // forgotten before another is made at its address (which `enable`
        // would otherwise find compiled, and run the freed one's trace in).
        for code in std::mem::take(&mut self.instrumented) {
            self.set_events(code, 0);
        }
        let monitoring = py.import("sys")?.getattr("monitoring")?;
        monitoring.call_method1("register_callback", (TOOL_ID, self.jump_event, py.None()))?;
        monitoring.call_method1("register_callback", (TOOL_ID, self.instruction_event, py.None()))?;
        monitoring.call_method1("free_tool_id", (TOOL_ID,))?;
        self.enabled = false;
        Ok(())
    }

    /// Turn on JUMP events for one code object, if it has loops and is in a
    /// module to accelerate (or may be: see `select`).
    pub fn instrument(&mut self, py: Python<'_>, code: *mut ffi::PyObject) {
        if !self.enabled || self.instrumented.contains(&(code as usize)) || !unsafe { self.rt.has_backward_jump(code) }
        {
            return;
        }
        if self.is_own_code(py, code) {
            return;
        }
        if self.filter.as_mut().is_some_and(|filter| filter.choose(py, code) == Choice::Skipped) {
            return;
        }
        self.instrumented.insert(code as usize);
        self.set_events(code as usize, self.jump_event);
    }

    /// A code object is being destroyed: forget everything keyed by its address.
    pub fn forget(&mut self, code: *mut ffi::PyObject) {
        let key = code as usize;
        if self.recording.as_ref().is_some_and(|r| r.code == key) {
            self.recording = None; // its events die with the code object
        }
        if self.recording.as_ref().is_some_and(|r| r.inlined.iter().any(|i| i.0 == key)) {
            self.abort_recording("a function being inlined was destroyed");
        }
        let inlining: Vec<LoopKey> = self
            .loops
            .iter()
            .filter(|(_, s)| {
                let inlines = |c: &Rc<CompiledLoop>| c.inlined.contains(&key);
                matches!(&s.kind, LoopKind::Compiled(c) if inlines(c)) || s.retired.iter().any(inlines)
            })
            .map(|(&k, _)| k)
            .collect();
        for loop_key in inlining {
            self.invalidate(loop_key, "a function it inlined was freed");
        }
        self.instrumented.remove(&key);
        self.drop_compiling_code(key);
        if let Some(filter) = &mut self.filter {
            filter.forget(key);
        }
        self.no_inline.remove(&key);
        self.codes.remove(&key);
        self.loops.retain(|&(c, _), _| c != key);
        self.all_traces.retain(|t| t.code != key);
        watch::forget_code(key);
        self.evict_cold(None);
    }

    /// A dict entry a trace took a constant from changed: the trace goes, and the
    /// loop may be recorded again.
    fn invalidate(&mut self, key: LoopKey, what: &str) {
        watch::forget_loop(key);
        self.drop_retired(key);
        self.drop_compiling(key);
        let Some(state) = self.loops.get_mut(&key) else {
            return;
        };
        if let LoopKind::Compiled(compiled) = &state.kind {
            log::debug!("trace {} invalidated: a global or attribute it used changed", compiled.name);
            let gone = compiled.clone();
            self.all_traces.retain(|t| !Rc::ptr_eq(t, &gone));
            state.kind = LoopKind::Counting;
            state.count = 0;
            self.stats.traces_invalidated += 1;
            if let Some(record) = state.record {
                self.stats.loops[record].state = "interpreted";
            }
            let why = format!("{what}, which it relied on");
            self.note_reason(key, "invalidated", "global-changed", why, key.1);
            self.evict_cold(None);
        }
    }

    /// Make `compiled` the loop's code, once its dict dependencies are watched.
    fn install(&mut self, key: LoopKey, compiled: CompiledLoop, replacing: Option<&Rc<CompiledLoop>>) -> bool {
        compiled.trace_slot.set(self.stats.trace_slot(&compiled.name));
        watch::forget_loop(key);
        let mut deps: Vec<DictDep> =
            compiled.root.deps.iter().chain(compiled.bridges.iter().flat_map(|b| &b.1.deps)).copied().collect();
        deps.extend(retire::retired_deps(self.loops.get(&key)));
        if !watch::depend(key, &deps) {
            watch::forget_loop(key);
            self.drop_retired(key);
            let why = "NYI: no dict watcher available".to_string();
            *self.stats.aborts.entry(why.clone()).or_insert(0) += 1;
            self.note_reason(key, "aborted", "no-dict-watcher", why, key.1);
            return false;
        }
        let compiled = Rc::new(compiled);
        if let Some(old) = replacing {
            self.all_traces.retain(|t| !Rc::ptr_eq(t, old));
        }
        self.all_traces.push(compiled.clone());
        compiled.last_entered.set(self.clock);
        if self.perf_map {
            write_perf_map_entry(&compiled);
        }
        if let Some(state) = self.loops.get_mut(&key) {
            state.kind = LoopKind::Compiled(compiled.clone());
            if let Some(record) = state.record {
                self.stats.loops[record].state = "compiled";
            }
        }
        self.evict_cold(Some(&compiled));
        true
    }

    /// While the compiled traces hold more machine code than `max_code_size`,
    /// throw away the one entered least recently (never `keep`, the one just
    /// installed): its loop runs in the interpreter and may be compiled again.
    /// A trace running further up the stack stays alive until it returns.
    fn evict_cold(&mut self, keep: Option<&Rc<CompiledLoop>>) {
        let mut total: usize = self.all_traces.iter().map(|t| t.compiled.code_size).sum();
        if total + self.retired_code_size() > self.max_code_size {
            self.drop_all_retired();
        }
        total += self.retired_code_size();
        while total > self.max_code_size {
            let coldest = self
                .all_traces
                .iter()
                .filter(|t| keep.is_none_or(|k| !Rc::ptr_eq(t, k)))
                .min_by_key(|t| t.last_entered.get())
                .cloned();
            let Some(coldest) = coldest else { break };
            total -= coldest.compiled.code_size;
            self.all_traces.retain(|t| !Rc::ptr_eq(t, &coldest));
            let key = (coldest.code, coldest.header_pc);
            watch::forget_loop(key);
            self.drop_retired(key);
            if let Some(state) = self.loops.get_mut(&key) {
                state.kind = LoopKind::Counting;
                state.count = 0;
                if let Some(record) = state.record {
                    self.stats.loops[record].state = "interpreted";
                }
            }
            self.stats.traces_evicted += 1;
            log::debug!("trace {} evicted: compiled code outgrew {} bytes", coldest.name, self.max_code_size);
            let why = format!("compiled code outgrew {} bytes", self.max_code_size);
            self.note_reason(key, "evicted", "evicted", why, key.1);
        }
        self.stats.code_size = total;
    }

    fn set_events(&self, code: usize, events: u32) {
        let Some(set_local_events) = &self.set_local_events else {
            return;
        };
        Python::attach(|py| unsafe {
            let code = Bound::from_borrowed_ptr(py, code as *mut ffi::PyObject);
            if let Err(err) = set_local_events.call1(py, (TOOL_ID, code, events)) {
                log::warn!("set_local_events failed: {err}");
            }
        });
    }

    pub fn disable_sentinel(&self) -> *mut ffi::PyObject {
        self.disable_sentinel.as_ref().map_or(std::ptr::null_mut(), |d| d.as_ptr())
    }

    // --- Back edges ---------------------------------------------------------------

    /// A JUMP event: `src` jumps to `dest` in `code`. Returns the reply and the
    /// references the exit replaced, to be released once the state is no longer
    /// borrowed (releasing may run arbitrary `__del__` code).
    /// The back edge of a loop that is only counting toward hot, while nothing
    /// else waits for a JUMP event (an invalidation, a finished compile, a raise
    /// to redo, a recording, an undecided module): counted, and nothing more.
    /// False where `on_jump` must decide. Kept apart because `on_jump`'s
    /// bookkeeping made each counted back edge cost some 40 ns, which programs
    /// whose loops never compile paid on every turn.
    pub fn count_back_edge(&mut self, code: *mut ffi::PyObject, src: u32, dest: u32) -> bool {
        let key = (code as usize, dest);
        let quiet = self.enabled
            && dest < src
            && self.recording.is_none()
            && self.pending_raise.is_none()
            && !self.filter.as_ref().is_some_and(|f| f.is_undecided(key.0))
            && !watch::any_invalidated()
            && !crate::compile_worker::any_finished();
        if !quiet {
            return false;
        }
        let waits = self.waits_for_compiler(key);
        let threshold = self.threshold;
        let Some(state) = self.loops.get_mut(&key).filter(|s| matches!(s.kind, LoopKind::Counting)) else {
            return false;
        };
        if !waits {
            if state.count + 1 >= state.due(threshold) {
                return false;
            }
            state.count += 1;
        }
        if let Some(record) = state.record {
            self.stats.loops[record].iterations_interpreted += 1;
        }
        true
    }

    pub unsafe fn on_jump(&mut self, code: *mut ffi::PyObject, src: u32, dest: u32) -> Jump {
        if !self.enabled || dest >= src {
            return Jump::Reply(Reply::Disable, Vec::new());
        }
        if let Some(filter) = &mut self.filter {
            if filter.is_undecided(code as usize) && !filter.decide_running(code as usize) {
                // Code no module claimed, running in one not to accelerate.
                self.instrumented.remove(&(code as usize));
                self.set_events(code as usize, 0);
                return Jump::Reply(Reply::Disable, Vec::new());
            }
        }
        for (key, what) in watch::take_invalidated() {
            self.invalidate(key, &what);
        }
        self.install_compiled_trees();
        self.drop_pending_raise();
        let frame = self.rt.current_frame();
        let mut recording_elsewhere = false;
        if let Some(active) = &mut self.recording {
            if active.frame != frame {
                if active.inlined.iter().any(|&(c, _)| c == code as usize) {
                    // The inlined generator's own loop: the recorder follows it
                    // instruction by instruction, so compiled code may not run it.
                    return Jump::Reply(Reply::Continue, Vec::new());
                }
                // A loop in code the recorded iteration calls (a generator it
                // iterates over, a function): it runs as always, but records nothing.
                recording_elsewhere = true;
            } else if active.code == code as usize && active.recorder.followed(dest) {
                // The recorder follows this edge (see `Recorder::back_edge`).
                let header = active.recorder.trace().header_pc;
                let encloses = dest <= header && header < src;
                if active.bridge.is_some() && !encloses && active.recorder.is_for_loop(dest) {
                    // A `for` loop of the outer body: unrolled if short
                    // (n-body's `for body in system`), else the bridge ends
                    // at its header.
                    active.unrolled_back_edges += 1;
                    let unrolled = u64::from(active.unrolled_back_edges);
                    let left = items_left_at(self.rt, &mut self.codes, code, dest);
                    if left.map_or(unrolled, |left| unrolled + left) > u64::from(MAX_UNROLLED_BACK_EDGES) {
                        active.recorder.link_at(dest);
                    }
                }
                return Jump::Reply(Reply::Continue, Vec::new());
            } else {
                self.abort_recording("another loop's back edge ran");
            }
        }
        let key = (code as usize, dest);
        let waits_for_tree = self.waits_for_compiler(key);
        let state = self.loops.entry(key).or_insert(LoopState {
            record: None,
            count: 0,
            penalties: 0,
            misses: 0,
            hot: false,
            deferred: false,
            short: false,
            kind: LoopKind::Counting,
            retired: Vec::new(),
        });
        if let Some(record) = state.record {
            self.stats.loops[record].iterations_interpreted += 1;
        }
        match &state.kind {
            LoopKind::Blacklisted => Jump::Reply(Reply::Disable, Vec::new()),
            LoopKind::Compiled(compiled) => {
                let (compiled, record) = (compiled.clone(), state.record);
                self.entry(code, compiled, record)
            }
            LoopKind::Counting if waits_for_tree => Jump::Reply(Reply::Continue, Vec::new()),
            LoopKind::Counting => {
                state.count += 1;
                let due = state.due(self.threshold);
                if state.count >= due && !recording_elsewhere && !self.rt.other_tools_active(code, TOOL_ID) {
                    state.count = 0;
                    let first_time = !std::mem::replace(&mut state.deferred, true);
                    if !state.hot {
                        state.hot = true;
                        self.stats.loops_hot += 1;
                        // The iterations that made it hot ran in the interpreter.
                        let counted = u64::from(due);
                        state.record = Some(self.stats.loops.len());
                        let origin = Python::attach(|py| describe(py, code, dest)).unwrap_or_default();
                        self.stats.loops.push(LoopRecord {
                            name: format!("{}:{}", origin.filename, origin.line),
                            filename: origin.filename,
                            line: origin.line,
                            function: origin.function,
                            state: "interpreted",
                            why: None,
                            aborts: HashMap::new(),
                            compiling: Duration::ZERO,
                            recording: Duration::ZERO,
                            compiled_time: Duration::ZERO,
                            iterations_compiled: 0,
                            iterations_interpreted: counted,
                        });
                    }
                    let left = items_left_at(self.rt, &mut self.codes, code, dest);
                    if let Some(left) = left.filter(|&n| first_time && n < FEW_ITEMS_LEFT) {
                        let why =
                            format!("it turned hot with {left} items left; it is compiled when it turns hot again");
                        if let Some(record) = self.record_of(key) {
                            record.why = Some(("few-items-left", why.clone()));
                        }
                        self.events.emit("deferred", key.0, key.1, key.1, Some("few-items-left"), why, None);
                        return Jump::Reply(Reply::Continue, Vec::new());
                    }
                    if left == Some(0) {
                        // A recording started here would record the loop's end
                        // and be thrown away (`left-loop`). In a loop of a few
                        // turns per entry whose count divides the threshold,
                        // every attempt would land on that turn: n-body's
                        // `for j in range(i + 1, 5)` runs 10 turns a step. Try
                        // again at the next back edge instead.
                        if let Some(state) = self.loops.get_mut(&key) {
                            state.count = due - 1;
                        }
                        return Jump::Reply(Reply::Continue, Vec::new());
                    }
                    if self.reinstall_retired(key, frame) {
                        return Jump::Reply(Reply::Continue, Vec::new());
                    }
                    if let Some(record) = self.record_of(key) {
                        record.why.get_or_insert(("recording", "an iteration of it was being recorded".into()));
                    }
                    self.start_recording(code, dest);
                }
                Jump::Reply(Reply::Continue, Vec::new())
            }
        }
    }

    /// A trace left through `Inst::Reenter`, at the header of a loop in
    /// `code` (its own, or another it links to), with the frame written as
    /// after a back edge there: that loop's trace (which a bridge may have
    /// grown meanwhile) to enter at once, if it may run.
    pub unsafe fn reenter(&mut self, code: *mut ffi::PyObject, header: u32) -> Jump {
        for (key, what) in watch::take_invalidated() {
            self.invalidate(key, &what);
        }
        let state = self.loops.get(&(code as usize, header));
        match state.map(|s| (&s.kind, s.record)) {
            Some((LoopKind::Compiled(compiled), record))
                if self.recording.is_none() && self.pending_raise.is_none() =>
            {
                self.stats.reentries += 1;
                match self.entry(code, compiled.clone(), record) {
                    Jump::Enter(entry) => Jump::Enter(Entry { reentered: true, ..entry }),
                    reply => reply,
                }
            }
            _ => Jump::Reply(Reply::Continue, Vec::new()),
        }
    }

    /// The compiled loop to run in the current frame, if it may run there.
    unsafe fn entry(&mut self, code: *mut ffi::PyObject, compiled: Rc<CompiledLoop>, record: Option<usize>) -> Jump {
        let watched = |c: usize| self.rt.other_tools_active(c as *mut ffi::PyObject, TOOL_ID);
        // Near the recursion limit an inlined call would not raise
        // `RecursionError` where CPython's call does.
        let near_limit = !compiled.inlined.is_empty() && self.rt.python_calls_left() <= MAX_INLINE_DEPTH as i32;
        if near_limit || watched(code as usize) || compiled.inlined.iter().any(|&c| watched(c)) {
            return Jump::Reply(Reply::Continue, Vec::new());
        }
        let frame = self.rt.current_frame();
        if frame.is_null() || self.rt.frame_code(frame) != code {
            return Jump::Reply(Reply::Continue, Vec::new());
        }
        // Its constants came from these namespaces (same code object, other
        // namespaces: `exec(code, other_globals)`). A function's own namespace
        // dict is no source (it is NULL when recorded, and may appear later).
        let same_namespaces = |(globals, builtins, locals)| {
            (globals, builtins) == self.rt.namespaces(frame)
                && (locals == NULL_DICT || locals == self.rt.locals_dict(frame))
        };
        if compiled.namespaces.is_some_and(|ns| !same_namespaces(ns)) {
            return Jump::Reply(Reply::Continue, Vec::new());
        }
        self.clock += 1;
        compiled.last_entered.set(self.clock);
        Jump::Enter(Entry { compiled, code, frame, record, reentered: false })
    }

    /// Compiled code left through exit `exit_id` with its values in `buf`: put the
    /// frame in the state the interpreter goes on from.
    pub unsafe fn after_trace(
        &mut self,
        entry: &Entry,
        exit_id: u32,
        buf: &[u64],
        outcome: Option<Outcome>,
    ) -> (Reply, Vec<*mut ffi::PyObject>, Option<exit::RunOn>) {
        let (compiled, code, frame) = (&entry.compiled, entry.code, entry.frame);
        let key = (code as usize, compiled.header_pc);
        compiled.entries.set(compiled.entries.get() + 1);
        if let Some(record) = entry.record {
            self.stats.loops[record].iterations_compiled += buf[compiled.compiled.iterations_word];
        }
        self.stats.trace_entries += 1;
        self.stats.count_exit(compiled.trace_slot.get());
        compiled.exit_counts.borrow_mut()[exit_id as usize] += 1;
        match outcome {
            Some(Outcome::Ran { pc }) => {
                self.rt.set_resume_offset(frame, code, pc);
                return (Reply::Continue, Vec::new(), None);
            }
            Some(Outcome::Raised { pc, exception }) => {
                self.raise_again_at(code, frame, pc, exception);
                return (Reply::Continue, Vec::new(), None);
            }
            None => {}
        }
        let result = exit::apply(self.rt, frame, code, compiled, exit_id as usize, buf);
        let growing = self.is_growing(key);
        if !entry.reentered && !growing {
            // Entered from a bridge, without the interpreter, an entry costs
            // little: only the interpreter's entries are judged. While a
            // bridge compiles, entries leave by its exit: not judged either.
            self.note_short_entry(key, compiled, buf[compiled.compiled.iterations_word]);
        }
        let exit = &compiled.compiled.exits[exit_id as usize];
        let wants_bridge = if growing { None } else { compiled.exit_wants_bridge(exit_id as usize) };
        if let (Ok(_), Some(position)) = (&result, wants_bridge) {
            // Code the trace called may have replaced it meanwhile.
            let current = self.loops.get(&key).map(|s| &s.kind);
            if matches!(current, Some(LoopKind::Compiled(c)) if Rc::ptr_eq(c, compiled)) {
                let snap = compiled.trace.snap(exit.snap);
                let guard = exit.guard.map_or_else(|| "loop".to_string(), |g| g.to_string());
                self.events.emit("exit hot", key.0, key.1, snap.pc, None, guard, None);
                let emptied = exit.guard.map(|g| compiled.trace.emptied_before(g)).unwrap_or_default();
                // Objects the tree holds where the frame does not: the exit
                // writes them, and some may be borrowed from containers.
                let tree = &compiled.trace;
                let variable = |slot: Slot| slot.0 < tree.nlocalsplus || slot.name_index().is_some();
                let in_registers: Vec<Slot> = (snap.entries.iter())
                    .filter(|&&(slot, v)| variable(slot) && tree.ty(v) == Ty::Obj && !frame_holds(tree, slot, v))
                    .map(|&(slot, _)| slot)
                    .collect();
                let starts = (snap.pc, snap.depth);
                self.start_bridge(code, frame, compiled, position, starts, &emptied, in_registers);
            }
        }
        match result {
            Ok(released) => (Reply::Continue, released, exit::run_on(self.rt, frame, compiled, exit_id as usize)),
            Err(()) => (Reply::Error, Vec::new(), None),
        }
    }

    /// Make the interpreter raise `exception` (owned) at the instruction at
    /// `pc`, from an INSTRUCTION event there, so that CPython reports it at that
    /// instruction with the right traceback and handler.
    pub unsafe fn raise_again_at(
        &mut self,
        code: *mut ffi::PyObject,
        frame: Frame,
        pc: u32,
        exception: *mut ffi::PyObject,
    ) {
        self.rt.set_resume_offset(frame, code, pc);
        self.drop_pending_raise();
        self.pending_raise = Some(PendingRaise { code: code as usize, frame, pc, exception });
        self.set_events(code as usize, self.jump_event | self.instruction_event);
    }

    /// Forget an exception that was to be raised again but whose instruction
    /// never ran (the interpreter went elsewhere first: a signal handler raised).
    fn drop_pending_raise(&mut self) {
        if let Some(stale) = self.pending_raise.take() {
            unsafe { ffi::Py_XDECREF(stale.exception) };
            self.restore_events(stale.code);
        }
    }

    /// The events a code object has when no exception is pending for it.
    fn restore_events(&self, code: usize) {
        let recording = self.recording.as_ref().is_some_and(|r| r.code == code);
        self.set_events(code, if recording { self.jump_event | self.instruction_event } else { self.jump_event });
    }

    /// The other loops of the code object, for `Recorder::set_links`: those
    /// with traces (a bridge that reaches one's header links to it), and
    /// those whose traces ran too few turns per entry (a recording may
    /// unroll them).
    fn tell_other_loops(&self, code: *mut ffi::PyObject, recorder: &mut Recorder) {
        let header_pc = recorder.trace().header_pc;
        let others = || self.loops.iter().filter(|(&(c, at), _)| c == code as usize && at != header_pc);
        let links = others().filter_map(|(&(_, at), state)| match &state.kind {
            LoopKind::Compiled(other) => Some((at, other.trace.header_depth)),
            _ => None,
        });
        let short = others().filter(|(_, state)| state.short).map(|(&(_, at), _)| at);
        recorder.set_links(links.collect(), short.collect());
    }

    /// Record the path the interpreter takes from a hot exit back to the loop header.
    unsafe fn start_bridge(
        &mut self,
        code: *mut ffi::PyObject,
        frame: Frame,
        compiled: &CompiledLoop,
        exit: ExitPos,
        (pc, depth): (u32, u32),
        emptied: &[Slot],
        in_registers: Vec<Slot>,
    ) {
        let (header_pc, header_depth) = (compiled.trace.header_pc, compiled.trace.header_depth);
        let Ok(data) = self.code_data(code) else {
            return;
        };
        let mut recorder = Recorder::new_bridge(data.loop_code.clone(), header_pc, header_depth, pc, depth);
        recorder.start_emptied(emptied);
        recorder.start_in_registers(in_registers);
        self.tell_other_loops(code, &mut recorder);
        self.recording = Some(ActiveRecording {
            code: code as usize,
            frame,
            recorder,
            started: Instant::now(),
            bridge: Some(exit),
            inlined: Vec::new(),
            unrolled_back_edges: 0,
        });
        self.set_events(code as usize, self.jump_event | self.instruction_event);
    }

    // --- Recording ----------------------------------------------------------------

    unsafe fn start_recording(&mut self, code: *mut ffi::PyObject, header: u32) {
        let frame = self.rt.current_frame();
        if frame.is_null() || self.rt.frame_code(frame) != code {
            return;
        }
        let depth = self.rt.stacktop(frame) - self.rt.nlocalsplus(code) as i32;
        if depth < 0 {
            return;
        }
        let data = match self.code_data(code) {
            Ok(data) => data,
            Err(err) => {
                log::warn!("cannot read code object: {err}");
                return;
            }
        };
        let mut recorder = Recorder::new(data.loop_code.clone(), header, depth as u32);
        self.tell_other_loops(code, &mut recorder);
        self.recording = Some(ActiveRecording {
            code: code as usize,
            frame,
            recorder,
            started: Instant::now(),
            bridge: None,
            inlined: Vec::new(),
            unrolled_back_edges: 0,
        });
        self.set_events(code as usize, self.jump_event | self.instruction_event);
    }

    /// An INSTRUCTION event at `offset`: an exception to raise again there, or a
    /// step of the recorder.
    pub unsafe fn on_instruction(&mut self, code: *mut ffi::PyObject, offset: u32) -> Reply {
        let frame = self.rt.current_frame();
        let due = |p: &PendingRaise| p.code == code as usize && p.frame == frame && p.pc == offset;
        if self.pending_raise.as_ref().is_some_and(due) {
            let pending = self.pending_raise.take().expect("checked above");
            self.restore_events(pending.code);
            ffi::PyErr_SetRaisedException(pending.exception);
            return Reply::Error;
        }
        let Some(active) = self.recording.as_mut() else {
            return Reply::Continue;
        };
        if !active.expects(code as usize, frame) {
            if let Some(&callee) = active.recorder.inline_stack().last() {
                // The call raised, or ran code the recorder cannot follow.
                let why = "the callee left the way the recorder followed".to_string();
                let pc = active.recorder.loop_pc(offset);
                self.fail_recording(&Abort { reason: AbortReason::NotInlined { code: callee, why }, pc });
            } else {
                self.abort_recording("an instruction ran in another frame");
            }
            return Reply::Continue;
        }
        let (rt, codes, no_inline) = (self.rt, RefCell::new(&mut self.codes), &self.no_inline);
        let functions = |addr: u64| python_function(rt, &mut codes.borrow_mut(), no_inline, addr);
        let code_of = |code: *mut ffi::PyObject| {
            load_code_data(rt, &mut codes.borrow_mut(), code).ok().map(|data| data.loop_code.clone())
        };
        let step = active.recorder.step(offset, &LiveFrame { rt, frame, functions: &functions, code_of: &code_of });
        match step {
            Step::Continue => self.follow_calls(),
            Step::Closed(recording) => self.finish_recording(code, recording),
            Step::Abort(abort) => self.fail_recording(&abort),
        }
        Reply::Continue
    }

    /// Turn INSTRUCTION events on for a call the recorder started following,
    /// and back off for one it returned from.
    fn follow_calls(&mut self) {
        let Some(active) = self.recording.as_mut() else {
            return;
        };
        let stack = active.recorder.inline_stack();
        let mut changed = Vec::new();
        while active.inlined.len() > stack.len() || active.inlined.iter().zip(&stack).any(|(a, &b)| a.0 != b as usize) {
            let (callee, _) = active.inlined.pop().expect("longer than the stack");
            changed.push((callee, false));
        }
        for &callee in &stack[active.inlined.len()..] {
            active.inlined.push((callee as usize, std::ptr::null_mut()));
            changed.push((callee as usize, true));
        }
        for (code, on) in changed {
            self.set_events(code, if on { self.jump_event | self.instruction_event } else { self.base_events(code) });
        }
    }

    /// The events a code object has from hotloop when nothing is recorded in it.
    fn base_events(&self, code: usize) -> u32 {
        if self.instrumented.contains(&code) {
            self.jump_event
        } else {
            0
        }
    }

    fn stop_recording(&mut self) -> Option<ActiveRecording> {
        let active = self.recording.take()?;
        let took = active.started.elapsed();
        self.stats.recording += took;
        if let Some(record) = self.record_of((active.code, active.recorder.trace().header_pc)) {
            record.recording += took;
        }
        self.set_events(active.code, self.jump_event);
        for &(callee, _) in &active.inlined {
            if callee != active.code {
                self.set_events(callee, self.base_events(callee));
            }
        }
        Some(active)
    }

    pub fn abort_recording(&mut self, why: &'static str) {
        if let Some(active) = self.recording.as_ref() {
            let pc = active.recorder.trace().header_pc;
            self.fail_recording(&Abort { reason: AbortReason::Interrupted(why), pc });
        }
    }

    fn fail_recording(&mut self, abort: &Abort) {
        let Some(active) = self.stop_recording() else {
            return;
        };
        let key = (active.code, active.recorder.trace().header_pc);
        if active.bridge.is_some() {
            // The loop's trace stays; only this exit goes without a bridge.
            *self.stats.aborts.entry(format!("bridge: {}", abort.reason)).or_insert(0) += 1;
            let reason = abort.reason.to_string();
            self.events.emit("bridge aborted", key.0, key.1, abort.pc, Some(abort.reason.kind()), reason, None);
            return;
        }
        if let AbortReason::NotInlined { code, .. } = abort.reason {
            // Nothing wrong with the loop: the next recording tries again, and
            // after `MAX_INLINE_FAILURES` it calls the function instead.
            log::debug!("not inlining code {code:#x}: {}", abort.reason);
            *self.no_inline.entry(code as usize).or_insert(0) += 1;
            *self.stats.aborts.entry(abort.reason.to_string()).or_insert(0) += 1;
            self.note_reason(key, "not inlined", abort.reason.kind(), abort.reason.to_string(), abort.pc);
            if let Some(state) = self.loops.get_mut(&key) {
                state.misses += 1;
            }
            return;
        }
        if abort.reason == AbortReason::LeftLoop {
            // Recording a short loop often catches its last iteration. That says
            // nothing about the loop, so it is not blacklisted for it; the next
            // attempt only waits longer (see `on_jump`).
            log::debug!("recording left the loop at offset {}", abort.pc);
            *self.stats.aborts.entry(abort.reason.to_string()).or_insert(0) += 1;
            self.note_reason(key, "left loop", abort.reason.kind(), abort.reason.to_string(), abort.pc);
            if let Some(state) = self.loops.get_mut(&key) {
                state.misses += 1;
            }
            return;
        }
        self.count_abort(abort.reason.to_string(), abort.reason.kind(), abort.pc, key);
    }

    fn count_abort(&mut self, reason: String, kind: &'static str, pc: u32, key: (usize, u32)) {
        log::debug!("recording aborted at offset {pc}: {reason}");
        *self.stats.aborts.entry(reason.clone()).or_insert(0) += 1;
        self.note_reason(key, "aborted", kind, reason, pc);
        self.penalize(key, 1);
    }

    fn record_of(&mut self, key: (usize, u32)) -> Option<&mut LoopRecord> {
        let record = self.loops.get(&key)?.record?;
        self.stats.loops.get_mut(record)
    }

    /// Why the loop at `key` runs interpreted for now: kept in its record, and
    /// told as an event (`what`) about the instruction at `offset`.
    fn note_reason(&mut self, key: (usize, u32), what: &'static str, kind: &'static str, reason: String, offset: u32) {
        if let Some(record) = self.record_of(key) {
            *record.aborts.entry(reason.clone()).or_insert(0) += 1;
            record.why = Some((kind, reason.clone()));
        }
        self.events.emit(what, key.0, key.1, offset, Some(kind), reason, None);
    }

    /// A trace or bridge for the loop at `key` compiled in `took`.
    fn note_compiled(&mut self, key: (usize, u32), what: &'static str, took: Duration) {
        if let Some(record) = self.record_of(key) {
            record.compiling += took;
            record.why = None;
        }
        self.events.emit(what, key.0, key.1, key.1, None, String::new(), Some(took.as_secs_f64() * 1e3));
    }

    fn penalize(&mut self, key: (usize, u32), penalties: u32) {
        let Some(state) = self.loops.get_mut(&key) else {
            return;
        };
        state.penalties += penalties;
        state.count = 0;
        state.kind = if state.penalties >= MAX_PENALTIES {
            self.stats.loops_blacklisted += 1;
            if let Some(record) = state.record {
                self.stats.loops[record].state = "blacklisted";
            }
            let why = format!("{} failed attempts", state.penalties);
            self.events.emit("blacklisted", key.0, key.1, key.1, Some("blacklisted"), why, None);
            LoopKind::Blacklisted
        } else {
            if let Some(record) = state.record {
                self.stats.loops[record].state = "interpreted";
            }
            LoopKind::Counting
        };
    }

    unsafe fn finish_recording(&mut self, code: *mut ffi::PyObject, recording: Recording) {
        let Some(active) = self.stop_recording() else {
            return;
        };
        let header = active.recorder.trace().header_pc;
        if let Some(exit) = active.bridge {
            return self.finish_bridge((code as usize, header), exit, recording);
        }
        let key = (code as usize, header);
        let origin = Python::attach(|py| describe(py, code, header))
            .unwrap_or(Origin { code: code as usize, ..Origin::default() });
        let started = Instant::now();
        let trace = match hotloop_tracer::opt::optimize(&recording) {
            Ok(trace) => trace,
            Err(reason) => {
                self.stats.note_compile(started.elapsed(), false);
                return self.count_abort(reason.to_string(), reason.kind(), header, key);
            }
        };
        let Ok(code_data) = self.code_data(code) else {
            return;
        };
        let (globals, builtins) = self.rt.namespaces(active.frame);
        let namespaces = (globals, builtins, self.rt.locals_dict(active.frame));
        self.finish_root(key, grow::NewRoot { origin, code_data, recording, namespaces }, trace, started);
    }

    fn code_data(&mut self, code: *mut ffi::PyObject) -> PyResult<Rc<CodeData>> {
        load_code_data(self.rt, &mut self.codes, code)
    }
}

/// The items the iterator of the `for` loop whose header is `dest` has left,
/// at its back edge (the iterator is on top of the stack there), if known.
/// Whether the value `v` the tree keeps for `slot` is the frame's own (the
/// slot's value on entry, carried round unchanged), a constant or NULL.
fn frame_holds(tree: &Trace, slot: Slot, v: Ref) -> bool {
    match tree.inst(v) {
        Inst::LoadSlot(s) => *s == slot,
        Inst::ConstObj(_) | Inst::Null => true,
        Inst::Phi(entry, back) => *back == v && frame_holds(tree, slot, *entry),
        _ => false,
    }
}

unsafe fn items_left_at(
    rt: &Runtime,
    codes: &mut HashMap<usize, Rc<CodeData>>,
    code: *mut ffi::PyObject,
    dest: u32,
) -> Option<u64> {
    let data = load_code_data(rt, codes, code).ok()?;
    let header = data.loop_code.decoded.at(dest)?;
    if header.opcode != Opcode::ForIter {
        return None;
    }
    let frame = rt.current_frame();
    if frame.is_null() || rt.frame_code(frame) != code {
        return None;
    }
    let top = rt.stacktop(frame);
    let nlocalsplus = rt.nlocalsplus(code) as i32;
    if top <= nlocalsplus {
        return None;
    }
    rt.items_left(*rt.localsplus(frame).add(top as usize - 1))
}

/// The bytecode and constants of `code`, decoded once and cached in `codes`.
fn load_code_data(
    rt: &Runtime,
    codes: &mut HashMap<usize, Rc<CodeData>>,
    code: *mut ffi::PyObject,
) -> PyResult<Rc<CodeData>> {
    if let Some(data) = codes.get(&(code as usize)) {
        return Ok(data.clone());
    }
    let data = Python::attach(|py| -> PyResult<CodeData> {
        let code_obj = unsafe { Bound::from_borrowed_ptr(py, code) };
        let bytes: Vec<u8> = code_obj.getattr("co_code")?.extract()?;
        let consts = code_obj.getattr("co_consts")?.cast_into::<PyTuple>()?;
        let consts: Vec<ConstValue> = consts
            .iter()
            .map(|c| ConstValue { addr: c.as_ptr() as u64, kind: unsafe { rt.observe(c.as_ptr()) } })
            .collect();
        let names = code_obj.getattr("co_names")?.cast_into::<PyTuple>()?;
        let names: Vec<u64> = names.iter().map(|n| n.as_ptr() as u64).collect();
        Ok(CodeData {
            loop_code: LoopCode {
                decoded: Rc::new(Decoded::decode(&bytes, &rt.format)),
                format: rt.format.clone(),
                consts: consts.into(),
                names: names.into(),
                none: rt.abi.none_obj,
                nlocalsplus: unsafe { rt.nlocalsplus(code) },
                ignore_generic_cost: std::env::var_os("HOTLOOP_IGNORE_GENERIC_COST").is_some_and(|v| v == "1"),
            },
        })
    })?;
    let data = Rc::new(data);
    codes.insert(code as usize, data.clone());
    Ok(data)
}

/// The function at `addr`, for the recorder to inline its calls: a plain
/// Python function (see `Runtime::inlinable_function`) not given up on.
fn python_function(
    rt: &Runtime,
    codes: &mut HashMap<usize, Rc<CodeData>>,
    no_inline: &HashMap<usize, u32>,
    addr: u64,
) -> Option<PyFunction> {
    // SAFETY: `addr` is a constant of the recording: an object alive in a dict
    // or class the recording depends on.
    let function = unsafe { rt.inlinable_function(addr as *mut ffi::PyObject)? };
    if no_inline.get(&(function.code as usize)).is_some_and(|&n| n >= MAX_INLINE_FAILURES) {
        return None;
    }
    let data = load_code_data(rt, codes, function.code).ok()?;
    Some(PyFunction {
        code_addr: function.code as u64,
        code: data.loop_code.clone(),
        version: function.version,
        argcount: function.argcount,
        // SAFETY: the defaults tuple's items, alive while the function is.
        defaults: function
            .defaults
            .iter()
            .map(|&d| ConstValue { addr: d as u64, kind: unsafe { rt.observe(d) } })
            .collect(),
    })
}

/// Function name, file name and source line of the loop header.
fn describe(py: Python<'_>, code: *mut ffi::PyObject, header: u32) -> PyResult<Origin> {
    let code = unsafe { Bound::from_borrowed_ptr(py, code) };
    let function: String = code.getattr("co_qualname")?.extract()?;
    let filename: String = code.getattr("co_filename")?.extract()?;
    let mut line = code.getattr("co_firstlineno")?.extract::<u32>()?;
    for entry in code.call_method0("co_lines")?.try_iter()? {
        let (start, end, l): (u32, u32, Option<u32>) = entry?.extract()?;
        if (start..end).contains(&header) {
            if let Some(l) = l {
                line = l;
            }
            break;
        }
    }
    Ok(Origin { code: code.as_ptr() as usize, function, filename, line })
}

/// The thread warming up the compiler (`codegen::warm_up`), until joined.
static WARM_UP: std::sync::Mutex<Option<std::thread::JoinHandle<()>>> = std::sync::Mutex::new(None);

/// Start warming up the compiler on a thread of its own, once per process.
/// The thread runs no Python code and takes no lock the interpreter holds
/// (Cranelift's `log` records are dropped before they reach Python). A
/// failure shows again, and is reported, when a real trace compiles.
fn start_warm_up(abi: &'static hotloop_tracer::abi::Abi) {
    static STARTED: std::sync::Once = std::sync::Once::new();
    STARTED.call_once(|| {
        let warm = move || drop(codegen::warm_up(abi));
        let handle = std::thread::Builder::new().name("hotloop-warm-up".into()).spawn(warm).ok();
        *WARM_UP.lock().unwrap_or_else(|e| e.into_inner()) = handle;
    });
}

/// Wait for the warm-up thread and the compiler's thread to finish their
/// work. Before a `fork`: a child forked while one builds the shared ISA
/// would wait for it forever.
pub fn finish_background_work() {
    let handle = WARM_UP.lock().unwrap_or_else(|e| e.into_inner()).take();
    if let Some(handle) = handle {
        let _ = handle.join();
    }
    crate::compile_worker::stop();
}

/// Code objects that exist before `enable` (see `hotloop/_discover.py`).
fn existing_code_objects(py: Python<'_>) -> PyResult<Vec<Bound<'_, PyAny>>> {
    let found = py.import("hotloop._discover")?.call_method0("existing_code_objects")?;
    found.try_iter()?.collect()
}

/// See `CompiledLoop::owned_at_exit`.
fn owned_at_exits(trace: &Trace, compiled: &CompiledTrace) -> Vec<Vec<usize>> {
    let owned = trace.owned();
    let exit_positions = |exit: &codegen::ExitInfo| {
        let entries = &trace.snap(exit.snap).entries;
        let mut positions: Vec<usize> = Vec::new();
        for (k, &(slot, v)) in entries.iter().enumerate() {
            let first = entries.iter().position(|e| e.1 == v) == Some(k);
            if first && owned[v.index()] && slot.shadowed().is_none() {
                positions.push(k);
            }
        }
        positions
    };
    compiled.exits.iter().map(exit_positions).collect()
}
