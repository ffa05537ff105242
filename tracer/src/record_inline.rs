//! Inlining calls of Python functions into the trace.
//!
//! What: a `CALL` of a plain Python function (an exact function object, as
//! many positional arguments as parameters, no cells, no generator, no loop
//! of its own) is recorded through. The runtime turns INSTRUCTION events on
//! for the callee's code; the recorder follows its instructions with an
//! abstract frame of its own that starts with the arguments, and the value it
//! returns replaces the call on the caller's stack. Compiled code makes no
//! frame for the callee.
//!
//! Exits: with no callee frame to leave to, every exit inside the call leaves
//! to the outermost `CALL` in the loop's own frame, and the interpreter runs
//! the call from its start. That is exact only while the callee has changed
//! nothing, so once it stores into an object no exit may follow. Nothing in an
//! inlined callee may run Python code (no generic instruction), so no tool,
//! debugger or `sys._getframe` can see that its frame is missing. A callee
//! that breaks these rules ends the recording with `NotInlined`, and the
//! runtime stops inlining that function (its calls become generic ones).
//!
//! Deferred stores: a method that updates its instance and then tests it
//! (`self.x += self.vx; if self.x > w: ...`) would have its exits after the
//! store. So the callee's attribute stores of numbers, bools and constants are
//! emitted late (LuaJIT's store sinking, confined to one call): a `LOAD_ATTR`
//! of the place reads the value stored, and the stores are emitted when the
//! outermost call returns, or before an instruction that might see the
//! instance's memory some other way (a call, a container store). Exits before
//! that leave with nothing changed. Emitted, each store first has its guard
//! on the type of the value it replaces (one whose release runs no code, as
//! seen while recording), all of them ahead of the first store, so that the
//! stores themselves cannot exit (except where boxing a number runs out of
//! memory, which the interpreter then raises after the call was partly done).
//!
//! Guards: the function's identity (a constant from a watched dict or a class
//! whose version is guarded) and its `func_version`, which CPython changes
//! when `__code__`, `__defaults__` and the like are assigned.
//!
//! Rejected: making the callee's frame at an exit, as PyPy and LuaJIT do;
//! CPython has no API to push an interpreter frame from outside its eval loop.

use super::*;
use crate::ir::Elems;
use std::collections::BTreeSet;

/// How deep inlined calls may nest.
pub const MAX_INLINE_DEPTH: usize = 4;

/// A Python function the recorder may inline.
#[derive(Clone)]
pub struct PyFunction {
    /// The code object's address (the runtime watches for tools on it).
    pub code_addr: u64,
    pub code: LoopCode,
    /// `func_version` while recording.
    pub version: u32,
    /// `co_argcount`: the function is inlined when called with this many
    /// positional arguments, or with fewer that its defaults make up.
    pub argcount: u32,
    /// `__defaults__`: the values of the last parameters, when not passed.
    pub defaults: Vec<ConstValue>,
}

impl PyFunction {
    /// The arguments a call with `passed` positional ones leaves to defaults,
    /// or `None` when it does not fit the parameters.
    pub fn defaults_used(&self, passed: usize) -> Option<&[ConstValue]> {
        let missing = (self.argcount as usize).checked_sub(passed)?;
        let first = self.defaults.len().checked_sub(missing)?;
        Some(&self.defaults[first..])
    }
}

/// An attribute store of an inlined call not emitted yet: the value goes
/// to `base[index]`, where a value of type `replaced` was.
pub(super) struct DeferredStore {
    base: Ref,
    index: Ref,
    value: Ref,
    replaced: PyType,
}

/// Instructions that leave deferred stores deferred: none runs code or reads
/// an instance's attributes except by `LOAD_ATTR` (which sees the values
/// deferred), and what they change is no instance's attributes.
fn keeps_stores_deferred(opcode: Opcode) -> bool {
    use Opcode::*;
    matches!(
        opcode,
        Nop | Resume
            | LoadFast
            | LoadFastCheck
            | LoadFastAndClear
            | StoreFast
            | LoadConst
            | LoadGlobal
            | PushNull
            | PopTop
            | Copy
            | Swap
            | BinaryOp
            | BinarySubscr
            | CompareOp
            | IsOp
            | ContainsOp
            | UnaryNegative
            | UnaryNot
            | UnaryInvert
            | PopJumpIfFalse
            | PopJumpIfTrue
            | PopJumpIfNone
            | PopJumpIfNotNone
            | JumpForward
            | LoadAttr
            | StoreAttr
            | ReturnValue
            | ReturnConst
    )
}

/// The caller's abstract frame, kept while its callee is recorded.
pub(super) struct Caller {
    code: LoopCode,
    slots: HashMap<Slot, Ref>,
    written: BTreeSet<Slot>,
    depth: u32,
    last_offset: Option<u32>,
    /// The `CALL` being inlined.
    call: Instr,
    /// The callee's code object.
    callee: u64,
}

impl Caller {
    /// The slots of the caller's frame written so far.
    pub(super) fn frame_written(&self) -> &BTreeSet<Slot> {
        &self.written
    }
}

