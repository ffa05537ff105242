//! The recorder: one loop iteration of CPython bytecode, observed instruction by
//! instruction, becomes typed IR with guards and snapshots.
//!
//! `src/observe.rs` calls `Recorder::step` before each instruction of the loop
//! runs (an INSTRUCTION event). The recorder keeps an abstract frame: for every
//! local and value-stack slot, the IR value it holds, or nothing when the slot
//! still holds what it held when the trace was entered. A slot first read is
//! loaded from the frame and its type is *observed* in the live frame; the guard
//! that makes that observation true on later runs is emitted where the value is
//! first used as a number. Values the interpreter computed are checked against
//! the IR's types at the next step, so a recording that diverged from what the
//! interpreter did (an overflow into a big int, say) aborts instead of compiling.
//!
//! The iteration ends at the back edge to the loop header; `opt::peel` then turns
//! it into a pre-roll plus a loop body.

use crate::bytecode::{BytecodeFormat, Decoded, Instr, Opcode};
use crate::codegen::runtime;
use crate::ir::{BoxedNumber, Cmp, Field, Inst, MathFn, OpOut, PyType, Ref, Slot, SnapId, Snapshot, Trace, Ty};
use crate::opt::fold::{Emitted, Emitter};
use hashbrown::HashMap;
use std::rc::Rc;

/// What a frame slot holds, as seen in the live frame.
#[derive(Clone, PartialEq, Debug)]
pub enum Observed {
    Null,
    /// An exact `int` that fits in an i64.
    Int(i64),
    /// An exact `int` outside i64.
    BigInt,
    Float(f64),
    Bool(bool),
    None,
    RangeIter,
    List,
    Tuple,
    ListIter,
    /// `reversed()` of a list.
    ListRevIter,
    /// `iter()` of a str (of either of its iterator types).
    StrIter,
    TupleIter,
    Enumerate,
    Zip,
    Dict,
    Str,
    DictKeyIter,
    DictValueIter,
    DictItemIter,
    Set,
    /// Any other type, by name.
    Other(String),
}

impl Observed {
    fn type_name(&self) -> &str {
        match self {
            Observed::Null => "<unbound>",
            Observed::Int(_) | Observed::BigInt => "int",
            Observed::Float(_) => "float",
            Observed::Bool(_) => "bool",
            Observed::None => "NoneType",
            Observed::RangeIter => "range_iterator",
            Observed::List => "list",
            Observed::Tuple => "tuple",
            Observed::ListIter => "list_iterator",
            Observed::ListRevIter => "list_reverseiterator",
            Observed::StrIter => "str_iterator",
            Observed::TupleIter => "tuple_iterator",
            Observed::Enumerate => "enumerate",
            Observed::Zip => "zip",
            Observed::Dict => "dict",
            Observed::Str => "str",
            Observed::DictKeyIter => "dict_keyiterator",
            Observed::DictValueIter => "dict_valueiterator",
            Observed::DictItemIter => "dict_itemiterator",
            Observed::Set => "set",
            Observed::Other(name) => name,
        }
    }

    /// Python truthiness, where the recorder can know it.
    fn truth(&self) -> Option<bool> {
        match *self {
            Observed::Int(v) => Some(v != 0),
            Observed::Float(v) => Some(v != 0.0),
            Observed::Bool(v) => Some(v),
            Observed::None => Some(false),
            _ => None,
        }
    }
}

/// Read access to the frame being recorded.
pub trait FrameView {
    fn observe(&self, slot: Slot) -> Observed;

    /// `LOAD_GLOBAL`'s lookup of `co_names[name]` in the frame's globals, then
    /// builtins; `None` when the name is not bound (or the lookup is not plain).
    fn global(&self, _name: u32) -> Option<Lookup> {
        None
    }

    /// The attribute `co_names[name]` of the module object at `owner`, when it is
    /// a plain entry of the module's dict.
    fn module_attribute(&self, _owner: u64, _name: u32) -> Option<Lookup> {
        None
    }

    /// The address of the object in `slot` (0 for NULL).
    fn address(&self, _slot: Slot) -> u64 {
        0
    }

    /// `LOAD_NAME`'s lookup of `co_names[name]` (the namespace dict, then globals,
    /// then builtins), for a name the code never stores.
    fn name(&self, _name: u32) -> Option<Lookup> {
        None
    }

    /// The method `co_names[name]` of objects of the observed (exact, immutable)
    /// type `owner`, when the recorder knows it (`list.append`).
    fn method(&self, _owner: &Observed, _name: u32) -> Option<u64> {
        None
    }

    /// Whether the range, list, tuple or str iterator in `slot` has no item
    /// left (`None` for any other object).
    fn iterator_at_end(&self, _slot: Slot) -> Option<bool> {
        None
    }

    /// How many items the iterator in `slot` has left, where the runtime
    /// can tell without running code (`None` for any other object).
    fn items_left(&self, _slot: Slot) -> Option<u64> {
        None
    }

    /// Whether the exact list, tuple, dict, set or str in `slot` is non-empty
    /// (`None` for any other object).
    fn container_truth(&self, _slot: Slot) -> Option<bool> {
        None
    }

    /// For an `enumerate` or `zip` object in `slot`: what the iterators it draws
    /// from are, in order (empty for anything else).
    fn iterator_parts(&self, _slot: Slot) -> Vec<Observed> {
        Vec::new()
    }

    /// Which builtin the object at `addr` is, if the recorder knows it.
    fn builtin(&self, _addr: u64) -> Option<Builtin> {
        None
    }

    /// The Python function at `addr`, when the recorder may inline its calls.
    fn python_function(&self, _addr: u64) -> Option<PyFunction> {
        None
    }

    /// The object in `slot`, when it is a builtin type's method bound to an
    /// object (`append = out.append`) that the recorder knows.
    fn bound_method(&self, _slot: Slot) -> Option<BoundMethod> {
        None
    }

    /// The generator in `slot`, when it is an exact generator suspended at a
    /// `yield` (see `record_generators`).
    fn generator(&self, _slot: Slot) -> Option<GeneratorView> {
        None
    }

    /// Where the attribute `co_names[name]` of the object in `slot` is found
    /// for `access`, when the object is an instance of a Python class whose
    /// attribute access is the default one and the trace can reach it directly.
    fn attribute(&self, _slot: Slot, _name: u32, _access: AttrAccess) -> Option<InstanceAttr> {
        None
    }

    /// What the object in `slot` holds at `place` now (`Null` if unknown).
    fn attribute_value(&self, _slot: Slot, _place: AttrPlace) -> Observed {
        Observed::Null
    }
}

/// How an instruction uses an attribute: `LOAD_ATTR`, its method form (for a
/// call), or `STORE_ATTR`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum AttrAccess {
    Load,
    Method,
    Store,
}

/// Where instances of one type, in one version, keep an attribute.
#[derive(Clone, Copy, PartialEq, Debug)]
pub enum AttrPlace {
    /// Element `index` of the instance's inline values (its place in the
    /// type's shared keys); the instance must still have inline values.
    Value(u32),
    /// A `__slots__` member, `offset` bytes into the object.
    Member(u32),
    /// A function in the class, which the instance does not shadow: it has
    /// inline values and the type's shared keys hold `shared_keys` names, this
    /// one not among them (`Some`), or instances have no dict at all (`None`).
    Method { function: u64, shared_keys: Option<u64> },
}

