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
//! The text form (`Display` for `Trace`, `parse_trace`) is what `hotloop dump`
//! prints and what the pass tests are written in.

use std::fmt;

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
    TupleIter,
    Enumerate,
    Zip,
    Dict,
    Str,
    /// The iterators of `iter(d)` (or `d.keys()`), `d.values()` and `d.items()`.
    DictKeyIter,
    DictValueIter,
    DictItemIter,
    /// An exact generator.
    Generator,
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
    /// A `str`'s length in code points.
    StrLength,
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
            Field::SeqIterSeq | Field::EnumIter | Field::EnumLongIndex | Field::ZipIters | Field::GenCode => Ty::Obj,
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

    /// Before a store to a local: release the frame's reference to the object
    /// in the slot, which the store replaces, if that is not an exact int,
    /// float, bool, str or None (their release cannot be seen, so it waits for
    /// the exit that writes the slot). One held elsewhere too is released and
    /// the slot cleared; one held by the slot alone would be freed, which may
    /// run `__del__`: the trace leaves first, and the interpreter's store
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
    /// `cond ? a : b`, of two values of one type.
    Select(Ref, Ref, Ref),
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
    /// `s[start:stop]` of an exact str, the bounds as Python takes them
    /// (negative counts from the end, out of range clamps).
    StrSlice(Ref, Ref, Ref, SnapId),
    /// `str(i)` of an int.
    IntToStr(Ref, SnapId),
    /// `needle in hay` of two exact strs (operands in that order).
    StrContains(Ref, Ref),
    /// A comparison of two exact strs.
    StrCmp(Cmp, Ref, Ref),
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
}

impl Inst {
    /// The snapshot this instruction leaves the trace through, if it can.
    pub fn snap(&self) -> Option<SnapId> {
        use Inst::*;
        match *self {
            GuardType(_, _, s) | GuardNotNull(_, s) | GuardTrue(_, s) | GuardFalse(_, s) => Some(s),
            UnboxInt(_, s) | INegOv(_, s) | IToFExact(_, s) | IAbsOv(_, s) => Some(s),
            FMath(_, _, s) | FToI(_, _, s) | StoreElem(_, _, _, s) | ListAppend(_, _, s) | Generic(_, s) => Some(s),
            DictGet(_, _, s) | DictSet(_, _, _, s) | StrChar(_, _, s) | DictIterNext(_, s) => Some(s),
            ReleaseSlot(_, s) | StrConcat(_, _, s) | StrAppend(_, _, s) | StrSlice(_, _, _, s) | IntToStr(_, s) => {
                Some(s)
            }
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
            DictGet(_, _, s) | DictSet(_, _, _, s) | StrChar(_, _, s) | DictIterNext(_, s) => *s = new,
            ReleaseSlot(_, s) | StrConcat(_, _, s) | StrAppend(_, _, s) | StrSlice(_, _, _, s) | IntToStr(_, s) => {
                *s = new
            }
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
            ReleaseSlot(..) => {}
            GuardType(a, _, _) | GuardNotNull(a, _) | GuardTrue(a, _) | GuardFalse(a, _) | Side(a) => ops.push(a),
            DictIterNext(a, _) | IntToStr(a, _) | Release(a) => ops.push(a),
            StrConcat(a, b, _) | StrAppend(a, b, _) | StrContains(a, b) | StrCmp(_, a, b) => ops.push2(a, b),
            StrSlice(a, b, c, _) => ops.push3(a, b, c),
            SideBack(a, b) => ops.push2(a, b),
            LoadName(_, a) => ops.push(a),
            StoreElem(a, b, c, _) | DictSet(a, b, c, _) | Select(a, b, c) => ops.push3(a, b, c),
            DictGet(a, b, _) | StrChar(a, b, _) => ops.push2(a, b),
            ListAppend(a, b, _) => ops.push2(a, b),
            UnboxInt(a, _) | UnboxFloat(a) | UnboxBool(a) | INegOv(a, _) | IInvert(a) | FNeg(a) => ops.push(a),
            IToF(a) | IToFExact(a, _) | BoolToI(a) | BNot(a) | ITruth(a) | FTruth(a) | LoadField(a, _) => ops.push(a),
            IAddOv(a, b, _) | ISubOv(a, b, _) | IMulOv(a, b, _) | IFloorDiv(a, b, _) | IMod(a, b, _) => ops.push2(a, b),
            IPow(a, b, _) | IShl(a, b, _) | IShr(a, b, _) | IAnd(a, b) | IOr(a, b) | IXor(a, b) => ops.push2(a, b),
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
            ReleaseSlot(..) => {}
            GuardType(a, _, _) | GuardNotNull(a, _) | GuardTrue(a, _) | GuardFalse(a, _) | Side(a) | LoadName(_, a) => {
                *a = f(*a)
            }
            DictIterNext(a, _) | IntToStr(a, _) | Release(a) => *a = f(*a),
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
            StoreElem(a, b, c, _) | DictSet(a, b, c, _) | Select(a, b, c) | StrSlice(a, b, c, _) => {
                *a = f(*a);
                *b = f(*b);
                *c = f(*c);
            }
            DictGet(a, b, _) | StrChar(a, b, _) => {
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
            IFloorDiv(..) | IMod(..) | IPow(..) | IShl(..) | IShr(..) | IAnd(..) | IOr(..) | IXor(..) => Ty::I64,
            IInvert(_) | BoolToI(_) | IAbsOv(..) | IMin(..) | IMax(..) | FToI(..) => Ty::I64,
            FAbs(_) | FMin(..) | FMax(..) | FMath(..) => Ty::F64,
            ConstF64(_) | UnboxFloat(_) | FAdd(..) | FSub(..) | FMul(..) | FDiv(..) | FFloorDiv(..) => Ty::F64,
            FMod(..) | FPow(..) | FNeg(_) | IToF(_) | IToFExact(..) => Ty::F64,
            ConstBool(_) | UnboxBool(_) | ICmp(..) | FCmp(..) | BNot(_) | ITruth(_) | FTruth(_) | ObjIs(..) => Ty::Bool,
            IModKeeps(..) | IShrKeeps(..) | StrContains(..) | StrCmp(..) => Ty::Bool,
            DictIterNext(..) => Ty::I64,
            StrConcat(..) | StrAppend(..) | StrSlice(..) | IntToStr(..) => Ty::Obj,
            Release(_) => Ty::Void,
            ConstObj(_) | Null | LoadSlot(_) | LoadName(..) | LoadElem(..) | DictGet(..) | StrChar(..) => Ty::Obj,
            Select(_, a, _) => ty_of(a),
            GuardType(..) | GuardNotNull(..) | GuardTrue(..) | GuardFalse(..) | StoreField(..) | Loop => Ty::Void,
            ReleaseSlot(..) => Ty::Void,
            StoreElem(..) | ListAppend(..) | DictSet(..) => Ty::Void,
            Side(_) | SideBack(..) => Ty::Void,
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
                | Inst::DictGet(..)
                | Inst::DictSet(..)
                | Inst::StrChar(..)
                | Inst::DictIterNext(..)
                | Inst::ReleaseSlot(..)
                | Inst::Release(_)
                | Inst::ListAppend(..)
                | Inst::Generic(..)
                | Inst::StoreField(..)
                | Inst::Loop
                | Inst::Phi(..)
                | Inst::LoadSlot(_)
                | Inst::LoadName(..)
                | Inst::Side(_)
                | Inst::SideBack(..)
        ) && !self.is_guard()
            && !self.makes_object()
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
                | Inst::DictIterNext(..)
                | Inst::Generic(..)
        )
    }