impl Recorder {
    /// Whether the recorder is inside an inlined call.
    pub(super) fn inlining(&self) -> bool {
        !self.callers.is_empty()
    }

    /// Where in the loop's own code the instruction at `pc` of the code being
    /// recorded runs: `pc` itself, or the `CALL` that led into the inlined
    /// code it is in. Aborts are reported there, as lines of the loop's
    /// function. (An inlined generator's offsets are still its own.)
    pub fn loop_pc(&self, pc: u32) -> u32 {
        match self.callers.first() {
            Some(outermost) => outermost.call.offset,
            None => pc,
        }
    }

    /// The code objects of the calls being recorded through, outermost first.
    pub fn inline_stack(&self) -> Vec<u64> {
        self.callers.iter().map(|c| c.callee).chain(self.running_generator()).collect()
    }

    /// Start recording `function`'s body for the `CALL` `instr` with `args`
    /// (`self` first for a method); `callee` holds the function.
    pub(super) fn inline_call(
        &mut self,
        instr: &Instr,
        callee: Ref,
        args: &[(Ref, Observed)],
        function: PyFunction,
        snap: SnapId,
    ) -> Outcome<()> {
        if self.in_generator() {
            return Err(AbortReason::NotYetImplemented("a call inlined into a generator".into()));
        }
        if self.callers.len() >= MAX_INLINE_DEPTH || self.callers.iter().any(|c| c.callee == function.code_addr) {
            return Err(AbortReason::NotYetImplemented("call nested too deep to inline".into()));
        }
        let version = self.value(Inst::LoadField(callee, Field::FuncVersion))?;
        let expected = self.e.const_i64(function.version as i64);
        let same = self.value(Inst::ICmp(Cmp::Eq, version, expected))?;
        self.guard(Inst::GuardTrue(same, snap))?;
        if self.callers.is_empty() {
            self.inline_exit = Some(snap);
            self.callee_changed = false;
        }
        if !self.inlined.contains(&function.code_addr) {
            self.inlined.push(function.code_addr);
        }
        let nlocalsplus = function.code.nlocalsplus;
        let caller = Caller {
            code: std::mem::replace(&mut self.code, function.code),
            slots: std::mem::take(&mut self.slots),
            written: std::mem::take(&mut self.written),
            depth: std::mem::replace(&mut self.depth, 0),
            last_offset: self.last_offset.take(),
            call: *instr,
            callee: function.code_addr,
        };
        self.callers.push(caller);
        let null = self.value(Inst::Null)?;
        for k in 0..nlocalsplus {
            let v = args.get(k as usize).map_or(null, |a| a.0);
            self.slots.insert(Slot(k), v);
        }
        // RESUME raises no INSTRUCTION event: the body's first instruction is next.
        let resume = self.code.decoded.at(0).filter(|i| i.opcode == Opcode::Resume);
        self.expect_pc = resume.map_or(0, |i| i.next);
        Ok(())
    }

    /// `RETURN_VALUE`/`RETURN_CONST` of an inlined callee: back to the caller,
    /// whose `CALL` leaves the value on its stack.
    pub(super) fn inline_return(&mut self, instr: &Instr, frame: &dyn FrameView) -> Outcome<()> {
        let result = if instr.opcode == Opcode::ReturnConst { self.load_const(instr.arg)? } else { self.pop(frame)? };
        let caller = self.callers.pop().expect("inside an inlined call");
        self.code = caller.code;
        self.slots = caller.slots;
        self.written = caller.written;
        self.depth = caller.depth;
        self.last_offset = caller.last_offset;
        self.expect_pc = caller.call.next;
        if self.callers.is_empty() {
            self.inline_exit = None;
        }
        for _ in 0..caller.call.arg + 2 {
            self.pop(frame)?;
        }
        self.push_checked(result);
        Ok(())
    }

    /// Before `instr`: emit the deferred stores, unless it keeps them
    /// deferred and is not the outermost call's return.
    pub(super) fn flush_unless_kept(&mut self, instr: &Instr) -> Outcome<()> {
        let returns = matches!(instr.opcode, Opcode::ReturnValue | Opcode::ReturnConst) && self.callers.len() == 1;
        if self.deferred.is_empty() || (keeps_stores_deferred(instr.opcode) && !returns) {
            return Ok(());
        }
        self.flush_deferred(returns)
    }