/// An attribute of instances of a Python class; the trace guards the type's
/// version, which changes whenever anything the lookup relied on changes.
#[derive(Clone, Copy, PartialEq, Debug)]
pub struct InstanceAttr {
    pub type_version: u32,
    pub place: AttrPlace,
}

/// A dict entry a trace took a value from: the trace must not run once the
/// entry changes (the runtime watches the dict).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct DictDep {
    pub dict: u64,
    /// The key, a `str` kept alive by the code object (`co_names`).
    pub key: u64,
}

/// A name's value and the dict entries it was found through (including those
/// where it was *not* found, such as a global shadowing a builtin later).
#[derive(Clone, PartialEq, Debug)]
pub struct Lookup {
    pub value: ConstValue,
    pub deps: Vec<DictDep>,
}

/// Builtins and `math` functions the recorder compiles inline.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Builtin {
    Abs,
    Len,
    /// `list.append`, the method of exact lists.
    ListAppend,
    /// `dict.get`, the method of exact dicts.
    DictGet,
    /// `set.add`, the method of exact sets.
    SetAdd,
    Min,
    Max,
    /// `float`, `int` and `bool`: callables, and classes for `isinstance`.
    Float,
    Int,
    Bool,
    IsInstance,
    Math(MathFn),
    MathFloor,
    MathCeil,
    MathTrunc,
    MathFabs,
    Divmod,
    /// `str`, the type called on one argument.
    Str,
    /// `range`, called for the `GET_ITER` after it (see `record_iter`).
    Range,
    /// A method of a builtin type that compiled code calls (see `methods`).
    Method(crate::methods::MethodId),
}

/// A `co_consts` entry: the object (kept alive by the code object) and what it is.
/// Constants stay these very objects in the trace, so an exit puts back the same
/// object CPython would (`is` sees no difference); arithmetic uses their value.
#[derive(Clone, PartialEq, Debug)]
pub struct ConstValue {
    pub addr: u64,
    pub kind: Observed,
}

/// The code object being recorded, as data (shared with the runtime's per-code cache).
#[derive(Clone)]
pub struct LoopCode {
    pub decoded: Rc<Decoded>,
    pub format: Rc<BytecodeFormat>,
    pub consts: Rc<[ConstValue]>,
    /// `co_names`: the addresses of the name strings (kept alive by the code).
    pub names: Rc<[u64]>,
    /// `None` (what `list.append` returns).
    pub none: u64,
    pub nlocalsplus: u32,
    /// Compile loops however many `generic` instructions they have (for
    /// exactness tests: no cost model keeps the generic machinery out of them).
    pub ignore_generic_cost: bool,
}

/// A finished recording: the iteration as straight-line IR, and the slots it
/// changed with their values at the end of the iteration.
#[derive(Clone, Debug)]
pub struct Recording {
    pub iteration: Trace,
    pub carried: Vec<(Slot, Ref)>,
    /// Dict entries the iteration's constants came from.
    pub deps: Vec<DictDep>,
    /// The code's `co_names` (the keys of name slots).
    pub names: Rc<[u64]>,
    /// The code objects of the functions inlined into the iteration.
    pub inlined: Vec<u64>,
    /// How many bytecode instructions the recorded iteration ran (callees'
    /// included): what one compiled turn of the loop saves, roughly.
    pub steps: u32,
    /// Where recording began: the instruction offset and stack depth (the loop
    /// header for a root recording, a guard's snapshot for a bridge).
    pub start: (u32, u32),
    /// For a bridge: whether its side block ends by leaving at the loop header
    /// to enter the trace again, instead of jumping to the header (see
    /// `opt::bridge`).
    pub reenters: bool,
    /// For a bridge that ends at another loop's header: that header's offset
    /// and stack depth. It leaves there, and the runtime enters that loop's
    /// trace (`Inst::Reenter`).
    pub link: Option<(u32, u32)>,
    /// The address of `None` (see `Emitter::none`).
    pub none: u64,
}

pub enum Step {
    Continue,
    Closed(Recording),
    Abort(Abort),
}

/// At most this many bytecode instructions per recorded iteration.
const MAX_STEPS: u32 = 2000;

/// The numeric view of an operand.
#[derive(Clone, Copy)]
enum Num {
    Int(Ref),
    Float(Ref),
    Bool(Ref),
}

pub struct Recorder {
    code: LoopCode,
    e: Emitter,
    /// The value each slot holds, when the trace knows it.
    slots: HashMap<Slot, Ref>,
    /// Slots the iteration has stored to (their value differs from the frame's).
    written: std::collections::BTreeSet<Slot>,
    depth: u32,
    /// Observed types of values loaded from the frame, and of object constants.
    kinds: HashMap<Ref, Observed>,
    deps: Vec<DictDep>,
    expect_pc: u32,
    last_offset: Option<u32>,
    /// The slot and type of the value the last instruction computed, checked
    /// against the interpreter's result at the next step.
    checks: Vec<(Slot, Ref)>,
    /// Instructions (by start offset) the previous one already recorded (the
    /// UNPACK_SEQUENCE of `for i, x in enumerate(xs)`, the `[1]` of
    /// `divmod(a, b)[1]`), to skip when the interpreter reaches them.
    fused: Option<std::ops::Range<u32>>,
    /// Once the iteration stores into a list, an instance or a dict: the
    /// slots of the loop's own frame written before the first store (see
    /// `close`).
    written_before_store: Option<std::collections::BTreeSet<Slot>>,
    steps: u32,
    /// The loop's last back edge to the header: the loop's bytecode ends there.
    loop_end: u32,
    start: (u32, u32),
    bridge: bool,
    /// A `generic` truth test whose jump the next instruction tells (the test
    /// may run Python code, so the recorder cannot ask for the truth itself).
    pending_branch: Option<(Ref, Instr)>,
    /// A `KW_NAMES` precedes the next `CALL`.
    kwnames: bool,
    /// Locals whose frame slot the trace has released (see `release_local`)
    /// since the last `generic` instruction put values back there.
    released: std::collections::BTreeSet<Slot>,
    /// The values in the frame's stack slots, each holding a reference, since
    /// the last `generic` instruction wrote the frame (see `release_frame_stack`).
    frame_stack: Vec<(Slot, Ref)>,
    /// Stack slots of the loop's own stack a bridge has emptied in the frame
    /// (an inner loop's iterator popped, see `for_iter_end`), where the next
    /// inner loop's iterator may go (`Inst::GetIter` checks the slot is
    /// empty when it runs).
    emptied: Vec<Slot>,
    /// The `generic` instructions recorded (they may run Python code), and
    /// their estimated cost (see `GENERIC_BASE_COST`).
    generics: u32,
    generic_cost: u32,
    /// The offset of the first `generic` instruction of the loop's own code:
    /// where a `MostlyGeneric` abort points (what `explain` shows).
    first_generic: Option<u32>,
    /// The frames of the calls being recorded through (see `record_inline`).
    callers: Vec<inline::Caller>,
    /// Inside an inlined call: the snapshot every exit takes (at the outermost
    /// `CALL`), and whether the callee has changed an object yet.
    inline_exit: Option<SnapId>,
    callee_changed: bool,
    /// Attribute stores of the inlined call not emitted yet, and the
    /// instructions emitting them took (see `record_inline`).
    deferred: Vec<inline::DeferredStore>,
    flushed: std::ops::Range<usize>,
    inlined: Vec<u64>,
    /// The generator a `FOR_ITER` runs inlined (see `record_generators`).
    generator: Option<generators::GeneratorRecording>,
    /// Values that may be owned (see `Inst::Release`): those live slots held
    /// after the previous instruction, and those made or read since.
    held: Vec<Ref>,
    /// For a bridge: the headers (offset, stack depth) of the other loops of
    /// the code object that have compiled traces. Reaching one ends the
    /// bridge there (`Recording::link`).
    links: Vec<(u32, u32)>,
    /// For a bridge: headers it links to at any stack depth: those of the
    /// other `while` loops (see `set_links`), and of `for` loops too long to
    /// unroll (see `link_at`). Sorted.
    header_links: Vec<u32>,
    /// Headers of the other loops whose traces ran too few turns per entry
    /// (see `set_links`): a recording may unroll them.
    short: Vec<u32>,
    /// Back edges of other loops followed so far (see `back_edge`).
    unrolled: u32,
    /// The header of the last back edge followed, until the monitor asks
    /// (`followed`).
    followed: Option<u32>,
    /// For a bridge: the slots whose objects the tree holds where the frame
    /// does not (see `start_in_registers`).
    in_registers: Vec<Slot>,
    /// Where the loop recorded starts: its header, or the copy of its test
    /// before it that a `continue` jumps back to (see `back_edge`).
    loop_start: u32,
}

