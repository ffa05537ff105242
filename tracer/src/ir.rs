//! The trace IR: a linear SSA list of small `Copy` instructions.
//!
//! A trace is one recorded loop iteration (the *pre-roll*) followed, after a
//! `loop` marker, by the loop body re-emitted from it (see `opt/peel.rs`).
//! Values are typed (`I64`, `F64`, `Bool`, `Obj`); ints and floats are unboxed.
//! Every instruction that may leave the trace (a guard, or an operation with an
//! overflow or zero-divisor check) names a snapshot: the bytecode offset to resume
//! at and which IR value holds each frame slot the trace changed.
//!
//! `Phi` instructions sit at the top of the body, one per loop-carried frame slot:
//! `phi a b` is `a` on the first entry into the body and `b` (its value at the end
//! of the previous iteration) afterwards. Codegen turns them into block parameters.
//!
//! The text form (`Display` for `Trace`, `parse_trace`, in `ir_text.rs`) is what
//! `hotloop dump` prints and what the pass tests are written in.

use crate::methods::{MethodId, MethodResult};

/// Index of an instruction in `Trace::insts`; also names the value it defines.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct Ref(pub u32);

/// Index of a snapshot in `Trace::snaps`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct SnapId(pub u32);

/// A frame slot: `localsplus[slot]`. Locals come first, then the value stack
/// (`co_nlocalsplus + depth`). From `NAME_SLOTS` on, a slot is a name of the
/// frame's namespace dict (module-level variables, `co_names[slot - NAME_SLOTS]`).
///
/// An *identity slot* (`Slot::identity`) is no place in the frame: in a
/// snapshot it holds the object that an unboxed value of the slot it shadows
/// already is (or NULL), so an exit writes that object instead of boxing a new
/// one that `is` could tell apart. See `opt::peel`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct Slot(pub u32);

pub const NAME_SLOTS: u32 = 1 << 24;
/// From here on, a slot is `localsplus[slot - GENERATOR_SLOTS]` of the frame
/// of the generator the trace runs inlined (see `Trace::generator`).
const GENERATOR_SLOTS: u32 = 1 << 26;
const IDENTITY_SLOTS: u32 = 1 << 30;

impl Slot {
    pub fn name(index: u32) -> Slot {
        Slot(NAME_SLOTS + index)
    }

    /// Slot `index` of the inlined generator's frame.
    pub fn generator(index: u32) -> Slot {
        Slot(GENERATOR_SLOTS + index)
    }

    /// For a slot of the inlined generator's frame, its index there.
    pub fn generator_index(self) -> Option<u32> {
        self.0.checked_sub(GENERATOR_SLOTS).filter(|_| self.0 < IDENTITY_SLOTS)
    }

    /// The identity slot that shadows this slot.
    pub fn identity(self) -> Slot {
        Slot(self.0 | IDENTITY_SLOTS)
    }

    /// For an identity slot, the slot it shadows.
    pub fn shadowed(self) -> Option<Slot> {
        (self.0 & IDENTITY_SLOTS != 0).then_some(Slot(self.0 & !IDENTITY_SLOTS))
    }

    /// Whether the slot holds a value when the stack is `depth` deep: names and
    /// locals always, stack slots below that depth. (A generator's slots have
    /// a depth of their own: see `Snapshot::holds`.)
    pub fn live_at(self, nlocalsplus: u32, depth: u32) -> bool {
        let slot = self.shadowed().unwrap_or(self);
        slot.name_index().is_some() || slot.generator_index().is_some() || slot.0 < nlocalsplus + depth
    }

    /// The `co_names` index of a name slot.
    pub fn name_index(self) -> Option<u32> {
        self.0.checked_sub(NAME_SLOTS).filter(|_| self.0 < GENERATOR_SLOTS)
    }

    fn parse(text: &str) -> Option<Slot> {
        match text.split_at_checked(1)? {
            ("s", n) => n.parse().ok().map(Slot),
            ("n", n) => n.parse().ok().map(Slot::name),
            ("g", n) => n.parse().ok().map(Slot::generator),
            ("i", shadowed) => Slot::parse(shadowed).filter(|s| s.shadowed().is_none()).map(Slot::identity),
            _ => None,
        }
    }
}

impl Ref {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

impl SnapId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// The machine type of an IR value. `Void` for instructions that define none.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Ty {
    Void,
    I64,
    F64,
    Bool,
    /// A borrowed `PyObject*` (may be NULL only where produced by `null`).
    Obj,
}

/// The Python types a guard can check for. Their addresses come from `abi::Abi`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum PyType {
    Int,
    Float,
    Bool,
    NoneType,
    RangeIter,
    List,
    Tuple,
    ListIter,
    ListRevIter,
    /// Both types of a str's iterator (ASCII or not), which share a layout.
    StrIter,
    TupleIter,
    Enumerate,
    Zip,
    Dict,
    Str,
    /// The iterators of `iter(d)` (or `d.keys()`), `d.values()` and `d.items()`.
    DictKeyIter,
    DictValueIter,
    DictItemIter,
    Set,
    Cell,
    /// An exact generator.
    Generator,
}

impl PyType {
    /// Whether a compiled store may release an object of this type: stores
    /// give up on replacing anything but an int, float, bool or None.
    pub fn released_by_stores(self) -> bool {
        matches!(self, PyType::Int | PyType::Float | PyType::Bool | PyType::NoneType)
    }
}

/// Comparison condition, shared by ints and floats. For floats every condition
/// but `Ne` is ordered (false when either side is NaN) and `Ne` is unordered,
/// which is what Python's float comparisons do.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Cmp {
    Lt,
    Le,
    Eq,
    Ne,
    Gt,
    Ge,
}

/// `math` functions of one float that compiled code calls in libm, exiting where
/// CPython's `math` module would raise (a NaN from a non-NaN argument, an
/// infinity from a finite one).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum MathFn {
    Sqrt,
    Exp,
    Log,
    Log10,
    Sin,
    Cos,
    Tan,
    Atan,
}

/// What a `generic` instruction gives the trace: the object it leaves on the
/// value stack, the truth of the value it tests (`POP_JUMP_IF_*`), or nothing
/// (stores).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum OpOut {
    Obj,
    Truth,
    Nothing,
}

impl OpOut {
    pub fn name(self) -> &'static str {
        match self {
            OpOut::Obj => "generic",
            OpOut::Truth => "generic_truth",
            OpOut::Nothing => "generic_void",
        }
    }
}

/// How a float becomes an int.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Rounding {
    Trunc,
    Floor,
    Ceil,
}