    /// Instructions whose result is a new reference: each is its own object
    /// (never commoned) and the trace releases it.
    pub fn makes_object(&self) -> bool {
        matches!(self, Inst::StrConcat(..) | Inst::StrAppend(..) | Inst::StrSlice(..) | Inst::IntToStr(..))
    }

    /// The exact Python type of the object an instruction makes.
    pub fn made_type(&self) -> Option<PyType> {
        self.makes_object().then_some(PyType::Str)
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

/// Up to two operands without allocating.
#[derive(Default, Clone, Copy)]
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

    /// Whether the instructions before `upto` read frame slot `slot` on entry
    /// and guarded it to be of a type whose release runs no Python code (see
    /// `Inst::ReleaseSlot`).
    pub fn entry_value_is_quiet(&self, slot: Slot, upto: Ref) -> bool {
        let before = &self.insts[..upto.index()];
        let Some(entry) = before.iter().position(|i| i == &Inst::LoadSlot(slot)).map(|p| Ref(p as u32)) else {
            return false;
        };
        let quiet = [PyType::Int, PyType::Float, PyType::Bool, PyType::NoneType, PyType::Str];
        before.iter().any(|i| matches!(*i, Inst::GuardType(v, ty, _) if v == entry && quiet.contains(&ty)))
    }

    /// Position of the `loop` marker, if the loop has been formed.
    pub fn loop_ref(&self) -> Option<Ref> {
        self.insts.iter().position(|i| matches!(i, Inst::Loop)).map(|p| Ref(p as u32))
    }

    pub fn refs(&self) -> impl Iterator<Item = Ref> {
        (0..self.insts.len() as u32).map(Ref)
    }

    /// Check the SSA invariants; returns a description of the first violation.
    pub fn verify(&self) -> Result<(), String> {
        let loop_at = self.loop_ref();
        // Inside a side block, values from before its guard and from the block itself.
        let mut side: Option<(Ref, Ref)> = None;
        let visible = |a: Ref, side: Option<(Ref, Ref)>| side.is_none_or(|(guard, start)| a < guard || a >= start);
        for r in self.refs() {
            let inst = self.inst(r);
            if let Inst::Side(guard) = *inst {
                let first_side = self.insts.iter().position(|i| matches!(i, Inst::Side(_))).unwrap_or(self.insts.len());
                if self.inst(guard).snap().is_none() || loop_at.is_none() || guard.index() >= first_side {
                    return Err(format!("{r}: a side block must hang off a guard of the root trace"));
                }
                side = Some((guard, r));
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
                if a.index() >= self.insts.len() || (a >= r && !back_edge) || !(phi_target || visible(a, side)) {
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
                    if v.index() >= self.insts.len() || self.ty(v) == Ty::Void || !visible(v, side) {
                        return Err(format!("{r}: snapshot {} holds an invalid value {v}", s.0));
                    }
                }
            }
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------
// Text form
// ---------------------------------------------------------------------------

impl fmt::Display for Ref {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&format!("%{}", self.0))
    }
}

impl fmt::Display for Slot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(shadowed) = self.shadowed() {
            return write!(f, "i{shadowed}");
        }
        match (self.name_index(), self.generator_index()) {
            (Some(n), _) => write!(f, "n{n}"),
            (_, Some(g)) => write!(f, "g{g}"),
            _ => write!(f, "s{}", self.0),
        }
    }
}