type Outcome<T> = Result<T, AbortReason>;

impl Recorder {
    /// Start recording at the loop header `header_pc`, where the value stack is
    /// `header_depth` deep.
    pub fn new(code: LoopCode, header_pc: u32, header_depth: u32) -> Recorder {
        let mut recorder = Recorder::new_bridge(code, header_pc, header_depth, header_pc, header_depth);
        recorder.bridge = false;
        recorder
    }

    /// Start recording a bridge at `start_pc` (where a side exit resumed, with the
    /// stack `start_depth` deep) until the interpreter is back at `header_pc`. A
    /// bridge may leave the loop: from an inner loop's exit it may run the rest of
    /// the outer loop's body and come back round to the inner loop's header.
    pub fn new_bridge(code: LoopCode, header_pc: u32, header_depth: u32, start_pc: u32, start_depth: u32) -> Recorder {
        let trace = Trace::new(header_pc, header_depth, code.nlocalsplus);
        let loop_end = last_back_edge(&code.decoded, header_pc);
        // The loop's stack slots a bridge starts without were emptied on the
        // way to its exit (or `Inst::GetIter` finds them not empty).
        let emptied = (start_depth..header_depth).map(|d| Slot(code.nlocalsplus + d)).collect();
        Recorder {
            code,
            e: Emitter::new(trace),
            slots: HashMap::new(),
            written: Default::default(),
            depth: start_depth,
            kinds: HashMap::new(),
            deps: Vec::new(),
            loop_end,
            expect_pc: start_pc,
            last_offset: None,
            checks: Vec::new(),
            fused: None,
            written_before_store: None,
            steps: 0,
            start: (start_pc, start_depth),
            bridge: true,
            pending_branch: None,
            kwnames: false,
            released: std::collections::BTreeSet::new(),
            frame_stack: Vec::new(),
            emptied,
            generics: 0,
            generic_cost: 0,
            first_generic: None,
            callers: Vec::new(),
            links: Vec::new(),
            header_links: Vec::new(),
            short: Vec::new(),
            unrolled: 0,
            followed: None,
            in_registers: Vec::new(),
            loop_start: header_pc,
            inline_exit: None,
            callee_changed: false,
            deferred: Vec::new(),
            flushed: 0..0,
            inlined: Vec::new(),
            generator: None,
            held: Vec::new(),
        }
    }

    /// The trace so far (for dumps of aborted recordings).
    pub fn trace(&self) -> &Trace {
        &self.e.trace
    }

    /// Record the instruction at `pc`, about to run in `frame`.
    pub fn step(&mut self, pc: u32, frame: &dyn FrameView) -> Step {
        let Some(instr) = self.code.decoded.at(pc).copied() else {
            return Step::Abort(Abort { reason: AbortReason::LeftLoop, pc });
        };
        if self.last_offset == Some(instr.offset) && pc != instr.start {
            return Step::Continue; // the opcode after its EXTENDED_ARG prefix
        }
        match self.record(&instr, frame) {
            Ok(closed) => {
                self.last_offset = Some(instr.offset);
                closed.map_or(Step::Continue, Step::Closed)
            }
            Err(AbortReason::MostlyGeneric) => {
                let pc = self.first_generic.unwrap_or(instr.offset);
                Step::Abort(Abort { reason: AbortReason::MostlyGeneric, pc })
            }
            Err(reason) => Step::Abort(Abort { reason, pc: self.loop_pc(instr.offset) }),
        }
    }

    fn record(&mut self, instr: &Instr, frame: &dyn FrameView) -> Outcome<Option<Recording>> {
        if !self.inlining() {
            return self.record_instruction(instr, frame);
        }
        let first = self.e.trace.insts.len();
        let recorded = self.record_instruction(instr, frame).and_then(|closed| {
            self.check_inlined(first)?;
            Ok(closed)
        });
        recorded.map_err(|reason| self.not_inlined(reason))
    }