/// Fields of CPython objects the trace reads and writes directly; their byte
/// offsets come from `abi::Abi`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Field {
    RangeIterStart,
    RangeIterStep,
    RangeIterLen,
    /// `ob_size` of a list or tuple.
    SeqSize,
    /// A list's `ob_item` array (its address, as an i64).
    ListItems,
    /// A list or tuple iterator's `it_index`, and its `it_seq` (NULL once exhausted).
    SeqIterIndex,
    SeqIterSeq,
    /// `enumerate`: its next index, the iterator it draws from, and the big-int
    /// index it switches to past `sys.maxsize` (NULL before).
    EnumIndex,
    EnumIter,
    EnumLongIndex,
    /// `zip`: how many iterators, the tuple of them, and whether it is strict.
    ZipSize,
    ZipIters,
    ZipStrict,
    /// Any object's type (its address).
    ObType,
    /// A type's `tp_version_tag` (32 bits): nonzero, unique to one type in one
    /// state; any change to the type or its bases gives it another.
    TypeVersion,
    /// An instance's tagged dict-or-values word (before the object): with bit 0
    /// set it is the address of the inline values array minus one, else a dict.
    InstanceValues,
    /// A heap type's shared instance keys, and how many names they hold.
    CachedKeys,
    KeysCount,
    /// A function's `func_version` (32 bits), changed when its code, defaults
    /// or the like are assigned.
    FuncVersion,
    /// A builtin function or method object's `PyMethodDef` (its address) and
    /// the object it is bound to (`out.append`: `out`); neither ever changes.
    CFunctionDef,
    CFunctionSelf,
    /// A `str`'s length in code points.
    StrLength,
    /// A set's number of elements (`used`).
    SetUsed,
    /// A dict's number of items (`ma_used`).
    DictUsed,
    /// A generator's code object, its frame state (`gi_frame_state`, 8 bits,
    /// sign-extended) and its frame's instruction pointer. Compiled code that
    /// runs a generator inlined leaves them as they were on entry: only the
    /// interpreter changes them.
    GenCode,
    GenState,
    GenPrevInstr,
}

impl Field {
    /// What a load of the field gives: an object pointer or an integer.
    pub fn ty(self) -> Ty {
        match self {
            Field::SeqIterSeq
            | Field::EnumIter
            | Field::EnumLongIndex
            | Field::ZipIters
            | Field::GenCode
            | Field::CFunctionSelf => Ty::Obj,
            _ => Ty::I64,
        }
    }

    /// Whether only Python code changes the field (nothing compiled code does
    /// without a `generic` instruction): `__class__` assignment, changing a
    /// class, materializing an instance's `__dict__`, adding an attribute name.
    pub fn only_python_changes(self) -> bool {
        use Field::*;
        matches!(
            self,
            ObType
                | TypeVersion
                | InstanceValues
                | CachedKeys
                | KeysCount
                | FuncVersion
                | CFunctionDef
                | CFunctionSelf
                | StrLength
                | GenCode
                | GenState
                | GenPrevInstr
        )
    }

    /// Whether the field is 8 bits wide (sign-extended on load).
    pub fn is_i8(self) -> bool {
        self == Field::GenState
    }

    /// Whether the field is 32 bits wide (zero-extended on load).
    pub fn is_u32(self) -> bool {
        matches!(self, Field::TypeVersion | Field::FuncVersion)
    }
}

/// Where `load_elem` finds element 0: in a list's item array (the base is the
/// array's address) or inline in a tuple (the base is the tuple).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Elems {
    Array,
    Tuple,
}