impl fmt::Display for SnapId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

impl Ty {
    pub fn name(self) -> &'static str {
        match self {
            Ty::Void => "",
            Ty::I64 => "i64",
            Ty::F64 => "f64",
            Ty::Bool => "bool",
            Ty::Obj => "obj",
        }
    }
}

macro_rules! name_table {
    ($ty:ident { $($variant:ident => $text:literal),* $(,)? }) => {
        impl $ty {
            pub fn name(self) -> &'static str {
                match self { $($ty::$variant => $text),* }
            }
            pub fn from_name(s: &str) -> Option<$ty> {
                match s { $($text => Some($ty::$variant),)* _ => None }
            }
        }
    };
}

name_table!(PyType {
    Int => "int", Float => "float", Bool => "bool", NoneType => "NoneType", RangeIter => "range_iterator",
    List => "list", Tuple => "tuple", ListIter => "list_iterator", TupleIter => "tuple_iterator",
    Enumerate => "enumerate", Zip => "zip", Dict => "dict", Str => "str",
    DictKeyIter => "dict_keyiterator", DictValueIter => "dict_valueiterator", DictItemIter => "dict_itemiterator",
    Generator => "generator",
});
name_table!(Elems { Array => "array", Tuple => "tuple" });
name_table!(Cmp { Lt => "lt", Le => "le", Eq => "eq", Ne => "ne", Gt => "gt", Ge => "ge" });
name_table!(MathFn { Sqrt => "sqrt", Exp => "exp", Log => "log", Log10 => "log10", Sin => "sin", Cos => "cos", Tan => "tan", Atan => "atan" });
name_table!(Rounding { Trunc => "trunc", Floor => "floor", Ceil => "ceil" });
name_table!(Field {
    RangeIterStart => "range.start", RangeIterStep => "range.step", RangeIterLen => "range.len",
    SeqSize => "seq.size", ListItems => "list.items", SeqIterIndex => "seqiter.index", SeqIterSeq => "seqiter.seq",
    EnumIndex => "enum.index", EnumIter => "enum.iter", EnumLongIndex => "enum.longindex",
    ZipSize => "zip.size", ZipIters => "zip.iters", ZipStrict => "zip.strict",
    ObType => "ob.type", TypeVersion => "type.version", InstanceValues => "instance.values",
    CachedKeys => "type.cached_keys", KeysCount => "keys.count", FuncVersion => "func.version", StrLength => "str.length",
    GenCode => "gen.code", GenState => "gen.state", GenPrevInstr => "gen.prev_instr",
});