    fn record_instruction(&mut self, instr: &Instr, frame: &dyn FrameView) -> Outcome<Option<Recording>> {
        self.release_dropped();
        if let Some((truth, branch)) = self.pending_branch.take() {
            self.resolve_branch(truth, &branch, instr)?;
        }
        self.flush_unless_kept(instr)?;
        self.release_frame_stack(instr.start);
        let header = self.e.trace.header_pc;
        let in_loop = self.bridge
            || self.inlining()
            || self.in_generator()
            || (self.loop_start..=self.loop_end).contains(&instr.offset);
        if !in_loop || (instr.start != self.expect_pc && instr.offset != self.expect_pc) {
            return Err(AbortReason::LeftLoop);
        }
        let at_header = !self.inlining()
            && !self.in_generator()
            && instr.start == header
            && self.depth == self.e.trace.header_depth;
        if self.steps > 0 && at_header {
            // Round an outer loop, or from a `continue`'s copy of the loop's
            // test, back to the header.
            return Ok(Some(self.close()?));
        }
        if self.bridge && self.steps > 0 && !self.inlining() && !self.in_generator() && self.at_link(instr, frame) {
            // Another loop's header, a loop with a trace of its own: the
            // bridge ends here, and the runtime enters that trace.
            return Ok(Some(self.close_at(instr.start, self.depth)?));
        }
        if !self.bridge && self.steps > 0 && !self.inlining() && !self.in_generator() && self.turns_compiled_loop(instr)
        {
            return Err(AbortReason::InnerLoop);
        }
        if let Some(fused) = self.fused.clone().filter(|f| f.contains(&instr.start)) {
            if instr.next >= fused.end {
                self.fused = None;
            }
            self.expect_pc = instr.next;
            return Ok(None);
        }
        for (slot, v) in std::mem::take(&mut self.checks) {
            let seen = frame.observe(slot);
            let agrees = match self.e.ty(v) {
                Ty::I64 => matches!(seen, Observed::Int(_)),
                Ty::F64 => matches!(seen, Observed::Float(_)),
                Ty::Bool => matches!(seen, Observed::Bool(_)),
                // An object the trace did not make (an argument returned by
                // `max`, an element of a list): learn what it is.
                _ => {
                    if self.owned_of_any_type(v) {
                        self.guard_quiet_type(v, &seen, instr)?;
                    }
                    self.kinds.insert(v, seen);
                    true
                }
            };
            if !agrees {
                return Err(AbortReason::Diverged);
            }
        }
        self.steps += 1;
        if self.steps > MAX_STEPS {
            return Err(AbortReason::TooLong);
        }
        self.expect_pc = instr.next;
        // Exits resume at the instruction's first EXTENDED_ARG, so the interpreter
        // sees its whole argument.
        let pc = instr.start;
        let arg = instr.arg;
        use Opcode::*;
        match instr.opcode {
            Nop | Resume => {}
            LoadFast | LoadFastCheck => {
                let v = self.read(Slot(arg), frame);
                if instr.opcode == LoadFastCheck {
                    self.require_bound(v, pc)?;
                }
                self.push(v);
            }
            LoadFastAndClear => {
                let v = self.read(Slot(arg), frame);
                self.push(v);
                let null = self.value(Inst::Null)?;
                self.write(Slot(arg), null);
            }
            LoadDeref => self.load_deref(instr, frame)?,
            StoreDeref => self.store_deref(instr, frame)?,
            StoreFast => {
                if !self.inlining() {
                    // The value replaced may turn out owned (a phi of strings).
                    self.read(Slot(arg), frame);
                }
                self.release_local(Slot(arg), pc);
                let v = self.pop(frame)?;
                self.write(Slot(arg), v);
            }
            DeleteFast => {
                let v = self.read(Slot(arg), frame);
                self.require_bound(v, pc)?;
                self.release_local(Slot(arg), pc);
                let null = self.value(Inst::Null)?;
                self.write(Slot(arg), null);
            }
            LoadConst => {
                let v = self.load_const(arg)?;
                self.push(v);
            }
            PopTop => {
                self.pop(frame)?;
            }
            Copy => {
                let v = self.read(self.stack_slot(arg), frame);
                self.push(v);
            }
            Swap => {
                let (top, other) = (self.stack_slot(1), self.stack_slot(arg));
                let (a, b) = (self.read(top, frame), self.read(other, frame));
                self.write(top, b);
                self.write(other, a);
            }
            BinaryOp => self.or_generic(instr, frame, |r| r.binary_op(instr, frame))?,
            BinarySubscr => self.or_generic(instr, frame, |r| r.subscript(instr, frame))?,
            StoreSubscr => self.or_generic(instr, frame, |r| r.store_subscript(instr, frame))?,
            StoreAttr => self.or_generic(instr, frame, |r| r.store_attr(instr, frame))?,
            ContainsOp => self.or_generic(instr, frame, |r| r.contains(instr, frame))?,
            BinarySlice => self.or_generic(instr, frame, |r| r.slice(instr, frame))?,
            BuildString => self.or_generic(instr, frame, |r| r.build_string(instr, frame))?,
            FormatValue => self.or_generic(instr, frame, |r| r.format_value(instr, frame))?,
            BuildTuple | BuildList => self.or_generic(instr, frame, |r| r.build_sequence(instr, frame))?,
            ListExtend => self.list_extend(instr, frame)?,
            BeforeWith | BuildSlice | StoreSlice => self.generic(instr, frame)?,
            SetAdd => self.or_generic(instr, frame, |r| r.comprehension_set_add(instr, frame))?,
            ListAppend => self.or_generic(instr, frame, |r| r.comprehension_append(instr, frame))?,
            MapAdd => self.or_generic(instr, frame, |r| r.comprehension_map_add(instr, frame))?,
            KwNames => self.kwnames = true,
            UnpackSequence => self.unpack(instr, frame)?,
            IsOp => self.is_op(instr, frame)?,
            ReturnValue | ReturnConst if self.inlining() => self.inline_return(instr, frame)?,
            // Leaving the loop (and the function) in the recorded iteration.
            ReturnValue | ReturnConst => return Err(AbortReason::LeftLoop),
            CompareOp => self.or_generic(instr, frame, |r| r.compare_op(instr, frame))?,
            UnaryNegative => self.or_generic(instr, frame, |r| {
                r.unary(instr, frame, |r, v, s| match v {
                    Num::Int(a) => r.value(Inst::INegOv(a, s)),
                    Num::Float(a) => r.value(Inst::FNeg(a)),
                    Num::Bool(b) => {
                        let a = r.value(Inst::BoolToI(b))?;
                        r.value(Inst::INegOv(a, s))
                    }
                })
            })?,
            UnaryInvert => self.or_generic(instr, frame, |r| {
                r.unary(instr, frame, |r, v, _| match v {
                    Num::Int(a) => r.value(Inst::IInvert(a)),
                    // `~True` warns (DeprecationWarning) and `~1.0` raises.
                    Num::Bool(_) => {
                        Err(AbortReason::UnsupportedTypes { op: "UNARY_INVERT".into(), types: "bool".into() })
                    }
                    Num::Float(_) => Err(AbortReason::Raises("TypeError")),
                })
            })?,
            UnaryNot => self.or_generic(instr, frame, |r| {
                let v = r.read(r.stack_slot(1), frame);
                let truth = r.truth(v, instr)?;
                let not = r.value(Inst::BNot(truth))?;
                r.pop(frame)?;
                r.push_checked(not);
                Ok(())
            })?,
            PopJumpIfFalse | PopJumpIfTrue => self.or_generic(instr, frame, |r| r.pop_jump_if(instr, frame))?,
            PopJumpIfNone | PopJumpIfNotNone => {
                let top = self.stack_slot(1);
                let is_none = frame.observe(top) == Observed::None;
                let v = self.read(top, frame);
                let snap = self.snapshot(pc);
                if self.e.ty(v) == Ty::Obj {
                    let none = self.none_const()?;
                    let same = self.value(Inst::ObjIs(v, none))?;
                    self.guard(if is_none { Inst::GuardTrue(same, snap) } else { Inst::GuardFalse(same, snap) })?;
                }
                self.pop(frame)?;
                self.follow(instr, is_none == (instr.opcode == PopJumpIfNone));
            }
            JumpForward => self.follow(instr, true),
            // The generator's own loop: its body runs again until the next yield.
            JumpBackward if self.in_generator() => self.follow(instr, true),
            JumpBackward if self.inlining() => return Err(AbortReason::InnerLoop),
            JumpBackward => return self.back_edge(instr),
            ForIter => self.or_generic(instr, frame, |r| r.for_iter(instr, frame))?,
            GetIter => self.get_iter(instr, frame)?,
            PushNull => {
                let null = self.value(Inst::Null)?;
                self.push(null);
            }
            LoadGlobal => self.load_global(instr, frame)?,
            LoadName => self.load_name(instr, frame)?,
            StoreName => {
                // The value replaced may turn out owned (a phi of strings).
                self.read(Slot::name(arg), frame);
                let v = self.pop(frame)?;
                self.write(Slot::name(arg), v);
            }
            LoadAttr => self.or_generic(instr, frame, |r| r.load_attr(instr, frame))?,
            Call if std::mem::take(&mut self.kwnames) => self.generic(instr, frame)?,
            Call => self.or_generic(instr, frame, |r| r.call(instr, frame))?,
            YieldValue if self.in_generator() => self.generator_yield(instr, frame)?,
            ExtendedArg | YieldValue | Other => {
                return Err(AbortReason::NotYetImplemented(self.name(instr).to_string()))
            }
        }
        Ok(None)
    }