/// One instruction. Operands are `Ref`s to earlier instructions.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Inst {
    // Constants.
    ConstI64(i64),
    /// Stored as bits so that `Inst` can be hashed and `-0.0`/NaN stay distinct.
    ConstF64(u64),
    ConstBool(bool),
    /// An object kept alive by the code object (a constant) or immortal.
    ConstObj(u64),
    /// The NULL of an unbound local.
    Null,

    // The frame.
    /// Read `localsplus[slot]` as it was when the trace was entered (borrowed).
    LoadSlot(Slot),
    /// Read a name slot from the frame's namespace dict as it was when the trace
    /// was entered (borrowed; NULL when unbound). The operand is the key.
    LoadName(Slot, Ref),

    /// Before a store to a local (or after the program dropped a value a
    /// stack slot of the frame still holds): release the frame's reference to
    /// the object in the slot, if that is not an exact int, float, bool or None
    /// (their release cannot be seen, so it waits for the exit that writes the
    /// slot). One held elsewhere too is released and the slot cleared; one
    /// held by the slot alone waits too if freeing it runs no code (a str, a
    /// list or tuple of such); else it would run `__del__`: the trace leaves
    /// first, and the interpreter's store (or the exit's write of the frame)
    /// frees it where CPython does.
    ReleaseSlot(Slot, SnapId),

    // Guards: leave the trace through `snap` unless the condition holds.
    /// The object is not NULL and its type is exactly `ty`.
    GuardType(Ref, PyType, SnapId),
    GuardNotNull(Ref, SnapId),
    GuardTrue(Ref, SnapId),
    GuardFalse(Ref, SnapId),

    // Boxes and unboxing.
    /// An exact int known to be an `int`; exits if it does not fit in an i64.
    UnboxInt(Ref, SnapId),
    UnboxFloat(Ref),
    UnboxBool(Ref),

    // Integer arithmetic. Those with a snapshot exit where CPython would produce a
    // value outside i64 or raise (the interpreter then does it exactly).
    IAddOv(Ref, Ref, SnapId),
    ISubOv(Ref, Ref, SnapId),
    IMulOv(Ref, Ref, SnapId),
    INegOv(Ref, SnapId),
    /// Python's floor division: exits on a zero divisor and on `MIN // -1`.
    IFloorDiv(Ref, Ref, SnapId),
    /// Python's modulo (sign of the divisor): exits on a zero divisor.
    IMod(Ref, Ref, SnapId),
    /// `a ** b` for `b >= 0`; exits on a negative exponent or overflow.
    IPow(Ref, Ref, SnapId),
    /// `a << b`: exits on a negative count or lost bits.
    IShl(Ref, Ref, SnapId),
    /// `a >> b` (arithmetic): exits on a negative count.
    IShr(Ref, Ref, SnapId),
    IAnd(Ref, Ref),
    /// Wrapping `+` and `-`, for values whose bounds rule out overflow (an
    /// iterator's index below its sequence's size) or where CPython's own C
    /// arithmetic wraps (a range iterator's next start, past its last item).
    IAdd(Ref, Ref),
    ISub(Ref, Ref),
    IOr(Ref, Ref),
    IXor(Ref, Ref),
    /// `~a`, which is `-a - 1` and never overflows.
    IInvert(Ref),
    ICmp(Cmp, Ref, Ref),
    /// Whether CPython's `a % b` returns the object `a` itself (its remainder
    /// routine does when `|a|` has fewer 30-bit digits than `|b|`, and the signs
    /// agree), so the trace can keep `a`'s identity.
    IModKeeps(Ref, Ref),
    /// Whether CPython's `a >> b` returns the object `a` itself (a shift by 0 of
    /// a negative int of more than one digit).
    IShrKeeps(Ref, Ref),

    // Float arithmetic (IEEE, as CPython's float does).
    FAdd(Ref, Ref),
    FSub(Ref, Ref),
    FMul(Ref, Ref),
    /// Exits on a zero divisor (CPython raises `ZeroDivisionError`).
    FDiv(Ref, Ref, SnapId),
    FFloorDiv(Ref, Ref, SnapId),
    FMod(Ref, Ref, SnapId),
    /// Exits wherever CPython's `float.__pow__` would raise or return a complex.
    FPow(Ref, Ref, SnapId),
    FNeg(Ref),
    FCmp(Cmp, Ref, Ref),

    /// `abs` of an int: exits on `abs(i64::MIN)`.
    IAbsOv(Ref, SnapId),
    FAbs(Ref),
    /// Python's `min(a, b)`/`max(a, b)` of two values of one type: `a` unless `b`
    /// is strictly smaller (larger); with a NaN involved that is `a`.
    IMin(Ref, Ref),
    IMax(Ref, Ref),
    FMin(Ref, Ref),
    FMax(Ref, Ref),
    FMath(MathFn, Ref, SnapId),

    // Conversions.
    /// float -> int (`int()`, `math.floor`, `math.ceil`): exits on NaN, infinities
    /// and results outside i64.
    FToI(Rounding, Ref, SnapId),
    /// int -> float, rounded to nearest as `PyLong_AsDouble` does.
    IToF(Ref),
    /// int -> float, exiting unless the int is exactly representable (|a| <= 2**53).
    IToFExact(Ref, SnapId),
    BoolToI(Ref),
    BNot(Ref),
    /// Truthiness of an int (`a != 0`) or a float (`a != 0.0`, NaN is true).
    ITruth(Ref),
    FTruth(Ref),
    /// Pointer identity of two objects.
    ObjIs(Ref, Ref),

    // Memory.
    /// A borrowed element of a list or tuple: the base, and an index the trace
    /// has checked against the size.
    LoadElem(Ref, Ref, Elems),
    /// Element `index` of the object-pointer array at `base` (a list's items,
    /// an instance's inline values, or the object itself for a `__slots__`
    /// member) becomes `value`, boxed or referenced: exits, before changing
    /// anything, unless the element replaced is an exact int, float, bool or
    /// None (whose release runs no Python code).
    StoreElem(Ref, Ref, Ref, SnapId),
    /// `list.append(value)` (boxing a number): exits, changing nothing, if
    /// memory runs out.
    ListAppend(Ref, Ref, SnapId),
    /// `FOR_ITER` at the end of a range, list, tuple or str iterator (the
    /// type) in a stack slot of the frame: clears the iterator as its
    /// `__next__` does there and pops it, releasing the frame's reference and
    /// emptying the slot. Exits, changing nothing, when the iterator is not at
    /// its end or a release could run Python code.
    ForIterEnd(PyType, Slot, SnapId),
    /// `GET_ITER` into a stack slot of the frame that a `for_iter_end`
    /// emptied: of an exact list, tuple, str or dict (one operand), or of
    /// `range(start, stop, step)` (three i64 operands, the `CALL` fused in).
    /// The new iterator is the frame's, borrowed by the trace. Exits,
    /// changing nothing, where `range` raises, memory runs out or the slot
    /// still holds an object.
    GetIter(Operands, Slot, SnapId),
    LoadField(Ref, Field),
    StoreField(Ref, Field, Ref),
    /// `dict[key]` for an exact dict and a key that is an int (unboxed or an
    /// exact int) or an exact str: the value, borrowed, or NULL when absent.
    /// Exits, before anything ran, where the lookup could run Python code (it
    /// would compare the key with a stored key of another type by `__eq__`).
    DictGet(Ref, Ref, SnapId),
    /// `dict[key] = value` (the value boxed or referenced) for keys as in
    /// `dict_get`: exits, changing nothing, where that could run Python code
    /// (a comparison, or the release of a replaced value that is not a number
    /// or None), or when the dict is watched (a namespace).
    DictSet(Ref, Ref, Ref, SnapId),
    /// `s[index]` of an exact str, the index checked against its length: the
    /// one-character string, which CPython keeps for every character below 256
    /// (exits for any other).
    StrChar(Ref, Ref, SnapId),
    /// The same for any character, as a new reference: the character a str
    /// iterator gives (a new str above 255); exits only if memory runs out.
    StrCharNew(Ref, Ref, SnapId),
    /// `cond ? a : b`, of two values of one type.
    Select(Ref, Ref, Ref),
    /// `key in container` for an exact set, list or tuple and a key as for
    /// `dict_get`: exits, before anything observable ran, where finding out
    /// could run Python code (a list or tuple is searched as CPython does, in
    /// order, so the search gives up at the first item it cannot compare).
    Contains(PyType, Ref, Ref, SnapId),
    /// `set.add(key)`, keys as for `dict_set`: exits, changing nothing, where
    /// that could run Python code or store another object than CPython would.
    SetAdd(Ref, Ref, SnapId),
    /// Advance a dict iterator (of any of the three kinds) as its `__next__`
    /// does, giving the address of the entry's key; its value is the next word.
    /// Exits, changing nothing, where `__next__` would not simply return an
    /// item: exhausted, the dict changed size (CPython raises), or a split
    /// table (an instance's `__dict__`).
    DictIterNext(Ref, SnapId),

    // Strings. The str results are new references the trace owns (see
    // `opt::own`); the helpers exit, changing nothing, if memory runs out.
    /// `a + b` of two exact strs.
    StrConcat(Ref, Ref, SnapId),
    /// `a + b` where the trace's reference to `a` ends here: `a` grows in place
    /// when nothing else holds it, as CPython's `s += t` does (`opt::own` makes
    /// these from `str_concat`).
    StrAppend(Ref, Ref, SnapId),
    /// `s[start:stop]` of an exact str or list (the type), the bounds as
    /// Python takes them (negative counts from the end, out of range clamps).
    Slice(PyType, Ref, Ref, Ref, SnapId),
    /// `str(i)` of an int.
    IntToStr(Ref, SnapId),
    /// `needle in hay` of two exact strs (operands in that order).
    StrContains(Ref, Ref),
    /// A comparison of two exact strs.
    StrCmp(Cmp, Ref, Ref),
    /// A method of a builtin type on its receiver and arguments (operands, in
    /// order), called through its C implementation (see `methods`): exits,
    /// having changed nothing, when it raises.
    CallMethod(MethodId, Operands, SnapId),
    /// `BUILD_TUPLE` or `BUILD_LIST` (the type) of the operands, each boxed or
    /// taken with a reference of the new object's own: a new object the trace
    /// owns; exits, having changed nothing, when memory runs out.
    BuildSeq(PyType, Operands, SnapId),
    /// An `enumerate` or `zip` (the first operand) refills the result tuple it
    /// caches with the items of this turn (the other operands, each boxed or
    /// taken with a reference of the tuple's own), releasing the ones there,
    /// as its `__next__` does when only it holds that tuple (else it does
    /// nothing: CPython makes a new tuple, which the unpacking drops). Exits,
    /// having changed nothing, where that release would free an object that
    /// holds others (or has a `__del__`), which the interpreter then does.
    RefillResult(Operands, SnapId),
    /// A reference of the trace's own to an object: an element read from a
    /// container the trace made, which it may release while the element lives.
    NewRef(Ref),
    /// The number its operand is, as another object: two computations that
    /// CPython boxes as two objects (`a = i + 5; b = i + 5`), which commoning
    /// made one value. Exits box it apart from its operand, so `a is b`
    /// stays False; compiled code uses the operand's register.
    Fresh(Ref),
    /// The trace's reference to a value it may own ends here, where the last
    /// frame slot holding the value let go of it. Recorded for every value that
    /// may turn out owned (a string made, an entry value that becomes a phi);
    /// `opt::own` keeps only those that are owned.
    Release(Ref),

    // The interpreter's own way.
    /// Run the bytecode instruction at the snapshot's offset as the interpreter
    /// does, through the C API, on the frame: the runtime first writes the
    /// snapshot into the frame (so Python code the instruction runs sees the
    /// frame as CPython would show it), then pops the operands from the frame's
    /// stack and pushes the result there. The object result is borrowed from the
    /// frame. The trace leaves after the instruction when it raised (the
    /// interpreter raises the exception at its offset) or when the code it ran
    /// changed what the trace relies on (a global, a tool switched on).
    Generic(OpOut, SnapId),
    /// The value the `generic` instruction just before left under its result
    /// on the frame's stack (`BEFORE_WITH` pushes two), borrowed from the frame.
    GenericBelow(Ref),

    // Loop structure.
    /// Separates the pre-roll from the loop body.
    Loop,
    /// Loop-carried value: first operand on entry, second on each back edge.
    Phi(Ref, Ref),
    /// Starts a side block (a bridge): the instructions after it, up to the next
    /// `side` or the end, run when the guard operand fails instead of leaving the
    /// trace. They may use values defined before that guard and their own.
    Side(Ref),
    /// At the end of a side block: the value the phi (first operand) takes when
    /// the side block jumps back to the loop header. One per phi.
    SideBack(Ref, Ref),
    /// Ends a side block instead of its `side_back`s: leaves through the
    /// snapshot, which is the frame at the loop header, and the runtime enters
    /// the trace again from its pre-roll (see `opt::bridge`).
    Reenter(SnapId),
}