impl Inst {
    /// The mnemonic used in the text form.
    pub fn mnemonic(&self) -> &'static str {
        use Inst::*;
        match self {
            ConstI64(_) => "const",
            ConstF64(_) => "fconst",
            ConstBool(_) => "bconst",
            ConstObj(_) => "oconst",
            Null => "null",
            LoadSlot(_) => "load_slot",
            ReleaseSlot(..) => "release_slot",
            LoadName(..) => "load_name",
            GuardType(..) => "guard_type",
            GuardNotNull(..) => "guard_not_null",
            GuardTrue(..) => "guard_true",
            GuardFalse(..) => "guard_false",
            UnboxInt(..) => "unbox_int",
            UnboxFloat(_) => "unbox_float",
            UnboxBool(_) => "unbox_bool",
            IAddOv(..) => "add_ov",
            ISubOv(..) => "sub_ov",
            IMulOv(..) => "mul_ov",
            INegOv(..) => "neg_ov",
            IFloorDiv(..) => "floordiv",
            IMod(..) => "mod",
            IPow(..) => "pow",
            IShl(..) => "shl",
            IShr(..) => "shr",
            IAnd(..) => "and",
            IOr(..) => "or",
            IXor(..) => "xor",
            IInvert(_) => "invert",
            ICmp(..) => "icmp",
            FAdd(..) => "fadd",
            FSub(..) => "fsub",
            FMul(..) => "fmul",
            FDiv(..) => "fdiv",
            FFloorDiv(..) => "ffloordiv",
            FMod(..) => "fmod",
            FPow(..) => "fpow",
            FNeg(_) => "fneg",
            FCmp(..) => "fcmp",
            IToF(_) => "itof",
            IToFExact(..) => "itof_exact",
            BoolToI(_) => "btoi",
            BNot(_) => "bnot",
            ITruth(_) => "itruth",
            FTruth(_) => "ftruth",
            ObjIs(..) => "is",
            IModKeeps(..) => "mod_keeps",
            IShrKeeps(..) => "shr_keeps",
            IAbsOv(..) => "abs_ov",
            FAbs(_) => "fabs",
            IMin(..) => "min",
            IMax(..) => "max",
            FMin(..) => "fmin",
            FMax(..) => "fmax",
            FMath(..) => "fmath",
            FToI(..) => "ftoi",
            LoadField(..) => "load_field",
            LoadElem(..) => "load_elem",
            StoreElem(..) => "store_elem",
            DictGet(..) => "dict_get",
            DictSet(..) => "dict_set",
            StrChar(..) => "str_char",
            DictIterNext(..) => "dict_iter_next",
            StrConcat(..) => "str_concat",
            StrAppend(..) => "str_append",
            StrSlice(..) => "str_slice",
            IntToStr(..) => "int_to_str",
            StrContains(..) => "str_contains",
            StrCmp(..) => "str_cmp",
            Release(_) => "release",
            Select(..) => "select",
            ListAppend(..) => "list_append",
            Generic(out, _) => out.name(),
            StoreField(..) => "store_field",
            Loop => "loop",
            Phi(..) => "phi",
            Side(_) => "side",
            SideBack(..) => "side_back",
        }
    }
}

fn fmt_f64(v: f64) -> String {
    if v.is_nan() || v.is_infinite() {
        format!("{v}")
    } else {
        format!("{v:?}")
    }
}

impl fmt::Display for Inst {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use Inst::*;
        write!(f, "{}", self.mnemonic())?;
        match *self {
            ConstI64(v) => write!(f, " {v}")?,
            ConstF64(bits) => write!(f, " {}", fmt_f64(f64::from_bits(bits)))?,
            ConstBool(b) => write!(f, " {}", if b { "true" } else { "false" })?,
            ConstObj(p) => write!(f, " 0x{p:x}")?,
            LoadSlot(s) | ReleaseSlot(s, _) => write!(f, " {s}")?,
            LoadName(s, key) => write!(f, " {s} {key}")?,
            GuardType(a, t, _) => write!(f, " {a} {}", t.name())?,
            ICmp(c, a, b) | FCmp(c, a, b) | StrCmp(c, a, b) => write!(f, " {} {a} {b}", c.name())?,
            LoadField(a, fl) => write!(f, " {a} {}", fl.name())?,
            LoadElem(a, i, e) => write!(f, " {a} {i} {}", e.name())?,
            FMath(m, a, _) => write!(f, " {} {a}", m.name())?,
            FToI(r, a, _) => write!(f, " {} {a}", r.name())?,
            StoreField(a, fl, v) => write!(f, " {a} {} {v}", fl.name())?,
            _ => {
                for a in &self.operands() {
                    write!(f, " {a}")?;
                }
            }
        }
        if let Some(s) = self.snap() {
            write!(f, " {s}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Snapshot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "pc={} depth={}", self.pc, self.depth)?;
        if let Some(g) = self.generator {
            let state = if g.running { "running" } else { "suspended" };
            write!(f, " gen={state}:{}:{}", g.pc, g.depth)?;
        }
        write!(f, " [")?;
        for (i, (slot, r)) in self.entries.iter().enumerate() {
            write!(f, "{}{slot}={r}", if i > 0 { " " } else { "" })?;
        }
        write!(f, "]")
    }
}

impl fmt::Display for Trace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "trace header={} depth={} nlocalsplus={}", self.header_pc, self.header_depth, self.nlocalsplus)?;
        if let Some(g) = self.generator {
            write!(f, " generator={}:{}:{}:{}", g.iterator, g.nlocalsplus, g.suspended.pc, g.suspended.depth)?;
        }
        writeln!(f)?;
        for r in self.refs() {
            let inst = self.inst(r);
            if matches!(inst, Inst::Loop) {
                writeln!(f, "{r:<5} ---- loop ----")?;
                continue;
            }
            if let Inst::Side(guard) = inst {
                writeln!(f, "{r:<5} ---- side {guard} ----")?;
                continue;
            }
            writeln!(f, "{r:<5} {:<4} {inst}", self.ty(r).name())?;
        }
        for (i, s) in self.snaps.iter().enumerate() {
            let marker = if self.loop_snap == Some(SnapId(i as u32)) { " loop" } else { "" };
            writeln!(f, "#{i:<4} {s}{marker}")?;
        }
        if !self.twins.is_empty() {
            let pairs: Vec<String> = self.twins.iter().map(|(a, b)| format!("{a}={b}")).collect();
            writeln!(f, "twins {}", pairs.join(" "))?;
        }
        Ok(())
    }
}