    fn close(&mut self) -> Outcome<Recording> {
        self.close_at(self.e.trace.header_pc, self.e.trace.header_depth)
    }

    /// End the recording at `pc` with the stack `depth` deep: the loop's
    /// header, or another loop's (`links`).
    fn close_at(&mut self, pc: u32, depth: u32) -> Outcome<Recording> {
        if self.generic_cost > self.steps && !self.code.ignore_generic_cost {
            return Err(AbortReason::MostlyGeneric);
        }
        if self.generics > 0 && self.slots.keys().any(|s| s.name_index().is_some()) {
            // Python code may rebind module-level variables the trace holds.
            return Err(AbortReason::NotYetImplemented("generic instruction in a loop over module variables".into()));
        }
        let carried_now = |r: &Self| [r.written_below(depth), r.generator_carried()].concat();
        // The next iteration's stores (or a bridge's) could free an element
        // carried round the loop, unless it is of a type no store releases:
        // check that here.
        for &(_, v) in &carried_now(self) {
            let ty = self.kinds.get(&v).and_then(|k| PyType::from_name(k.type_name()));
            if let Some(ty) = ty.filter(|&ty| self.is_element(v) && !ty.released_by_stores()) {
                let snap = self.snapshot(pc);
                self.guard(Inst::GuardType(v, ty, snap))?;
            }
        }
        // The trace takes a reference to any other that a store could free.
        if !self.in_generator() {
            for v in self.freed_next_time(&carried_now(self)) {
                self.hold_element(v)?;
            }
        }
        let carried = carried_now(self);
        if !self.freed_next_time(&carried).is_empty() {
            return Err(AbortReason::NotYetImplemented(
                "an element read from a container is kept across a store ".into(),
            ));
        }
        Ok(Recording {
            deps: self.deps.clone(),
            iteration: self.e.trace.clone(),
            carried,
            names: self.code.names.clone(),
            inlined: self.inlined.clone(),
            steps: self.steps,
            start: self.start,
            reenters: false,
            link: (pc != self.e.trace.header_pc).then_some((pc, depth)),
            none: self.code.none,
        })
    }

    fn pop_jump_if(&mut self, instr: &Instr, frame: &dyn FrameView) -> Outcome<()> {
        let top = self.stack_slot(1);
        let observed = frame.observe(top).truth().or_else(|| frame.container_truth(top));
        let v = self.read(top, frame);
        let snap = self.snapshot(instr.start);
        let truth = self.truth(v, instr)?;
        let Some(taken) = observed else {
            return Err(self.unsupported(instr, &[v]));
        };
        self.guard(if taken { Inst::GuardTrue(truth, snap) } else { Inst::GuardFalse(truth, snap) })?;
        self.pop(frame)?;
        let jumps = taken == (instr.opcode == Opcode::PopJumpIfTrue);
        self.follow(instr, jumps);
        Ok(())
    }

    fn name(&self, instr: &Instr) -> &str {
        &self.code.format.names[instr.op as usize]
    }

    fn follow(&mut self, instr: &Instr, jumps: bool) {
        if jumps {
            self.expect_pc = instr.jump_target().expect("jump instructions have targets");
        }
    }

    // --- The abstract frame -------------------------------------------------

    /// Before a store to a local: the frame's own reference to the value it
    /// replaces goes now, where CPython releases it, not at the next exit,
    /// unless releasing it cannot be seen (see `Inst::ReleaseSlot`). An
    /// inlined callee has no frame of its own.
    fn release_local(&mut self, slot: Slot, pc: u32) {
        let slot = self.frame_slot(slot);
        if self.inlining() || self.released.contains(&slot) || self.holds_quiet_entry_value(slot) {
            return;
        }
        let snap = self.snapshot(pc);
        self.e.push(Inst::ReleaseSlot(slot, snap));
        self.released.insert(slot);
    }

    /// Whether the frame's slot still holds the value the trace read from it
    /// on entry, guarded to be of a type whose release cannot be seen.
    fn holds_quiet_entry_value(&self, slot: Slot) -> bool {
        self.e.trace.entry_value_is_quiet(slot, self.e.trace.refs())
    }

    /// Release each value that may be owned once no live slot holds it (see
    /// `Inst::Release`). Not inside an inlined call: its exits resume at the
    /// `CALL`, which needs the arguments the callee may have let go of.
    fn release_dropped(&mut self) {
        if self.inlining() || self.in_generator() {
            return;
        }
        let mut live: Vec<Ref> = self.live_slots().map(|(_, v)| v).collect();
        live.sort();
        let mut candidates = std::mem::take(&mut self.held);
        candidates.sort();
        candidates.dedup();
        for r in candidates {
            if live.binary_search(&r).is_ok() {
                self.held.push(r);
            } else {
                self.e.push(Inst::Release(r));
            }
        }
    }

    /// Emit an instruction that makes an object (see `Inst::makes_object`).
    fn make(&mut self, inst: Inst) -> Outcome<Ref> {
        if self.inlining() || self.in_generator() {
            return Err(AbortReason::NotYetImplemented("a new string inside an inlined call or generator".into()));
        }
        let r = self.e.push(inst);
        self.held.push(r);
        Ok(r)
    }

    fn stack_slot(&self, from_top: u32) -> Slot {
        Slot(self.code.nlocalsplus + self.depth - from_top)
    }

    fn read(&mut self, slot: Slot, frame: &dyn FrameView) -> Ref {
        if let Some(&r) = self.slots.get(&slot) {
            return r;
        }
        let r = match slot.name_index() {
            Some(i) => {
                let key = self.e.push(Inst::ConstObj(self.code.names[i as usize]));
                let r = self.e.push(Inst::LoadName(slot, key));
                self.held.push(r);
                r
            }
            None => {
                let r = self.e.push(Inst::LoadSlot(self.frame_slot(slot)));
                // An entry value may become a phi of made objects.
                if !self.inlining() && !self.in_generator() {
                    self.held.push(r);
                }
                r
            }
        };
        self.kinds.insert(r, frame.observe(slot));
        self.slots.insert(slot, r);
        r
    }

    fn write(&mut self, slot: Slot, v: Ref) {
        self.slots.insert(slot, v);
        self.written.insert(slot);
    }

    fn push(&mut self, v: Ref) {
        self.write(self.stack_slot(0), v);
        self.depth += 1;
    }