impl Inst {
    /// The snapshot this instruction leaves the trace through, if it can.
    pub fn snap(&self) -> Option<SnapId> {
        use Inst::*;
        match *self {
            GuardType(_, _, s) | GuardNotNull(_, s) | GuardTrue(_, s) | GuardFalse(_, s) => Some(s),
            UnboxInt(_, s) | INegOv(_, s) | IToFExact(_, s) | IAbsOv(_, s) => Some(s),
            FMath(_, _, s) | FToI(_, _, s) | StoreElem(_, _, _, s) | ListAppend(_, _, s) | Generic(_, s) => Some(s),
            DictGet(_, _, s) | DictSet(_, _, _, s) | StrChar(_, _, s) | StrCharNew(_, _, s) | DictIterNext(_, s) => {
                Some(s)
            }
            Contains(_, _, _, s) | SetAdd(_, _, s) => Some(s),
            ReleaseSlot(_, s) | StrConcat(_, _, s) | StrAppend(_, _, s) | Slice(_, _, _, _, s) | IntToStr(_, s) => {
                Some(s)
            }
            CallMethod(_, _, s) | BuildSeq(_, _, s) | GetIter(_, _, s) | ForIterEnd(_, _, s) => Some(s),
            RefillResult(_, s) => Some(s),
            Reenter(s) => Some(s),
            IAddOv(_, _, s) | ISubOv(_, _, s) | IMulOv(_, _, s) | IFloorDiv(_, _, s) | IMod(_, _, s) => Some(s),
            IPow(_, _, s) | IShl(_, _, s) | IShr(_, _, s) => Some(s),
            FDiv(_, _, s) | FFloorDiv(_, _, s) | FMod(_, _, s) | FPow(_, _, s) => Some(s),
            _ => None,
        }
    }

    pub fn set_snap(&mut self, new: SnapId) {
        use Inst::*;
        match self {
            GuardType(_, _, s) | GuardNotNull(_, s) | GuardTrue(_, s) | GuardFalse(_, s) => *s = new,
            UnboxInt(_, s) | INegOv(_, s) | IToFExact(_, s) | IAbsOv(_, s) => *s = new,
            FMath(_, _, s) | FToI(_, _, s) | StoreElem(_, _, _, s) | ListAppend(_, _, s) | Generic(_, s) => *s = new,
            DictGet(_, _, s) | DictSet(_, _, _, s) | StrChar(_, _, s) | StrCharNew(_, _, s) | DictIterNext(_, s) => {
                *s = new
            }
            Contains(_, _, _, s) | SetAdd(_, _, s) => *s = new,
            ReleaseSlot(_, s) | StrConcat(_, _, s) | StrAppend(_, _, s) | Slice(_, _, _, _, s) | IntToStr(_, s) => {
                *s = new
            }
            CallMethod(_, _, s) | BuildSeq(_, _, s) | GetIter(_, _, s) | ForIterEnd(_, _, s) => *s = new,
            RefillResult(_, s) => *s = new,
            Reenter(s) => *s = new,
            IAddOv(_, _, s) | ISubOv(_, _, s) | IMulOv(_, _, s) | IFloorDiv(_, _, s) | IMod(_, _, s) => *s = new,
            IPow(_, _, s) | IShl(_, _, s) | IShr(_, _, s) => *s = new,
            FDiv(_, _, s) | FFloorDiv(_, _, s) | FMod(_, _, s) | FPow(_, _, s) => *s = new,
            _ => {}
        }
    }

    /// The operands, in order.
    pub fn operands(&self) -> Operands {
        use Inst::*;
        let mut ops = Operands::default();
        match *self {
            ConstI64(_) | ConstF64(_) | ConstBool(_) | ConstObj(_) | Null | LoadSlot(_) | Loop | Generic(..) => {}
            ReleaseSlot(..) | ForIterEnd(..) | Reenter(_) => {}
            GuardType(a, _, _) | GuardNotNull(a, _) | GuardTrue(a, _) | GuardFalse(a, _) | Side(a) => ops.push(a),
            DictIterNext(a, _) | IntToStr(a, _) | Release(a) | NewRef(a) | GenericBelow(a) | Fresh(a) => ops.push(a),
            StrConcat(a, b, _) | StrAppend(a, b, _) | StrContains(a, b) | StrCmp(_, a, b) => ops.push2(a, b),
            Slice(_, a, b, c, _) => ops.push3(a, b, c),
            CallMethod(_, args, _) | BuildSeq(_, args, _) | GetIter(args, _, _) | RefillResult(args, _) => ops = args,
            SideBack(a, b) => ops.push2(a, b),
            LoadName(_, a) => ops.push(a),
            StoreElem(a, b, c, _) | DictSet(a, b, c, _) | Select(a, b, c) => ops.push3(a, b, c),
            DictGet(a, b, _) | StrChar(a, b, _) | StrCharNew(a, b, _) | Contains(_, a, b, _) | SetAdd(a, b, _) => {
                ops.push2(a, b)
            }
            ListAppend(a, b, _) => ops.push2(a, b),
            UnboxInt(a, _) | UnboxFloat(a) | UnboxBool(a) | INegOv(a, _) | IInvert(a) | FNeg(a) => ops.push(a),
            IToF(a) | IToFExact(a, _) | BoolToI(a) | BNot(a) | ITruth(a) | FTruth(a) | LoadField(a, _) => ops.push(a),
            IAddOv(a, b, _) | ISubOv(a, b, _) | IMulOv(a, b, _) | IFloorDiv(a, b, _) | IMod(a, b, _) => ops.push2(a, b),
            IPow(a, b, _)
            | IShl(a, b, _)
            | IShr(a, b, _)
            | IAnd(a, b)
            | IOr(a, b)
            | IXor(a, b)
            | IAdd(a, b)
            | ISub(a, b) => ops.push2(a, b),
            ICmp(_, a, b) | FCmp(_, a, b) | FAdd(a, b) | FSub(a, b) | FMul(a, b) | ObjIs(a, b) => ops.push2(a, b),
            IModKeeps(a, b) | IShrKeeps(a, b) => ops.push2(a, b),
            FDiv(a, b, _) | FFloorDiv(a, b, _) | FMod(a, b, _) | FPow(a, b, _) | Phi(a, b) => ops.push2(a, b),
            StoreField(a, _, b) | LoadElem(a, b, _) => ops.push2(a, b),
            IAbsOv(a, _) | FAbs(a) | FMath(_, a, _) | FToI(_, a, _) => ops.push(a),
            IMin(a, b) | IMax(a, b) | FMin(a, b) | FMax(a, b) => ops.push2(a, b),
        }
        ops
    }