/// Parse the text form written by `Display for Trace`. Types after the ref are
/// ignored (they are derived) so tests may omit them.
pub fn parse_trace(text: &str) -> Result<Trace, String> {
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with(';'));
    let header = lines.next().ok_or("empty trace text")?;
    let mut trace = Trace::new(0, 0, 0);
    for word in header.split_whitespace().skip(1) {
        let (key, val) = word.split_once('=').ok_or_else(|| format!("bad header word {word:?}"))?;
        if key == "generator" {
            // `generator=ITERATOR_SLOT:NLOCALSPLUS:RESUME_PC:DEPTH`
            let parts: Vec<&str> = val.split(':').collect();
            let number = |s: &str| s.parse::<u32>().map_err(|_| format!("bad number in {word:?}"));
            let [iterator, nlocalsplus, pc, depth] = parts[..] else { return Err(format!("bad generator {val:?}")) };
            trace.generator = Some(InlinedGenerator {
                iterator: Slot::parse(iterator).ok_or_else(|| format!("bad slot in {word:?}"))?,
                nlocalsplus: number(nlocalsplus)?,
                suspended: GeneratorPoint { pc: number(pc)?, depth: number(depth)?, running: false },
            });
            continue;
        }
        let v: u32 = val.parse().map_err(|_| format!("bad number in {word:?}"))?;
        match key {
            "header" => trace.header_pc = v,
            "depth" => trace.header_depth = v,
            "nlocalsplus" => trace.nlocalsplus = v,
            _ => return Err(format!("unknown header key {key:?}")),
        }
    }
    for line in lines {
        if line.starts_with('#') {
            parse_snapshot_line(line, &mut trace)?;
        } else if let Some(pairs) = line.strip_prefix("twins ") {
            for pair in pairs.split_whitespace() {
                let (a, b) = pair.split_once('=').ok_or_else(|| format!("bad twin {pair:?}"))?;
                trace.twins.push((parse_ref(a)?, parse_ref(b)?));
            }
        } else {
            let inst = parse_inst_line(line, trace.insts.len())?;
            trace.insts.push(inst);
        }
    }
    trace.verify().map(|()| trace)
}

fn parse_snapshot_line(line: &str, trace: &mut Trace) -> Result<(), String> {
    let (id, rest) = line[1..].split_once(char::is_whitespace).ok_or_else(|| format!("bad snapshot {line:?}"))?;
    let id: usize = id.parse().map_err(|_| format!("bad snapshot id in {line:?}"))?;
    if id != trace.snaps.len() {
        return Err(format!("snapshot #{id} out of order"));
    }
    let (fields, rest) = rest.split_once('[').ok_or_else(|| format!("snapshot without [ in {line:?}"))?;
    let (entries, tail) = rest.split_once(']').ok_or_else(|| format!("snapshot without ] in {line:?}"))?;
    let mut snap = Snapshot { pc: 0, depth: 0, entries: Vec::new(), generator: None };
    for word in fields.split_whitespace() {
        match word.split_once('=') {
            Some(("pc", v)) => snap.pc = v.parse().map_err(|_| format!("bad pc in {line:?}"))?,
            Some(("depth", v)) => snap.depth = v.parse().map_err(|_| format!("bad depth in {line:?}"))?,
            Some(("gen", v)) => {
                snap.generator = Some(parse_generator_point(v).ok_or_else(|| format!("bad gen in {line:?}"))?)
            }
            _ => return Err(format!("bad snapshot field {word:?}")),
        }
    }
    for word in entries.split_whitespace() {
        let (slot, r) = word.split_once('=').ok_or_else(|| format!("bad snapshot entry {word:?}"))?;
        let slot = Slot::parse(slot).ok_or_else(|| format!("bad slot {slot:?}"))?;
        snap.entries.push((slot, parse_ref(r)?));
    }
    if tail.trim() == "loop" {
        trace.loop_snap = Some(SnapId(id as u32));
    }
    trace.snaps.push(snap);
    Ok(())
}