    /// Every slot whose value the trace knows and that is live now.
    fn live_slots(&self) -> impl Iterator<Item = (Slot, Ref)> + '_ {
        let (nlocalsplus, depth) = (self.code.nlocalsplus, self.depth);
        self.slots.iter().filter(move |(s, _)| s.live_at(nlocalsplus, depth)).map(|(&s, &v)| (s, v))
    }

    /// The slots written so far that are live with the stack `depth` deep: locals,
    /// names, and stack slots below that depth; in slot order.
    fn written_below(&self, depth: u32) -> Vec<(Slot, Ref)> {
        let nlocalsplus = self.code.nlocalsplus;
        self.written.iter().filter(|s| s.live_at(nlocalsplus, depth)).map(|&s| (s, self.slots[&s])).collect()
    }

    /// Push a computed value and check it against the interpreter at the next
    /// step (or, for an object the trace did not make, observe what it is).
    fn push_checked(&mut self, v: Ref) {
        self.checks.push((self.stack_slot(0), v));
        self.push(v);
    }

    fn pop(&mut self, frame: &dyn FrameView) -> Outcome<Ref> {
        // An inlined callee's stack starts empty; a generator's is its own. A
        // bridge may pop the loop's stack on its way round an outer loop.
        let floor = if self.inlining() || self.in_generator() || self.bridge { 0 } else { self.e.trace.header_depth };
        if self.depth <= floor {
            return Err(AbortReason::PopsLoopStack);
        }
        let v = self.read(self.stack_slot(1), frame);
        self.depth -= 1;
        Ok(v)
    }

    /// The state the interpreter must see if the trace leaves before the
    /// instruction starting at `pc` (its first EXTENDED_ARG, if any) runs.
    fn snapshot(&mut self, pc: u32) -> SnapId {
        if let Some(call) = self.inline_exit {
            return call;
        }
        let snap = self.generator_snapshot(pc).unwrap_or_else(|| Snapshot {
            pc,
            depth: self.depth,
            entries: self.written_below(self.depth),
            generator: None,
        });
        let snaps = &mut self.e.trace.snaps;
        if let Some(i) = snaps.iter().rposition(|s| *s == snap) {
            return SnapId(i as u32);
        }
        snaps.push(snap);
        SnapId(snaps.len() as u32 - 1)
    }

    // --- Emitting -----------------------------------------------------------

    fn value(&mut self, inst: Inst) -> Outcome<Ref> {
        let before = self.e.trace.insts.len();
        match self.e.emit(inst) {
            // Commoned with the same computation, whose result a variable
            // still holds: in CPython each made its own object.
            Emitted::Value(r)
                if r.index() < before
                    && boxes_a_new_object(&inst)
                    && same_computation(self.e.trace.inst(r), &inst)
                    && self.live_slots().any(|(_, v)| v == r) =>
            {
                Ok(self.e.push(Inst::Fresh(r)))
            }
            Emitted::Value(r) => Ok(r),
            Emitted::Nothing | Emitted::AlwaysExits => Err(AbortReason::AlwaysExits),
        }
    }

    fn guard(&mut self, inst: Inst) -> Outcome<()> {
        match self.e.emit(inst) {
            Emitted::AlwaysExits => Err(AbortReason::AlwaysExits),
            _ => Ok(()),
        }
    }

    fn none_const(&mut self) -> Outcome<Ref> {
        let none = self.code.consts.iter().find(|c| c.kind == Observed::None).map(|c| c.addr);
        match none {
            Some(addr) => self.value(Inst::ConstObj(addr)),
            None => Err(AbortReason::NotYetImplemented("None test without None in co_consts".into())),
        }
    }

    fn load_const(&mut self, index: u32) -> Outcome<Ref> {
        let Some(c) = self.code.consts.get(index as usize).cloned() else {
            return Err(AbortReason::NotYetImplemented("LOAD_CONST out of range".into()));
        };
        let r = self.value(Inst::ConstObj(c.addr))?;
        let number = match c.kind {
            Observed::Int(v) => Some(BoxedNumber::Int(v)),
            Observed::Float(v) => Some(BoxedNumber::Float(v)),
            Observed::Bool(v) => Some(BoxedNumber::Bool(v)),
            _ => None,
        };
        if let Some(number) = number {
            self.e.trace.boxed_numbers.insert(c.addr, number);
        }
        self.kinds.insert(r, c.kind);
        Ok(r)
    }

    fn require_bound(&mut self, v: Ref, pc: u32) -> Outcome<()> {
        if matches!(self.e.trace.inst(v), Inst::Null) || self.kinds.get(&v) == Some(&Observed::Null) {
            return Err(AbortReason::Raises("UnboundLocalError"));
        }
        if self.e.ty(v) == Ty::Obj {
            let snap = self.snapshot(pc);
            self.guard(Inst::GuardNotNull(v, snap))?;
        }
        Ok(())
    }

    /// View `v` as a number, guarding and unboxing a value loaded from the frame.
    fn number(&mut self, v: Ref, snap: SnapId) -> Outcome<Option<Num>> {
        Ok(Some(match self.e.ty(v) {
            Ty::I64 => Num::Int(v),
            Ty::F64 => Num::Float(v),
            Ty::Bool => Num::Bool(v),
            Ty::Obj if matches!(self.e.trace.inst(v), Inst::ConstObj(_)) => {
                match self.kinds.get(&v) {
                    // A constant's value is known; the object itself stays in snapshots.
                    Some(&Observed::Int(i)) => Num::Int(self.e.const_i64(i)),
                    Some(&Observed::Float(f)) => Num::Float(self.e.const_f64(f)),
                    Some(&Observed::Bool(b)) => Num::Bool(self.e.const_bool(b)),
                    Some(Observed::BigInt) => return Err(AbortReason::BigInt),
                    _ => return Ok(None),
                }
            }
            Ty::Obj => match self.kinds.get(&v) {
                Some(Observed::Int(_)) => {
                    self.guard(Inst::GuardType(v, PyType::Int, snap))?;
                    Num::Int(self.value(Inst::UnboxInt(v, snap))?)
                }
                Some(Observed::Float(_)) => {
                    self.guard(Inst::GuardType(v, PyType::Float, snap))?;
                    Num::Float(self.value(Inst::UnboxFloat(v))?)
                }
                Some(Observed::Bool(_)) => {
                    self.guard(Inst::GuardType(v, PyType::Bool, snap))?;
                    Num::Bool(self.value(Inst::UnboxBool(v))?)
                }
                Some(Observed::BigInt) => return Err(AbortReason::BigInt),
                _ => return Ok(None),
            },
            Ty::Void => unreachable!("stack slots hold values"),
        }))
    }

    fn type_names(&self, values: &[Ref]) -> String {
        let names: Vec<&str> = values
            .iter()
            .map(|&v| match self.e.ty(v) {
                Ty::I64 => "int",
                Ty::F64 => "float",
                Ty::Bool => "bool",
                _ => self.kinds.get(&v).map_or("object", Observed::type_name),
            })
            .collect();
        names.join(", ")
    }

    fn unsupported(&self, instr: &Instr, values: &[Ref]) -> AbortReason {
        AbortReason::UnsupportedTypes { op: self.name(instr).to_string(), types: self.type_names(values) }
    }

    fn int_of(&mut self, n: Num) -> Outcome<Ref> {
        match n {
            Num::Int(r) => Ok(r),
            Num::Bool(b) => self.value(Inst::BoolToI(b)),
            Num::Float(_) => unreachable!("callers convert floats separately"),
        }
    }

    fn float_of(&mut self, n: Num) -> Outcome<Ref> {
        match n {
            Num::Float(r) => Ok(r),
            other => {
                let i = self.int_of(other)?;
                self.value(Inst::IToF(i))
            }
        }
    }

    fn truth(&mut self, v: Ref, instr: &Instr) -> Outcome<Ref> {
        let snap = self.snapshot(instr.start);
        if self.kinds.get(&v) == Some(&Observed::None) {
            self.guard(Inst::GuardType(v, PyType::NoneType, snap))?;
            return Ok(self.e.const_bool(false));
        }
        match self.number(v, snap)? {
            Some(Num::Bool(b)) => Ok(b),
            Some(Num::Int(i)) => self.value(Inst::ITruth(i)),
            Some(Num::Float(f)) => self.value(Inst::FTruth(f)),
            // A container is true when it is not empty.
            None => match self.container_len(v, snap)? {
                Some(len) => self.value(Inst::ITruth(len)),
                None => Err(self.unsupported(instr, &[v])),
            },
        }
    }

    // --- Instructions ---------------------------------------------------------

    fn unary(
        &mut self,
        instr: &Instr,
        frame: &dyn FrameView,
        f: impl FnOnce(&mut Self, Num, SnapId) -> Outcome<Ref>,
    ) -> Outcome<()> {
        let v = self.read(self.stack_slot(1), frame);
        let snap = self.snapshot(instr.start);
        let Some(n) = self.number(v, snap)? else {
            return Err(self.unsupported(instr, &[v]));
        };
        let result = f(self, n, snap)?;
        self.pop(frame)?;
        self.push_checked(result);
        Ok(())
    }

    fn binary_op(&mut self, instr: &Instr, frame: &dyn FrameView) -> Outcome<()> {
        let (lhs_slot, rhs_slot) = (self.stack_slot(2), self.stack_slot(1));
        let rhs_observed = frame.observe(rhs_slot);
        let lhs_observed = frame.observe(lhs_slot);
        let (a, b) = (self.read(lhs_slot, frame), self.read(rhs_slot, frame));
        if (&lhs_observed, &rhs_observed) == (&Observed::Str, &Observed::Str) {
            return self.str_binary(instr, frame, a, b);
        }
        let snap = self.snapshot(instr.start);
        let (Some(x), Some(y)) = (self.number(a, snap)?, self.number(b, snap)?) else {
            return Err(self.unsupported(instr, &[a, b]));
        };
        let op = BinOp::from_oparg(instr.arg).ok_or_else(|| self.unsupported(instr, &[a, b]))?;
        if op.divides() && rhs_observed.truth() == Some(false) {
            return Err(AbortReason::Raises("ZeroDivisionError"));
        }
        let result = match (x, y) {
            (Num::Float(_), _) | (_, Num::Float(_)) => self.float_binary(op, x, y, snap)?,
            (Num::Bool(p), Num::Bool(q)) if op.is_bitwise() => {
                let (p, q) = (self.value(Inst::BoolToI(p))?, self.value(Inst::BoolToI(q))?);
                let bits = self.int_binary(op, p, q, snap, &rhs_observed, &lhs_observed)?;
                self.value(Inst::ITruth(bits))?
            }
            _ => {
                let (p, q) = (self.int_of(x)?, self.int_of(y)?);
                let result = self.int_binary(op, p, q, snap, &rhs_observed, &lhs_observed)?;
                match (x, &lhs_observed, &rhs_observed) {
                    (Num::Int(_), &Observed::Int(l), &Observed::Int(r)) => {
                        self.keep_left_identity(op, a, (p, q), (l, r), result, snap)?
                    }
                    _ => result,
                }
            }
        };
        self.pop(frame)?;
        self.pop(frame)?;
        self.push_checked(result);
        Ok(())
    }

    /// `a % b` and `a >> b` sometimes return the object `a` itself: guard the
    /// case the interpreter took, and in that case keep `a` (its object, where it
    /// has one) so exits do not box a new int that `is` could tell apart.
    fn keep_left_identity(
        &mut self,
        op: BinOp,
        a: Ref,
        (x, y): (Ref, Ref),
        (x_seen, y_seen): (i64, i64),
        result: Ref,
        snap: SnapId,
    ) -> Outcome<Ref> {
        let (keeps, kept) = match op {
            BinOp::Mod => (Inst::IModKeeps(x, y), runtime::int_mod_keeps(x_seen, y_seen)),
            BinOp::RShift => (Inst::IShrKeeps(x, y), runtime::int_shr_keeps(x_seen, y_seen)),
            _ => return Ok(result),
        };
        let keeps = self.value(keeps)?;
        self.guard(if kept { Inst::GuardTrue(keeps, snap) } else { Inst::GuardFalse(keeps, snap) })?;
        Ok(if kept { a } else { result })
    }

    fn int_binary(&mut self, op: BinOp, a: Ref, b: Ref, snap: SnapId, rhs: &Observed, lhs: &Observed) -> Outcome<Ref> {
        let inst = match op {
            BinOp::Add => Inst::IAddOv(a, b, snap),
            BinOp::Sub => Inst::ISubOv(a, b, snap),
            BinOp::Mul => Inst::IMulOv(a, b, snap),
            BinOp::FloorDiv => Inst::IFloorDiv(a, b, snap),
            BinOp::Mod => Inst::IMod(a, b, snap),
            BinOp::And => Inst::IAnd(a, b),
            BinOp::Or => Inst::IOr(a, b),
            BinOp::Xor => Inst::IXor(a, b),
            BinOp::LShift => Inst::IShl(a, b, snap),
            BinOp::RShift => Inst::IShr(a, b, snap),
            BinOp::TrueDiv => {
                let (x, y) = (self.value(Inst::IToFExact(a, snap))?, self.value(Inst::IToFExact(b, snap))?);
                Inst::FDiv(x, y, snap)
            }
            BinOp::Pow => {
                // A negative exponent makes a float (CPython converts both sides).
                let negative = matches!(rhs, Observed::Int(v) if *v < 0);
                if !negative {
                    return self.value(Inst::IPow(a, b, snap));
                }
                if matches!(lhs, Observed::Int(0)) || matches!(lhs, Observed::Bool(false)) {
                    return Err(AbortReason::Raises("ZeroDivisionError"));
                }
                let zero = self.e.const_i64(0);
                let is_negative = self.value(Inst::ICmp(Cmp::Lt, b, zero))?;
                self.guard(Inst::GuardTrue(is_negative, snap))?;
                let (x, y) = (self.value(Inst::IToF(a))?, self.value(Inst::IToF(b))?);
                Inst::FPow(x, y, snap)
            }
        };
        self.value(inst)
    }

    fn float_binary(&mut self, op: BinOp, x: Num, y: Num, snap: SnapId) -> Outcome<Ref> {
        let (a, b) = (self.float_of(x)?, self.float_of(y)?);
        let inst = match op {
            BinOp::Add => Inst::FAdd(a, b),
            BinOp::Sub => Inst::FSub(a, b),
            BinOp::Mul => Inst::FMul(a, b),
            BinOp::TrueDiv => Inst::FDiv(a, b, snap),
            BinOp::FloorDiv => Inst::FFloorDiv(a, b, snap),
            BinOp::Mod => Inst::FMod(a, b, snap),
            BinOp::Pow => Inst::FPow(a, b, snap),
            BinOp::And | BinOp::Or | BinOp::Xor | BinOp::LShift | BinOp::RShift => {
                return Err(AbortReason::Raises("TypeError"));
            }
        };
        self.value(inst)
    }

    fn compare_op(&mut self, instr: &Instr, frame: &dyn FrameView) -> Outcome<()> {
        let (a, b) = (self.read(self.stack_slot(2), frame), self.read(self.stack_slot(1), frame));
        let snap = self.snapshot(instr.start);
        let cmp = match instr.arg >> self.code.format.compare_shift {
            0 => Cmp::Lt,
            1 => Cmp::Le,
            2 => Cmp::Eq,
            3 => Cmp::Ne,
            4 => Cmp::Gt,
            5 => Cmp::Ge,
            _ => return Err(self.unsupported(instr, &[a, b])),
        };
        let result = if self.top_two_are_strs(frame) {
            self.str_compare(cmp, a, b, snap)?
        } else {
            let (Some(x), Some(y)) = (self.number(a, snap)?, self.number(b, snap)?) else {
                return Err(self.unsupported(instr, &[a, b]));
            };
            self.compare(cmp, x, y, snap)?
        };
        self.pop(frame)?;
        self.pop(frame)?;
        self.push_checked(result);
        Ok(())
    }

    /// `is` / `is not`: pointer identity of objects; where a side is a number the
    /// trace computed, only what is certain without an object to compare.
    fn is_op(&mut self, instr: &Instr, frame: &dyn FrameView) -> Outcome<()> {
        let (a, b) = (self.read(self.stack_slot(2), frame), self.read(self.stack_slot(1), frame));
        let constant_kind = |r: &Recorder, v: Ref| match r.e.trace.inst(v) {
            Inst::ConstObj(_) => r.kinds.get(&v).cloned(),
            _ => None,
        };
        let same = match (self.e.ty(a), self.e.ty(b)) {
            (Ty::Obj, Ty::Obj) => self.value(Inst::ObjIs(a, b))?,
            (Ty::Bool, Ty::Bool) => {
                let (x, y) = (self.value(Inst::BoolToI(a))?, self.value(Inst::BoolToI(b))?);
                self.value(Inst::ICmp(Cmp::Eq, x, y))?
            }
            (Ty::Obj, _) | (_, Ty::Obj) => {
                let (object, number) = if self.e.ty(a) == Ty::Obj { (a, b) } else { (b, a) };
                match (constant_kind(self, object), self.e.ty(number)) {
                    // A number is never None; True and False are singletons.
                    (Some(Observed::None), _) => self.e.const_bool(false),
                    (Some(Observed::Bool(true)), Ty::Bool) => number,
                    (Some(Observed::Bool(false)), Ty::Bool) => self.value(Inst::BNot(number))?,
                    _ => return Err(self.unsupported(instr, &[a, b])),
                }
            }
            _ => return Err(self.unsupported(instr, &[a, b])),
        };
        let result = if instr.arg & 1 == 1 { self.value(Inst::BNot(same))? } else { same };
        self.pop(frame)?;
        self.pop(frame)?;
        self.push_checked(result);
        Ok(())
    }

    /// Python's comparison of two numbers (exact for mixed int/float operands up
    /// to 2**53, an exit beyond).
    fn compare(&mut self, cmp: Cmp, x: Num, y: Num, snap: SnapId) -> Outcome<Ref> {
        match (x, y) {
            (Num::Float(p), Num::Float(q)) => self.value(Inst::FCmp(cmp, p, q)),
            (Num::Float(p), other) => {
                let i = self.int_of(other)?;
                let q = self.value(Inst::IToFExact(i, snap))?;
                self.value(Inst::FCmp(cmp, p, q))
            }
            (other, Num::Float(q)) => {
                let i = self.int_of(other)?;
                let p = self.value(Inst::IToFExact(i, snap))?;
                self.value(Inst::FCmp(cmp, p, q))
            }
            _ => {
                let (p, q) = (self.int_of(x)?, self.int_of(y)?);
                self.value(Inst::ICmp(cmp, p, q))
            }
        }
    }
}