    /// Rewrite every operand through `f` (used by copy-substitution and renumbering).
    pub fn map_operands(&mut self, mut f: impl FnMut(Ref) -> Ref) {
        use Inst::*;
        match self {
            ConstI64(_) | ConstF64(_) | ConstBool(_) | ConstObj(_) | Null | LoadSlot(_) | Loop | Generic(..) => {}
            ReleaseSlot(..) | ForIterEnd(..) | Reenter(_) => {}
            GuardType(a, _, _) | GuardNotNull(a, _) | GuardTrue(a, _) | GuardFalse(a, _) | Side(a) | LoadName(_, a) => {
                *a = f(*a)
            }
            DictIterNext(a, _) | IntToStr(a, _) | Release(a) | NewRef(a) | GenericBelow(a) | Fresh(a) => *a = f(*a),
            CallMethod(_, args, _) | BuildSeq(_, args, _) | GetIter(args, _, _) | RefillResult(args, _) => {
                args.refs[..args.len as usize].iter_mut().for_each(|a| *a = f(*a))
            }
            StrConcat(a, b, _) | StrAppend(a, b, _) | StrContains(a, b) | StrCmp(_, a, b) => {
                *a = f(*a);
                *b = f(*b);
            }
            UnboxInt(a, _) | UnboxFloat(a) | UnboxBool(a) | INegOv(a, _) | IInvert(a) | FNeg(a) => *a = f(*a),
            IToF(a)
            | IToFExact(a, _)
            | BoolToI(a)
            | BNot(a)
            | ITruth(a)
            | FTruth(a)
            | LoadField(a, _)
            | IAbsOv(a, _)
            | FAbs(a)
            | FMath(_, a, _)
            | FToI(_, a, _) => *a = f(*a),
            IAddOv(a, b, _)
            | ISubOv(a, b, _)
            | IMulOv(a, b, _)
            | IFloorDiv(a, b, _)
            | IMod(a, b, _)
            | IPow(a, b, _)
            | IShl(a, b, _)
            | IShr(a, b, _)
            | IAnd(a, b)
            | IAdd(a, b)
            | ISub(a, b)
            | IOr(a, b)
            | IXor(a, b)
            | ICmp(_, a, b)
            | FCmp(_, a, b)
            | FAdd(a, b)
            | FSub(a, b)
            | FMul(a, b)
            | ObjIs(a, b)
            | IModKeeps(a, b)
            | IShrKeeps(a, b)
            | FDiv(a, b, _)
            | FFloorDiv(a, b, _)
            | FMod(a, b, _)
            | FPow(a, b, _)
            | Phi(a, b)
            | StoreField(a, _, b)
            | LoadElem(a, b, _)
            | SideBack(a, b)
            | IMin(a, b)
            | IMax(a, b)
            | FMin(a, b)
            | FMax(a, b) => {
                *a = f(*a);
                *b = f(*b);
            }
            StoreElem(a, b, c, _) | DictSet(a, b, c, _) | Select(a, b, c) | Slice(_, a, b, c, _) => {
                *a = f(*a);
                *b = f(*b);
                *c = f(*c);
            }
            DictGet(a, b, _) | StrChar(a, b, _) | StrCharNew(a, b, _) | Contains(_, a, b, _) | SetAdd(a, b, _) => {
                *a = f(*a);
                *b = f(*b);
            }
            ListAppend(a, b, _) => {
                *a = f(*a);
                *b = f(*b);
            }
        }
    }

    /// The type of the value defined, given the types of earlier instructions.
    pub fn ty(&self, ty_of: impl Fn(Ref) -> Ty) -> Ty {
        use Inst::*;
        match *self {
            ConstI64(_) | UnboxInt(..) | IAddOv(..) | ISubOv(..) | IMulOv(..) | INegOv(..) => Ty::I64,
            IFloorDiv(..) | IMod(..) | IPow(..) | IShl(..) | IShr(..) | IAnd(..) | IOr(..) | IXor(..) | IAdd(..)
            | ISub(..) => Ty::I64,
            IInvert(_) | BoolToI(_) | IAbsOv(..) | IMin(..) | IMax(..) | FToI(..) => Ty::I64,
            FAbs(_) | FMin(..) | FMax(..) | FMath(..) => Ty::F64,
            ConstF64(_) | UnboxFloat(_) | FAdd(..) | FSub(..) | FMul(..) | FDiv(..) | FFloorDiv(..) => Ty::F64,
            FMod(..) | FPow(..) | FNeg(_) | IToF(_) | IToFExact(..) => Ty::F64,
            ConstBool(_) | UnboxBool(_) | ICmp(..) | FCmp(..) | BNot(_) | ITruth(_) | FTruth(_) | ObjIs(..) => Ty::Bool,
            IModKeeps(..) | IShrKeeps(..) | StrContains(..) | StrCmp(..) | Contains(..) => Ty::Bool,
            DictIterNext(..) => Ty::I64,
            StrConcat(..) | StrAppend(..) | Slice(..) | IntToStr(..) | NewRef(_) | BuildSeq(..) => Ty::Obj,
            CallMethod(m, _, _) => match m.method().result {
                MethodResult::Object(_) | MethodResult::AnyObject => Ty::Obj,
                MethodResult::Int => Ty::I64,
                MethodResult::Bool => Ty::Bool,
                MethodResult::Nothing => Ty::Void,
            },
            Release(_) => Ty::Void,
            ConstObj(_) | Null | LoadSlot(_) | LoadName(..) | LoadElem(..) | DictGet(..) | StrChar(..)
            | StrCharNew(..) | GenericBelow(_) | GetIter(..) => Ty::Obj,
            Select(_, a, _) | Fresh(a) => ty_of(a),
            GuardType(..) | GuardNotNull(..) | GuardTrue(..) | GuardFalse(..) | StoreField(..) | Loop => Ty::Void,
            ReleaseSlot(..) | ForIterEnd(..) => Ty::Void,
            StoreElem(..) | ListAppend(..) | DictSet(..) | SetAdd(..) | RefillResult(..) => Ty::Void,
            Side(_) | SideBack(..) | Reenter(_) => Ty::Void,
            Phi(a, _) => ty_of(a),
            LoadField(_, f) => f.ty(),
            Generic(OpOut::Obj, _) => Ty::Obj,
            Generic(OpOut::Truth, _) => Ty::Bool,
            Generic(OpOut::Nothing, _) => Ty::Void,
        }
    }