/// `running:PC:DEPTH` or `suspended:PC:DEPTH`.
fn parse_generator_point(text: &str) -> Option<GeneratorPoint> {
    let mut parts = text.split(':');
    let running = match parts.next()? {
        "running" => true,
        "suspended" => false,
        _ => return None,
    };
    let pc = parts.next()?.parse().ok()?;
    let depth = parts.next()?.parse().ok()?;
    parts.next().is_none().then_some(GeneratorPoint { pc, depth, running })
}

fn parse_ref(s: &str) -> Result<Ref, String> {
    s.strip_prefix('%').and_then(|n| n.parse().ok()).map(Ref).ok_or_else(|| format!("bad value reference {s:?}"))
}

fn parse_snap_ref(s: &str) -> Result<SnapId, String> {
    s.strip_prefix('#').and_then(|n| n.parse().ok()).map(SnapId).ok_or_else(|| format!("bad snapshot reference {s:?}"))
}

fn parse_inst_line(line: &str, expected: usize) -> Result<Inst, String> {
    let mut words = line.split_whitespace().peekable();
    let r = parse_ref(words.next().ok_or("empty line")?)?;
    if r.index() != expected {
        return Err(format!("{r} out of order (expected %{expected})"));
    }
    if words.peek() == Some(&"----") {
        let words: Vec<&str> = words.collect();
        return match words.as_slice() {
            ["----", "loop", "----"] => Ok(Inst::Loop),
            ["----", "side", guard, "----"] => Ok(Inst::Side(parse_ref(guard)?)),
            _ => Err(format!("{r}: bad marker line")),
        };
    }
    if words.peek().is_some_and(|w| matches!(*w, "i64" | "f64" | "bool" | "obj")) {
        words.next();
    }
    let mnemonic = words.next().ok_or_else(|| format!("{r}: missing mnemonic"))?;
    let args: Vec<&str> = words.collect();
    parse_inst(mnemonic, &args).map_err(|e| format!("{r}: {e}"))
}