/// `BINARY_OP`'s operators (in-place forms behave the same on ints and floats).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum BinOp {
    Add,
    And,
    FloorDiv,
    LShift,
    Mul,
    Mod,
    Or,
    Pow,
    RShift,
    Sub,
    TrueDiv,
    Xor,
}

impl BinOp {
    /// CPython's `NB_*` numbering, shared by 3.12 and 3.13.
    fn from_oparg(arg: u32) -> Option<BinOp> {
        use BinOp::*;
        Some(match arg % 13 {
            0 => Add,
            1 => And,
            2 => FloorDiv,
            3 => LShift,
            5 => Mul,
            6 => Mod,
            7 => Or,
            8 => Pow,
            9 => RShift,
            10 => Sub,
            11 => TrueDiv,
            12 => Xor,
            _ => return None, // 4: matrix multiplication
        })
        .filter(|_| arg < 26)
    }

    fn divides(self) -> bool {
        matches!(self, BinOp::FloorDiv | BinOp::Mod | BinOp::TrueDiv)
    }

    fn is_bitwise(self) -> bool {
        matches!(self, BinOp::And | BinOp::Or | BinOp::Xor)
    }
}

#[path = "record_attrs.rs"]
mod attrs;
#[path = "record_calls.rs"]
mod calls;
#[path = "record_containers.rs"]
mod containers;
#[path = "record_dicts.rs"]
mod dicts;
#[path = "record_generators.rs"]
mod generators;
#[path = "record_generic.rs"]
mod generic;
#[path = "record_inline.rs"]
mod inline;
#[path = "record_iter.rs"]
mod iter;
#[path = "record_loops.rs"]
mod loops;
#[path = "record_sets.rs"]
mod sets;
#[path = "record_strings.rs"]
mod strings;