    /// Pure instructions depend only on their operands: they may be folded,
    /// commoned and removed when unused. Guards are commoned but never removed.
    pub fn is_pure(&self) -> bool {
        !matches!(
            self,
            Inst::LoadField(..)
                | Inst::LoadElem(..)
                | Inst::StoreElem(..)
                | Inst::RefillResult(..)
                | Inst::DictGet(..)
                | Inst::DictSet(..)
                | Inst::Contains(..)
                | Inst::SetAdd(..)
                | Inst::StrChar(..)
                | Inst::StrCharNew(..)
                | Inst::DictIterNext(..)
                | Inst::ReleaseSlot(..)
                | Inst::ForIterEnd(..)
                | Inst::GetIter(..)
                | Inst::Fresh(_)
                | Inst::Release(_)
                | Inst::ListAppend(..)
                | Inst::Generic(..)
                | Inst::GenericBelow(_)
                | Inst::StoreField(..)
                | Inst::Loop
                | Inst::Phi(..)
                | Inst::LoadSlot(_)
                | Inst::LoadName(..)
                | Inst::Side(_)
                | Inst::SideBack(..)
                | Inst::Reenter(_)
        ) && !self.is_guard()
            && !self.makes_object()
            && !self.changes_objects()
    }

    /// Instructions that change an object the program can see (a list, dict,
    /// instance or iterator), so that re-running the bytecode from before them
    /// would do it twice.
    pub fn changes_objects(&self) -> bool {
        matches!(
            self,
            Inst::StoreElem(..)
                | Inst::ListAppend(..)
                | Inst::StoreField(..)
                | Inst::DictSet(..)
                | Inst::SetAdd(..)
                | Inst::DictIterNext(..)
                | Inst::Generic(..)
                | Inst::ForIterEnd(..)
                | Inst::GetIter(..)
        ) || matches!(self, Inst::CallMethod(m, _, _) if m.method().mutates)
    }

    /// Instructions whose result is a new reference: each is its own object
    /// (never commoned) and the trace releases it.
    pub fn makes_object(&self) -> bool {
        match self {
            Inst::StrConcat(..) | Inst::StrAppend(..) | Inst::Slice(..) | Inst::IntToStr(..) => true,
            Inst::NewRef(_) | Inst::BuildSeq(..) | Inst::StrCharNew(..) => true,
            Inst::CallMethod(m, _, _) => matches!(m.method().result, MethodResult::Object(_) | MethodResult::AnyObject),
            _ => false,
        }
    }

    /// The exact Python type of the object an instruction makes.
    pub fn made_type(&self) -> Option<PyType> {
        match self {
            Inst::CallMethod(m, _, _) => match m.method().result {
                MethodResult::Object(ty) => Some(ty),
                _ => None,
            },
            Inst::NewRef(_) => None,
            Inst::BuildSeq(ty, _, _) | Inst::Slice(ty, ..) => Some(*ty),
            _ => self.makes_object().then_some(PyType::Str),
        }
    }

    /// Helper calls that leave, having changed nothing, where they cannot do
    /// what the trace asks (a key they cannot compare, a new key they cannot
    /// store, a method that raises). A bridge from one would record the same
    /// call, which would give up again.
    pub fn gives_up(&self) -> bool {
        matches!(
            self,
            Inst::DictGet(..)
                | Inst::DictSet(..)
                | Inst::Contains(..)
                | Inst::SetAdd(..)
                | Inst::StoreElem(..)
                | Inst::ListAppend(..)
                | Inst::StrChar(..)
                | Inst::StrCharNew(..)
                | Inst::DictIterNext(..)
                | Inst::StrConcat(..)
                | Inst::StrAppend(..)
                | Inst::Slice(..)
                | Inst::IntToStr(..)
                | Inst::CallMethod(..)
                | Inst::BuildSeq(..)
                | Inst::ForIterEnd(..)
                | Inst::GetIter(..)
                | Inst::RefillResult(..)
        )
    }

    /// Instructions whose only effect is a possible exit.
    pub fn is_guard(&self) -> bool {
        matches!(self, Inst::GuardType(..) | Inst::GuardNotNull(..) | Inst::GuardTrue(..) | Inst::GuardFalse(..))
    }

    /// The frame slot an entry load reads (`load_slot`, `load_name`).
    pub fn entry_slot(&self) -> Option<Slot> {
        match *self {
            Inst::LoadSlot(s) | Inst::LoadName(s, _) => Some(s),
            _ => None,
        }
    }

    pub fn is_const(&self) -> bool {
        matches!(self, Inst::ConstI64(_) | Inst::ConstF64(_) | Inst::ConstBool(_) | Inst::ConstObj(_) | Inst::Null)
    }
}

/// Up to three operands without allocating.
#[derive(Default, Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct Operands {
    refs: [Ref; 3],
    len: u8,
}

impl Operands {
    fn push(&mut self, r: Ref) {
        self.refs[self.len as usize] = r;
        self.len += 1;
    }
    fn push2(&mut self, a: Ref, b: Ref) {
        self.push(a);
        self.push(b);
    }
    fn push3(&mut self, a: Ref, b: Ref, c: Ref) {
        self.push2(a, b);
        self.push(c);
    }
    pub fn from_slice(refs: &[Ref]) -> Operands {
        let mut ops = Operands::default();
        refs.iter().for_each(|&r| ops.push(r));
        ops
    }
    pub fn as_slice(&self) -> &[Ref] {
        &self.refs[..self.len as usize]
    }
}

impl Default for Ref {
    fn default() -> Self {
        Ref(0)
    }
}

impl<'a> IntoIterator for &'a Operands {
    type Item = &'a Ref;
    type IntoIter = std::slice::Iter<'a, Ref>;
    fn into_iter(self) -> Self::IntoIter {
        self.as_slice().iter()
    }
}

/// Where to resume in the interpreter and what the frame must hold there.
#[derive(Clone, PartialEq, Debug)]
pub struct Snapshot {
    /// Byte offset of the instruction the interpreter executes next.
    pub pc: u32,
    /// Value-stack depth at `pc`.
    pub depth: u32,
    /// Frame slots whose value differs from what the frame held on entry, sorted by
    /// slot. Every stack slot at or above the loop header's depth is listed.
    pub entries: Vec<(Slot, Ref)>,
    /// Where the inlined generator's frame is (see `Trace::generator`).
    pub generator: Option<GeneratorPoint>,
}

/// The state of an inlined generator's frame at a snapshot.
#[derive(Clone, Copy, PartialEq, Debug)]
pub struct GeneratorPoint {
    /// The generator's next instruction: after the `YIELD_VALUE` it is suspended
    /// at, or where it runs on from.
    pub pc: u32,
    /// Its value-stack depth there.
    pub depth: u32,
    /// Whether the exit is in the middle of the generator's code, between the
    /// loop's `FOR_ITER` and the next `yield`: the interpreter must run the
    /// generator on to it, as that `FOR_ITER` would, before the loop goes on.
    pub running: bool,
}