    /// `STORE_ATTR` of `value` into `base[index]`: whether it is deferred
    /// (in an inlined call that changed nothing yet, a number or a constant
    /// replacing a value whose release runs no code: `replaced` tells).
    /// Those not deferred come after the deferred ones.
    pub(super) fn defer_store(
        &mut self,
        base: Ref,
        index: Ref,
        value: Ref,
        replaced: impl FnOnce() -> Observed,
    ) -> Outcome<bool> {
        if !self.inlining() || self.in_generator() || self.callee_changed {
            return Ok(false);
        }
        // Values no instruction of the trace releases (an object the trace
        // owns might be released before its store): numbers, constants, and
        // elements borrowed from containers (`self.x = a if a > b else b`;
        // `flush_deferred` checks that no store frees one before its own).
        let number = matches!(self.e.ty(value), Ty::I64 | Ty::F64 | Ty::Bool);
        let deferrable = number || matches!(self.e.trace.inst(value), Inst::ConstObj(_)) || self.is_element(value);
        let same_place = self.deferred.iter().position(|d| d.base == base && d.index == index);
        let replaced = match (deferrable, same_place) {
            (true, Some(at)) => {
                self.deferred[at].value = value;
                return Ok(true);
            }
            (true, None) if !self.deferred.iter().any(|d| d.index == index) => match replaced() {
                Observed::Int(_) | Observed::BigInt => Some(PyType::Int),
                Observed::Float(_) => Some(PyType::Float),
                Observed::Bool(_) => Some(PyType::Bool),
                Observed::None => Some(PyType::NoneType),
                _ => None,
            },
            _ => None,
        };
        match replaced.filter(|ty| ty.released_by_stores()) {
            Some(replaced) => {
                self.deferred.push(DeferredStore { base, index, value, replaced });
                Ok(true)
            }
            None => self.flush_deferred(false).map(|()| false),
        }
    }

    /// After a deferred `STORE_ATTR`: its operands leave the stack.
    pub(super) fn stored_later(&mut self, frame: &dyn FrameView) -> Outcome<()> {
        self.pop(frame)?;
        self.pop(frame)?;
        self.note_store();
        Ok(())
    }

    /// For a `LOAD_ATTR` of `base[index]`: the value a deferred store put
    /// there. The stores are emitted first where another instance's
    /// attribute there may be the same place.
    pub(super) fn deferred_value(&mut self, base: Ref, index: Ref) -> Outcome<Option<Ref>> {
        if let Some(d) = self.deferred.iter().find(|d| d.base == base && d.index == index) {
            return Ok(Some(d.value));
        }
        if self.deferred.iter().any(|d| d.index == index) {
            self.flush_deferred(false)?;
        }
        Ok(None)
    }

    /// Emit the deferred stores: every guard on what they replace, then the
    /// stores (see the module comment). When `returning` from the outermost
    /// call, the callee's locals die with it: they may hold what the stores
    /// free (`x = self.x; ...; self.x = x / n`).
    fn flush_deferred(&mut self, returning: bool) -> Outcome<()> {
        let deferred = std::mem::take(&mut self.deferred);
        let Some(snap) = self.inline_exit.filter(|_| !deferred.is_empty()) else {
            return Ok(());
        };
        let start = self.e.trace.insts.len();
        for d in &deferred {
            let old = self.value(Inst::LoadElem(d.base, d.index, Elems::Array))?;
            self.guard(Inst::GuardType(old, d.replaced, snap))?;
        }
        for (k, d) in deferred.iter().enumerate() {
            let store = Inst::StoreElem(d.base, d.index, d.value, snap);
            let later = &deferred[k + 1..];
            if later.iter().any(|l| self.is_element(l.value) && self.store_may_free(&store, l.value)) {
                return Err(AbortReason::NotYetImplemented("a store may free what a later one stores".into()));
            }
            self.e.push(store);
            self.refuse_freeing_kept(Some(&store), returning)?;
        }
        self.flushed = start..self.e.trace.insts.len();
        Ok(())
    }

    /// After an instruction of an inlined callee emitted `insts[first..]`:
    /// refuse what the callee's missing frame cannot support (the deferred
    /// stores it emitted excepted: guards ahead of them stand for their exits).
    pub(super) fn check_inlined(&mut self, first: usize) -> Outcome<()> {
        for (at, inst) in self.e.trace.insts.iter().enumerate().skip(first) {
            if self.flushed.contains(&at) {
                self.callee_changed = true;
                continue;
            }
            if matches!(inst, Inst::Generic(..)) {
                return Err(AbortReason::NotYetImplemented("an instruction that needs the interpreter".into()));
            }
            if inst.snap().is_some() && self.callee_changed {
                return Err(AbortReason::NotYetImplemented("an exit after the callee changed an object".into()));
            }
            if inst.changes_objects() {
                self.callee_changed = true;
            }
        }
        Ok(())
    }

    /// Whether a live slot of a caller holds a borrowed element.
    pub(super) fn callers_keep_element(&self, kept: &dyn Fn(Ref) -> bool) -> bool {
        self.callers.iter().any(|c| {
            let live = |s: &Slot| s.live_at(c.code.nlocalsplus, c.depth);
            c.slots.iter().any(|(s, &v)| live(s) && kept(v))
        })
    }

    /// Why recording an inlined callee failed, naming the callee to stop
    /// inlining (the innermost one).
    pub(super) fn not_inlined(&self, reason: AbortReason) -> AbortReason {
        match (reason, self.callers.last()) {
            (reason @ AbortReason::NotInlined { .. }, _) | (reason, None) => reason,
            (reason, Some(caller)) => AbortReason::NotInlined { code: caller.callee, why: reason.to_string() },
        }
    }
}