pub use crate::abort::{Abort, AbortReason};
pub use attrs::CELL_CONTENTS_WORD;
pub use calls::BoundMethod;
pub use generators::GeneratorView;
pub use inline::{PyFunction, MAX_INLINE_DEPTH};
use loops::last_back_edge;
pub use loops::MAX_UNROLLED_BACK_EDGES;

#[cfg(test)]
#[path = "record_tests.rs"]
mod tests;

/// Whether `a` is the computation `b` asked for, as emitted: the same kind of
/// instruction, or the plain add or subtraction a checked one became where it
/// cannot overflow (`opt::bounds`).
fn same_computation(a: &Inst, b: &Inst) -> bool {
    let kind = |i: &Inst| match *i {
        Inst::IAdd(x, y) => std::mem::discriminant(&Inst::IAddOv(x, y, SnapId(0))),
        Inst::ISub(x, y) => std::mem::discriminant(&Inst::ISubOv(x, y, SnapId(0))),
        _ => std::mem::discriminant(i),
    };
    kind(a) == kind(b)
}

/// Arithmetic whose result CPython boxes as a new object every time (unless
/// a cached small int). Not `%`, `<<`, `>>`, `min`, `max` or `abs`, which may
/// answer with an operand itself.
fn boxes_a_new_object(inst: &Inst) -> bool {
    use Inst::*;
    matches!(
        inst,
        IAddOv(..)
            | ISubOv(..)
            | IMulOv(..)
            | IFloorDiv(..)
            | IPow(..)
            | IAnd(..)
            | IAdd(..)
            | ISub(..)
            | IOr(..)
            | IXor(..)
            | INegOv(..)
            | IInvert(_)
            | FAdd(..)
            | FSub(..)
            | FMul(..)
            | FDiv(..)
            | FFloorDiv(..)
            | FMod(..)
            | FPow(..)
            | FNeg(_)
            | FMath(..)
            | IToF(_)
            | FToI(..)
    )
}