/// A generator whose code the trace runs inlined in the loop's `FOR_ITER`
/// over it (see `record_generators`).
#[derive(Clone, Copy, PartialEq, Debug)]
pub struct InlinedGenerator {
    /// The loop's stack slot that holds the generator.
    pub iterator: Slot,
    /// The generator code's `co_nlocalsplus`.
    pub nlocalsplus: u32,
    /// Where the generator is at the loop header: suspended at a `yield`, to
    /// resume at this offset with its value stack this deep.
    pub suspended: GeneratorPoint,
}

impl Snapshot {
    /// Whether `slot` holds a value at this snapshot: see `Slot::live_at`; a
    /// slot of an inlined generator by the generator's own stack depth.
    pub fn holds(&self, slot: Slot, nlocalsplus: u32, generator: Option<InlinedGenerator>) -> bool {
        let plain = slot.shadowed().unwrap_or(slot);
        match (plain.generator_index(), generator, self.generator) {
            (Some(k), Some(g), Some(point)) => k < g.nlocalsplus + point.depth,
            (Some(_), _, _) => false,
            (None, _, _) => slot.live_at(nlocalsplus, self.depth),
        }
    }
}

/// A kind of memory that holds object pointers (`Trace::element_array`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ElementArray {
    /// A list's items.
    ListItems,
    /// An instance's inline values (the attributes of a class without
    /// `__slots__`).
    InstanceValues,
    /// Words of an object's own body: a tuple's items, a `__slots__` member,
    /// a cell's contents. No list's items or inline values are ever there.
    ObjectBody,
}

/// The value of an `int`, `float` or `bool` object the trace holds as a
/// constant (`ConstObj`): such objects never change, so a type guard on one
/// is decided and unboxing one is the number (see `opt::types`).
#[derive(Clone, Copy, PartialEq, Debug)]
pub enum BoxedNumber {
    Int(i64),
    Float(f64),
    Bool(bool),
}

impl BoxedNumber {
    pub fn py_type(self) -> PyType {
        match self {
            BoxedNumber::Int(_) => PyType::Int,
            BoxedNumber::Float(_) => PyType::Float,
            BoxedNumber::Bool(_) => PyType::Bool,
        }
    }
}

/// A compiled-to-be trace of one loop.
#[derive(Clone, PartialEq, Debug)]
pub struct Trace {
    /// Byte offset of the loop header (the back edge's target).
    pub header_pc: u32,
    /// Value-stack depth at the header.
    pub header_depth: u32,
    /// `co_nlocalsplus`: slot numbers at or above it are stack slots.
    pub nlocalsplus: u32,
    pub insts: Vec<Inst>,
    pub snaps: Vec<Snapshot>,
    /// The snapshot taken at the top of every loop iteration (the eval-breaker exit).
    pub loop_snap: Option<SnapId>,
    /// The generator the loop's `FOR_ITER` runs inlined, if any.
    pub generator: Option<InlinedGenerator>,
    /// Exiting instructions of the pre-roll and their copies in the loop body
    /// (set by peeling). One without a twin was commoned away or folded: the
    /// body relies on the pre-roll having checked it.
    pub twins: Vec<(Ref, Ref)>,
    /// Guards known to pass (see `opt::phi_types`): they stay in the trace, so
    /// its exits keep their names, but compiled code checks nothing there.
    pub proven: Vec<Ref>,
    /// The numbers the trace's constant objects hold, by address (the code's
    /// `co_consts` the recorder loaded).
    pub boxed_numbers: std::collections::BTreeMap<u64, BoxedNumber>,
}

impl Trace {
    pub fn new(header_pc: u32, header_depth: u32, nlocalsplus: u32) -> Trace {
        Trace {
            header_pc,
            header_depth,
            nlocalsplus,
            insts: Vec::new(),
            snaps: Vec::new(),
            loop_snap: None,
            generator: None,
            twins: Vec::new(),
            proven: Vec::new(),
            boxed_numbers: std::collections::BTreeMap::new(),
        }
    }

    /// The number `r` holds, if it is a constant `int`, `float` or `bool` object.
    pub fn boxed_number(&self, r: Ref) -> Option<BoxedNumber> {
        match *self.inst(r) {
            Inst::ConstObj(p) => self.boxed_numbers.get(&p).copied(),
            _ => None,
        }
    }

    pub fn inst(&self, r: Ref) -> &Inst {
        &self.insts[r.index()]
    }

    pub fn ty(&self, r: Ref) -> Ty {
        self.insts[r.index()].ty(|a| self.ty(a))
    }

    pub fn snap(&self, s: SnapId) -> &Snapshot {
        &self.snaps[s.index()]
    }

    /// Which values the trace holds a reference to (see `opt::own`): the
    /// objects it made, and the phis that carry one of them round the loop.
    pub fn owned(&self) -> Vec<bool> {
        let mut owned: Vec<bool> = self.insts.iter().map(Inst::makes_object).collect();
        let mut inputs: Vec<(Ref, Ref)> = Vec::new();
        for r in self.refs() {
            match *self.inst(r) {
                Inst::Phi(a, b) => inputs.extend([(r, a), (r, b)]),
                Inst::SideBack(phi, v) => inputs.push((phi, v)),
                _ => {}
            }
        }
        while let Some(&(phi, _)) = inputs.iter().find(|&&(phi, v)| owned[v.index()] && !owned[phi.index()]) {
            owned[phi.index()] = true;
        }
        owned
    }

    /// Which values the trace holds a reference to may be NULL (an unbound
    /// local read on entry that `opt::own` gave a reference, carried round
    /// the loop): releasing one tests for NULL first. Not what the trace
    /// made, nor what it took from a list or tuple, nor a constant.
    pub fn maybe_null(&self) -> Vec<bool> {
        let never = |inst: &Inst| match *inst {
            Inst::ConstObj(_) | Inst::LoadElem(_, _, Elems::Tuple) => true,
            Inst::LoadElem(base, _, Elems::Array) => self.element_array(base) == Some(ElementArray::ListItems),
            Inst::NewRef(_) | Inst::Phi(..) => true, // as null as their inputs (below)
            _ => inst.makes_object(),
        };
        let mut null: Vec<bool> = self.insts.iter().map(|i| !never(i)).collect();
        let mut inputs: Vec<(Ref, Ref)> = Vec::new();
        for r in self.refs() {
            match *self.inst(r) {
                Inst::Phi(a, b) => inputs.extend([(r, a), (r, b)]),
                Inst::SideBack(phi, v) => inputs.push((phi, v)),
                Inst::NewRef(a) => inputs.push((r, a)),
                _ => {}
            }
        }
        while let Some(&(r, _)) = inputs.iter().find(|&&(r, v)| null[v.index()] && !null[r.index()]) {
            null[r.index()] = true;
        }
        null
    }