fn parse_inst(m: &str, args: &[&str]) -> Result<Inst, String> {
    use Inst::*;
    let want = |n: usize| {
        if args.len() == n {
            Ok(())
        } else {
            Err(format!("`{m}` takes {n} operands, got {}", args.len()))
        }
    };
    let r = |i: usize| parse_ref(args[i]);
    let s = |i: usize| parse_snap_ref(args[i]);
    let cmp = |i: usize| Cmp::from_name(args[i]).ok_or_else(|| format!("bad condition {:?}", args[i]));
    let field = |i: usize| Field::from_name(args[i]).ok_or_else(|| format!("bad field {:?}", args[i]));
    let unary: Option<fn(Ref) -> Inst> = match m {
        "unbox_float" => Some(UnboxFloat),
        "unbox_bool" => Some(UnboxBool),
        "invert" => Some(IInvert),
        "fneg" => Some(FNeg),
        "fabs" => Some(FAbs),
        "itof" => Some(IToF),
        "btoi" => Some(BoolToI),
        "bnot" => Some(BNot),
        "itruth" => Some(ITruth),
        "ftruth" => Some(FTruth),
        _ => None,
    };
    if let Some(make) = unary {
        want(1)?;
        return Ok(make(r(0)?));
    }
    let unary_exit: Option<fn(Ref, SnapId) -> Inst> = match m {
        "guard_not_null" => Some(GuardNotNull),
        "guard_true" => Some(GuardTrue),
        "guard_false" => Some(GuardFalse),
        "unbox_int" => Some(UnboxInt),
        "neg_ov" => Some(INegOv),
        "itof_exact" => Some(IToFExact),
        "abs_ov" => Some(IAbsOv),
        _ => None,
    };
    if let Some(make) = unary_exit {
        want(2)?;
        return Ok(make(r(0)?, s(1)?));
    }
    let binary: Option<fn(Ref, Ref) -> Inst> = match m {
        "and" => Some(IAnd),
        "or" => Some(IOr),
        "xor" => Some(IXor),
        "fadd" => Some(FAdd),
        "fsub" => Some(FSub),
        "fmul" => Some(FMul),
        "is" => Some(ObjIs),
        "mod_keeps" => Some(IModKeeps),
        "shr_keeps" => Some(IShrKeeps),
        "min" => Some(IMin),
        "max" => Some(IMax),
        "fmin" => Some(FMin),
        "fmax" => Some(FMax),
        "phi" => Some(Phi),
        "side_back" => Some(SideBack),
        _ => None,
    };
    if let Some(make) = binary {
        want(2)?;
        return Ok(make(r(0)?, r(1)?));
    }
    let binary_exit: Option<fn(Ref, Ref, SnapId) -> Inst> = match m {
        "add_ov" => Some(IAddOv),
        "sub_ov" => Some(ISubOv),
        "mul_ov" => Some(IMulOv),
        "floordiv" => Some(IFloorDiv),
        "mod" => Some(IMod),
        "pow" => Some(IPow),
        "shl" => Some(IShl),
        "shr" => Some(IShr),
        "fdiv" => Some(FDiv),
        "ffloordiv" => Some(FFloorDiv),
        "fmod" => Some(FMod),
        "fpow" => Some(FPow),
        _ => None,
    };
    if let Some(make) = binary_exit {
        want(3)?;
        return Ok(make(r(0)?, r(1)?, s(2)?));
    }
    let number = |i: usize| args[i].parse::<f64>().map_err(|_| format!("bad number {:?}", args[i]));
    match m {
        "const" => {
            want(1)?;
            args[0].parse().map(ConstI64).map_err(|_| format!("bad integer {:?}", args[0]))
        }
        "fconst" => {
            want(1)?;
            number(0).map(|v| ConstF64(v.to_bits()))
        }
        "bconst" => {
            want(1)?;
            match args[0] {
                "true" => Ok(ConstBool(true)),
                "false" => Ok(ConstBool(false)),
                other => Err(format!("bad bool {other:?}")),
            }
        }
        "oconst" => {
            want(1)?;
            let hex = args[0].strip_prefix("0x").ok_or("object constants are written 0x...")?;
            u64::from_str_radix(hex, 16).map(ConstObj).map_err(|e| e.to_string())
        }
        "null" => want(0).map(|()| Null),
        "load_name" => {
            want(2)?;
            let slot = Slot::parse(args[0]).filter(|s| s.name_index().is_some()).ok_or("bad name slot")?;
            Ok(LoadName(slot, r(1)?))
        }
        "load_slot" => {
            want(1)?;
            let n = args[0].strip_prefix('s').and_then(|n| n.parse().ok()).ok_or("bad slot")?;
            Ok(LoadSlot(Slot(n)))
        }
        "release_slot" => {
            want(2)?;
            let n = args[0].strip_prefix('s').and_then(|n| n.parse().ok()).ok_or("bad slot")?;
            Ok(ReleaseSlot(Slot(n), s(1)?))
        }
        "guard_type" => {
            want(3)?;
            let ty = PyType::from_name(args[1]).ok_or_else(|| format!("bad type {:?}", args[1]))?;
            Ok(GuardType(r(0)?, ty, s(2)?))
        }
        "icmp" => want(3).and_then(|()| Ok(ICmp(cmp(0)?, r(1)?, r(2)?))),
        "fcmp" => want(3).and_then(|()| Ok(FCmp(cmp(0)?, r(1)?, r(2)?))),
        "load_field" => want(2).and_then(|()| Ok(LoadField(r(0)?, field(1)?))),
        "generic" | "generic_truth" | "generic_void" => {
            want(1)?;
            let out = [OpOut::Obj, OpOut::Truth, OpOut::Nothing].into_iter().find(|o| o.name() == m).expect("matched");
            Ok(Generic(out, s(0)?))
        }
        "list_append" => {
            want(3)?;
            Ok(ListAppend(r(0)?, r(1)?, s(2)?))
        }
        "dict_get" => want(3).and_then(|()| Ok(DictGet(r(0)?, r(1)?, s(2)?))),
        "dict_set" => want(4).and_then(|()| Ok(DictSet(r(0)?, r(1)?, r(2)?, s(3)?))),
        "str_char" => want(3).and_then(|()| Ok(StrChar(r(0)?, r(1)?, s(2)?))),
        "dict_iter_next" => want(2).and_then(|()| Ok(DictIterNext(r(0)?, s(1)?))),
        "str_concat" => want(3).and_then(|()| Ok(StrConcat(r(0)?, r(1)?, s(2)?))),
        "str_append" => want(3).and_then(|()| Ok(StrAppend(r(0)?, r(1)?, s(2)?))),
        "str_slice" => want(4).and_then(|()| Ok(StrSlice(r(0)?, r(1)?, r(2)?, s(3)?))),
        "int_to_str" => want(2).and_then(|()| Ok(IntToStr(r(0)?, s(1)?))),
        "str_contains" => want(2).and_then(|()| Ok(StrContains(r(0)?, r(1)?))),
        "str_cmp" => want(3).and_then(|()| Ok(StrCmp(cmp(0)?, r(1)?, r(2)?))),
        "release" => want(1).and_then(|()| Ok(Release(r(0)?))),
        "select" => want(3).and_then(|()| Ok(Select(r(0)?, r(1)?, r(2)?))),
        "store_elem" => {
            want(4)?;
            Ok(StoreElem(r(0)?, r(1)?, r(2)?, s(3)?))
        }
        "load_elem" => {
            want(3)?;
            let elems = Elems::from_name(args[2]).ok_or_else(|| format!("bad element base {:?}", args[2]))?;
            Ok(LoadElem(r(0)?, r(1)?, elems))
        }
        "fmath" => {
            want(3)?;
            let m = MathFn::from_name(args[0]).ok_or_else(|| format!("bad math function {:?}", args[0]))?;
            Ok(FMath(m, r(1)?, s(2)?))
        }
        "ftoi" => {
            want(3)?;
            let how = Rounding::from_name(args[0]).ok_or_else(|| format!("bad rounding {:?}", args[0]))?;
            Ok(FToI(how, r(1)?, s(2)?))
        }
        "store_field" => want(3).and_then(|()| Ok(StoreField(r(0)?, field(1)?, r(2)?))),
        "loop" => want(0).map(|()| Loop),
        "side" => want(1).and_then(|()| Ok(Side(r(0)?))),
        _ => Err(format!("unknown instruction `{m}`")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "
        trace header=28 depth=1 nlocalsplus=3
        %0 obj load_slot s3
        %1     guard_type %0 range_iterator #0
        %2 i64 load_field %0 range.len
        %3 i64 const 0
        %4 bool icmp gt %2 %3
        %5     guard_true %4 #0
        %6 obj load_slot s1
        %7     guard_type %6 float #1
        %8 f64 unbox_float %6
        %9 f64 fconst 0.5
        %10 f64 fmul %8 %9
        %11 f64 fconst -0.0
        %12 ---- loop ----
        %13 f64 phi %10 %14
        %14 f64 fadd %13 %11
        #0 pc=28 depth=1 []
        #1 pc=34 depth=1 [s2=%3]
        #2 pc=28 depth=1 [s1=%13] loop
    ";

    #[test]
    fn text_form_round_trips() {
        let trace = parse_trace(SAMPLE).expect("parses");
        assert_eq!(trace.insts.len(), 15);
        assert_eq!(trace.loop_snap, Some(SnapId(2)));
        assert_eq!(trace.ty(Ref(13)), Ty::F64);
        let printed = trace.to_string();
        let again = parse_trace(&printed).expect("printed form parses");
        assert_eq!(trace, again);
        assert!(printed.contains("%11   f64  fconst -0.0"), "{printed}");
    }

    #[test]
    fn side_blocks_round_trip_and_see_only_dominating_values() {
        let text = "trace header=0 depth=0 nlocalsplus=1
            %0 const 1
            %1 ---- loop ----
            %2 i64 phi %0 %5
            %3 bool icmp lt %2 %0
            %4 guard_true %3 #0
            %5 i64 add_ov %2 %0 #0
            %6 ---- side %4 ----
            %7 i64 sub_ov %2 %0 #0
            %8 side_back %2 %7
            #0 pc=0 depth=0 [s0=%2] loop";
        let trace = parse_trace(text).expect("parses");
        assert_eq!(parse_trace(&trace.to_string()).unwrap(), trace);
        let bad = text.replace("%7 i64 sub_ov %2 %0 #0", "%7 i64 sub_ov %5 %0 #0");
        assert!(parse_trace(&bad).unwrap_err().contains("not defined before use"), "%5 follows the guard");
    }

    #[test]
    fn verify_rejects_use_before_definition() {
        let bad = "trace header=0 depth=0 nlocalsplus=1\n%0 i64 add_ov %1 %1 #0\n%1 i64 const 1\n#0 pc=0 depth=0 []";
        let err = parse_trace(bad).unwrap_err();
        assert!(err.contains("not defined before use"), "{err}");
    }

    #[test]
    fn verify_rejects_phi_type_mismatch() {
        let bad = "trace header=0 depth=0 nlocalsplus=1\n%0 const 1\n%1 fconst 1.0\n%2 ---- loop ----\n%3 phi %0 %1";
        assert!(parse_trace(bad).unwrap_err().contains("differ in type"));
    }

    #[test]
    fn parse_reports_bad_arity() {
        let bad = "trace header=0 depth=0 nlocalsplus=1\n%0 const 1\n%1 fadd %0";
        assert!(parse_trace(bad).unwrap_err().contains("takes 2 operands"));
    }
}