    /// Whether the instructions `before` (those on a path, in order) read
    /// frame slot `slot` on entry and guarded it to be of a type whose release
    /// runs no Python code (see `Inst::ReleaseSlot`).
    pub fn entry_value_is_quiet(&self, slot: Slot, before: impl Iterator<Item = Ref> + Clone) -> bool {
        let Some(entry) = before.clone().find(|&r| self.inst(r) == &Inst::LoadSlot(slot)) else {
            return false;
        };
        let quiet = [PyType::Int, PyType::Float, PyType::Bool, PyType::NoneType, PyType::Str];
        before
            .into_iter()
            .any(|r| matches!(*self.inst(r), Inst::GuardType(v, ty, _) if v == entry && quiet.contains(&ty)))
    }

    /// Which kind of object-pointer array `base` is the start of, where known.
    /// Arrays of different kinds are never the same memory, so a store into
    /// one cannot free an element read from (and still held by) the other.
    pub fn element_array(&self, base: Ref) -> Option<ElementArray> {
        match *self.inst(base) {
            Inst::LoadField(_, Field::ListItems) => Some(ElementArray::ListItems),
            Inst::IAddOv(x, _, _) | Inst::IAdd(x, _)
                if matches!(self.inst(x), Inst::LoadField(_, Field::InstanceValues)) =>
            {
                Some(ElementArray::InstanceValues)
            }
            // Addresses are words; an object is the base only of its own body.
            _ if self.ty(base) == Ty::Obj => Some(ElementArray::ObjectBody),
            _ => None,
        }
    }

    /// Whether element arrays of the kinds `a` and `b` (`element_array`) may
    /// be the same memory: unless both kinds are known and differ.
    pub fn arrays_may_meet(a: Option<ElementArray>, b: Option<ElementArray>) -> bool {
        !matches!((a, b), (Some(a), Some(b)) if a != b)
    }

    /// Whether one of the instructions `among` guards `v` to be of a type
    /// that no compiled store releases (stores give up on replacing anything
    /// but an int, float, bool or None), so a store cannot free `v`.
    pub fn guarded_unreleasable(&self, v: Ref, mut among: impl Iterator<Item = Ref>) -> bool {
        among.any(|r| matches!(*self.inst(r), Inst::GuardType(g, ty, _) if g == v && !ty.released_by_stores()))
    }

    /// The instructions of the side block that starts at the `side` marker
    /// `marker`, up to the next one.
    pub fn side_block(&self, marker: Ref) -> impl Iterator<Item = Ref> + '_ {
        self.refs().skip(marker.index() + 1).take_while(|&r| !matches!(self.inst(r), Inst::Side(_)))
    }

    /// Whether that side block ends by leaving to enter a trace again.
    pub fn side_block_reenters(&self, marker: Ref) -> bool {
        self.side_block(marker).any(|r| matches!(self.inst(r), Inst::Reenter(_)))
    }

    /// The side block `r` is in: its `side` marker and the guard it hangs off.
    pub fn side_block_of(&self, r: Ref) -> Option<(Ref, Ref)> {
        (0..r.0).rev().map(Ref).find_map(|m| match *self.inst(m) {
            Inst::Side(guard) => Some((m, guard)),
            _ => None,
        })
    }

    /// The instructions that run before `r` on its path, in order: the root
    /// trace up to `r`, or, in a side block, what runs before the guard it
    /// hangs off and then the block up to `r`.
    pub fn dominating(&self, r: Ref) -> Vec<Ref> {
        match self.side_block_of(r) {
            None => (0..r.0).map(Ref).collect(),
            Some((marker, guard)) => {
                let mut before = self.dominating(guard);
                before.extend((marker.0..r.0).map(Ref));
                before
            }
        }
    }

    /// The frame's stack slots that are empty where `r` runs: emptied by a
    /// `for_iter_end` on its path, and filled since neither by a `get_iter`
    /// nor by a `generic` instruction (which may write the frame). A bridge
    /// from `r` may make an inner loop's iterator there.
    pub fn emptied_before(&self, r: Ref) -> Vec<Slot> {
        let mut emptied = Vec::new();
        for before in self.dominating(r) {
            match *self.inst(before) {
                Inst::ForIterEnd(_, slot, _) => emptied.push(slot),
                Inst::GetIter(_, slot, _) => emptied.retain(|&s| s != slot),
                Inst::Generic(..) => emptied.clear(),
                _ => {}
            }
        }
        emptied
    }

    /// Position of the `loop` marker, if the loop has been formed.
    pub fn loop_ref(&self) -> Option<Ref> {
        self.insts.iter().position(|i| matches!(i, Inst::Loop)).map(|p| Ref(p as u32))
    }

    pub fn refs(&self) -> impl Iterator<Item = Ref> + Clone {
        (0..self.insts.len() as u32).map(Ref)
    }

    /// Check the SSA invariants; returns a description of the first violation.
    pub fn verify(&self) -> Result<(), String> {
        let loop_at = self.loop_ref();
        // Inside a side block, values from the path to its guard and from the
        // block itself.
        let mut side: Option<(hashbrown::HashSet<Ref>, Ref)> = None;
        let visible = |a: Ref, side: &Option<(hashbrown::HashSet<Ref>, Ref)>| {
            side.as_ref().is_none_or(|(before, start)| before.contains(&a) || a >= *start)
        };
        for r in self.refs() {
            let inst = self.inst(r);
            if let Inst::Side(guard) = *inst {
                if self.inst(guard).snap().is_none() || loop_at.is_none_or(|l| guard >= r || l >= r) {
                    return Err(format!("{r}: a side block must hang off an earlier guard"));
                }
                side = Some((self.dominating(guard).into_iter().collect(), r));
                continue;
            }
            if matches!(inst, Inst::Phi(..) | Inst::Loop) && side.is_some() {
                return Err(format!("{r}: `{}` inside a side block", inst.mnemonic()));
            }
            if let Inst::SideBack(phi, _) = *inst {
                if side.is_none() || !matches!(self.inst(phi), Inst::Phi(..)) {
                    return Err(format!("{r}: side_back must name a phi, inside a side block"));
                }
            }
            for &a in &inst.operands() {
                let back_edge = matches!(*inst, Inst::Phi(_, b) if b == a);
                let phi_target = matches!(*inst, Inst::SideBack(p, _) if p == a);
                if a.index() >= self.insts.len() || (a >= r && !back_edge) || !(phi_target || visible(a, &side)) {
                    return Err(format!("{r}: operand {a} is not defined before use"));
                }
                if self.ty(a) == Ty::Void && !matches!(inst, Inst::Side(_)) {
                    return Err(format!("{r}: operand {a} defines no value"));
                }
            }
            if let Inst::Phi(a, b) = *inst {
                if loop_at.is_none_or(|l| r < l || a > l) {
                    return Err(format!("{r}: phi must follow `loop` and take its first operand from before it"));
                }
                if self.ty(a) != self.ty(b) {
                    return Err(format!("{r}: phi operands differ in type"));
                }
            }
            if let Some(s) = inst.snap() {
                if s.index() >= self.snaps.len() {
                    return Err(format!("{r}: unknown snapshot {}", s.0));
                }
                for &(_, v) in &self.snap(s).entries {
                    if v.index() >= self.insts.len() || self.ty(v) == Ty::Void || !visible(v, &side) {
                        return Err(format!("{r}: snapshot {} holds an invalid value {v}", s.0));
                    }
                }
            }
        }
        Ok(())
    }
}

#[path = "ir_text.rs"]
mod text;

pub use text::parse_trace;
