//! Trace IR -> Cranelift IR.
//!
//! The trace is already SSA, so every IR value maps to one Cranelift value and no
//! `Variable`s are needed. Blocks: the entry block runs the pre-roll and jumps to
//! the loop header, whose parameters are the phis; the header checks the eval
//! breaker and falls into the body, which jumps back to the header. Every check
//! that can exit splits the current block; exits are cold blocks filled in at the
//! end (every value a snapshot names dominates its guard, `mod.rs` checks that).

use cranelift_codegen::entity::packed_option::ReservedValue;
use cranelift_codegen::ir::condcodes::{FloatCC, IntCC};
use cranelift_codegen::ir::immediates::Ieee64;
use cranelift_codegen::ir::types::{F64, I32, I64, I8};
use cranelift_codegen::ir::{
    AbiParam, Block, BlockArg, Function, InstBuilder, MemFlagsData, Signature, StackSlot, StackSlotData, StackSlotKind,
    Type, Value,
};
use cranelift_codegen::isa::{CallConv, TargetFrontendConfig};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext, Variable};

use super::{runtime, ExitInfo};

mod ints;
mod math;
mod pow;
mod refill;
mod stores;

use crate::abi::Abi;
use crate::ir::{Cmp, Elems, Field, Inst, MathFn, OpOut, Operands, PyType, Ref, Rounding, Slot, SnapId, Trace, Ty};
use crate::methods::{MethodId, MethodResult};
use hashbrown::HashMap;
#[cfg(test)]
pub(super) use stores::replaced_float;

/// Trees with at most this many exits give each its own block (see
/// `Lowerer::shared_exits`): they compile quickly anyway, and sharing moved
/// the register allocator's choices in float_branches' loop (13.4 -> 17.1 ms).
const SHARE_EXITS_ABOVE: usize = 64;

/// A root value that at least this many exits of a side block store is
/// stored once, on entry to the block, and the exits leave it there (see
/// `Lowerer::block_words`).
const EXITS_TO_STORE_ON_ENTRY: usize = 3;

/// A value of the pre-roll that at least this many exits hold is stored in
/// a word of `exit_buf` where it is made, and the exits leave it there (see
/// `Lowerer::through`).
const EXITS_TO_STORE_AT_DEFINITION: u32 = 8;

/// Where in `exit_buf` an exit stores the iterations completed: after the
/// values of the largest snapshot.
pub(super) fn iterations_word(exits: &[ExitInfo]) -> usize {
    exits.iter().map(|e| e.values.len()).max().unwrap_or(0)
}

/// What `lower` gives besides the code: the exits in exit-number order, the
/// words of `exit_buf` the code uses (see `Lowerer::parked`), and memory the
/// code reads, which must live as long as it (`Lowerer::side_floats`).
pub(super) type Lowered = (Vec<ExitInfo>, usize, Box<[u64]>);

/// Build the function body into `func`.
pub(super) fn lower(
    func: &mut Function,
    fctx: &mut FunctionBuilderContext,
    trace: &Trace,
    abi: &Abi,
    call_conv: CallConv,
    target: TargetFrontendConfig,
    deopt_flags: Option<*mut u8>,
) -> Result<Lowered, String> {
    let mut b = FunctionBuilder::new(func, fctx);
    let entry = b.create_block();
    b.append_block_params_for_function_params(entry);
    b.switch_to_block(entry);
    let params = b.block_params(entry).to_vec();
    let iterations = b.declare_var(I64);
    let zero = b.ins().iconst(I64, 0);
    b.def_var(iterations, zero);
    // After the largest snapshot and the iteration count.
    let through_base = trace.snaps.iter().map(|s| s.entries.len()).max().unwrap_or(0) + 1;
    let through: HashMap<Ref, usize> =
        stored_at_definition(trace).into_iter().enumerate().map(|(k, r)| (r, through_base + k)).collect();
    let mut lw = Lowerer {
        deopt_flags,
        side_floats: side_back_floats(trace),
        iterations,
        b,
        trace,
        abi,
        call_conv,
        vals: vec![None; trace.insts.len()],
        maybe_null: trace.maybe_null(),
        parked: HashMap::new(),
        parked_base: through_base + through.len(),
        through,
        localsplus: params[0],
        exit_buf: params[1],
        eval_breaker: params[2],
        exits: Vec::new(),
        pending: Vec::new(),
        shared_exits: HashMap::new(),
        pending_shared: Vec::new(),
        share_exits: trace.insts.iter().filter(|i| i.snap().is_some()).count() > SHARE_EXITS_ABOVE,
        trampolines: Vec::new(),
        sides_seen: 0,
        header: None,
        scratch: None,
        sides: trace
            .insts
            .iter()
            .filter_map(|i| match *i {
                Inst::Side(guard) => Some((guard, None)),
                _ => None,
            })
            .collect(),
        side_back: Vec::new(),
        in_side: false,
        ended: false,
        spill_words: HashMap::new(),
        restore: Vec::new(),
        exit_values: Vec::new(),
        block_words: HashMap::new(),
        exit_words: Vec::new(),
        count_in_word: Vec::new(),
        in_words: false,
    };
    // Constants first, in the entry block: they dominate every use, including
    // uses in the loop reached from side blocks that skip part of the pre-roll.
    for r in trace.refs().filter(|&r| trace.inst(r).is_const()) {
        lw.inst(r)?;
    }
    lw.anchor_constants()?;
    for r in trace.refs().filter(|&r| !trace.inst(r).is_const()) {
        lw.inst(r)?;
    }
    lw.end_block()?;
    lw.fill_exits()?;
    lw.b.seal_all_blocks();
    // Only side blocks use the counter's word (those that reenter) and the
    // spill words after it (those, and the blocks that store on entry).
    let used_words = if lw.count_in_word.contains(&true) || !lw.spill_words.is_empty() {
        lw.spill_base() + lw.spill_words.len()
    } else {
        lw.counter_word()
    };
    lw.b.finalize(target);
    let words = (iterations_word(&lw.exits) + 1).max(used_words);
    Ok((lw.exits, words, lw.side_floats))
}

/// The float constants side blocks give phis (`Lowerer::side_floats`).
fn side_back_floats(trace: &Trace) -> Box<[u64]> {
    let mut bits: Vec<u64> = Vec::new();
    for inst in &trace.insts {
        if let Inst::SideBack(_, v) = *inst {
            if let Inst::ConstF64(b) = *trace.inst(v) {
                if !bits.contains(&b) {
                    bits.push(b);
                }
            }
        }
    }
    bits.into_boxed_slice()
}

struct Lowerer<'a> {
    b: FunctionBuilder<'a>,
    trace: &'a Trace,
    abi: &'a Abi,
    call_conv: CallConv,
    /// The Cranelift value of each IR value (`None` for `Void` instructions).
    vals: Vec<Option<Value>>,
    /// `Trace::maybe_null`: the references to test before taking or releasing.
    maybe_null: Vec<bool>,
    /// Phis the loop body leaves alone (only side blocks change them, or
    /// nothing does): each keeps its current value in a word of `exit_buf`,
    /// written on entry and by the side blocks that change it, so exits need
    /// not store it (`ExitInfo::parked`), and one nothing but exits uses is
    /// no value of the loop at all. Without this, every such value is live
    /// in the loop for the exits alone, and takes a register or a spill
    /// there; with it, the cold code and its register allocation shrink.
    parked: HashMap<Ref, usize>,
    /// The first word of `exit_buf` that holds a parked phi.
    parked_base: usize,
    /// Values of the pre-roll many exits hold (`stored_at_definition`), with
    /// their words of `exit_buf`, which come before the parked phis' words:
    /// each is stored there where it is made, once per entry, and the exits
    /// leave it there (`ExitInfo::parked`), so that it need not live through
    /// the loop for the exits alone (an invariant like n-body's `dt`). An
    /// exit's snapshot holds only values made before it, so by then each is
    /// stored.
    through: HashMap<Ref, usize>,
    localsplus: Value,
    exit_buf: Value,
    /// Back edges taken since entry (iterations completed in compiled code); each
    /// exit stores it after its snapshot's values, in the word `iterations_word`.
    iterations: Variable,
    eval_breaker: Value,
    exits: Vec<ExitInfo>,
    /// Exit blocks still to be filled: (block, exit number).
    pending: Vec<(Block, usize)>,
    /// Exits of the cold parts of a tree (the pre-roll, which runs once per
    /// entry, and side blocks) whose snapshots hold the same locals share the
    /// block that stores those, which takes the exit number: (part, the
    /// locals' entries with their places) -> that block. Each such exit's own
    /// block stores the rest (its stack) and jumps there. Side blocks hold
    /// most of a large tree's exits (n-body: 168 of 204), and their stores
    /// most of its code and of its register allocation. Exits of the loop
    /// body keep blocks of their own: sharing those made Mandelbrot's loop 23
    /// to 30% slower, as values had to meet in one place at the shared block.
    shared_exits: HashMap<(u32, Vec<(usize, Slot, Ref)>), Block>,
    /// Whether the tree is large enough to share exit blocks at all
    /// (`SHARE_EXITS_ABOVE`).
    share_exits: bool,
    /// Shared blocks still to be filled: (block, an exit that uses it).
    pending_shared: Vec<(Block, usize)>,
    /// Exits that jump to a shared block: (their block, exit number, shared block).
    trampolines: Vec<(Block, usize, Block)>,
    /// Side blocks lowered so far (which part of the tree an exit is in).
    sides_seen: u32,
    /// The loop header and the phis that are its parameters.
    header: Option<(Block, Vec<Ref>)>,
    /// A 16-byte stack slot for helpers that return values through a pointer.
    scratch: Option<StackSlot>,
    /// Guards that continue into a side block instead of exiting, with that
    /// block once the guard has been lowered.
    sides: HashMap<Ref, Option<Block>>,
    /// The current side block's `side_back` values: (phi, value).
    side_back: Vec<(Ref, Ref, Value)>,
    in_side: bool,
    /// Whether the current side block has ended in an exit (`Inst::Reenter`).
    ended: bool,
    /// The words of `exit_buf`, after the parked ones, that hold the root
    /// values side blocks use (see `enter_side_block`).
    spill_words: HashMap<Ref, usize>,
    /// The root values the current side block reads back from their words,
    /// with the values they had before it.
    restore: Vec<(Ref, Option<Value>)>,
    /// Per exit, the value of each entry of its snapshot where the exit is
    /// (`None` for a parked phi): a side block's own copies of root values.
    exit_values: Vec<Vec<Option<Value>>>,
    /// The root values whose value is in a word of `exit_buf` all through
    /// the current side block (its spill word): its exits leave them there
    /// (`ExitInfo::parked`) instead of storing them again. A large side
    /// block's exits mostly store the same root values (n-body's second
    /// bridge: 150 exits, each storing the nine locals of the loop), which
    /// then live to its last exit: most of the tree's code and of its
    /// register allocation.
    block_words: HashMap<Ref, usize>,
    /// Per exit, the word (from `block_words`) that holds each entry of its
    /// snapshot, if one does.
    exit_words: Vec<Vec<Option<usize>>>,
    /// Per exit, whether the iteration count is in its word of `exit_buf`
    /// there (`counter_word`), not in a register (see `enter_side_block`).
    count_in_word: Vec<bool>,
    /// Whether the current side block keeps the count and the root values
    /// it uses in words of `exit_buf`.
    in_words: bool,
    /// See `CompiledTrace::deopt_flags`.
    deopt_flags: Option<*mut u8>,
    /// The float constants side blocks give phis (`zr = 0.0`), which they
    /// load from here. As an `f64const`, Cranelift shares such a constant
    /// with the same one used before a call in the block (a zero check),
    /// which then lives across the call and into the phi; the register
    /// allocator then kept the phi in a stack slot in the loop itself
    /// (Mandelbrot's `zr`, through the outer loop's bridge). A load is no
    /// value Cranelift shares or moves.
    side_floats: Box<[u64]>,
}

/// The values of the pre-roll that `EXITS_TO_STORE_AT_DEFINITION` or more
/// exits hold (see `Lowerer::through`), but for constants (Cranelift makes
/// them again where they are needed). Not those of the loop body: a store
/// there runs every iteration, where an exit's runs when it is taken
/// (storing the body's values where they were made cut n-body's compile time
/// by an eighth, but made int_divmod's loop 24% slower and nested_loops' 30%).
fn stored_at_definition(trace: &Trace) -> Vec<Ref> {
    let Some(body) = trace.loop_ref() else { return Vec::new() };
    let mut exits = vec![0u32; trace.insts.len()];
    for r in trace.refs() {
        let inst = trace.inst(r);
        let Some(snap) = inst.snap().filter(|_| !matches!(inst, Inst::Generic(..))) else { continue };
        for &(_, v) in &trace.snap(snap).entries {
            exits[v.index()] += 1;
        }
    }
    trace
        .refs()
        .take_while(|&r| r < body)
        .filter(|&r| exits[r.index()] >= EXITS_TO_STORE_AT_DEFINITION && !trace.inst(r).is_const())
        .collect()
}

/// Whether `v` is an item of a list or tuple, read within its bounds: never
/// NULL (unlike an instance's attribute, or an unbound local).
pub(super) fn never_null(trace: &Trace, v: Ref) -> bool {
    match *trace.inst(v) {
        Inst::LoadElem(_, _, Elems::Tuple) => true,
        Inst::LoadElem(items, _, Elems::Array) => matches!(trace.inst(items), Inst::LoadField(_, Field::ListItems)),
        _ => false,
    }
}

/// Frame slots: the array is always valid, but `generic` instructions write
/// the frame, so loads stay in order with calls.
fn frame_flags() -> MemFlagsData {
    MemFlagsData::trusted()
}

/// Immutable parts of objects (type, int digits, float value): readonly while the
/// trace runs, but only valid after the guards that precede them.
fn object_flags() -> MemFlagsData {
    MemFlagsData::trusted().with_readonly()
}

/// Mutable memory: range iterator fields, the exit buffer, the eval breaker.
fn mutable_flags() -> MemFlagsData {
    MemFlagsData::trusted()
}

fn clif_type(ty: Ty) -> Result<Type, String> {
    match ty {
        Ty::I64 | Ty::Obj => Ok(I64),
        Ty::F64 => Ok(F64),
        Ty::Bool => Ok(I8),
        Ty::Void => Err("a void value has no type".into()),
    }
}

fn int_cc(c: Cmp) -> IntCC {
    match c {
        Cmp::Lt => IntCC::SignedLessThan,
        Cmp::Le => IntCC::SignedLessThanOrEqual,
        Cmp::Eq => IntCC::Equal,
        Cmp::Ne => IntCC::NotEqual,
        Cmp::Gt => IntCC::SignedGreaterThan,
        Cmp::Ge => IntCC::SignedGreaterThanOrEqual,
    }
}

/// CPython's `Py_LT`..`Py_GE` for a comparison.
fn rich_compare_op(c: Cmp) -> i64 {
    match c {
        Cmp::Lt => 0,
        Cmp::Le => 1,
        Cmp::Eq => 2,
        Cmp::Ne => 3,
        Cmp::Gt => 4,
        Cmp::Ge => 5,
    }
}

/// Python's float comparisons: ordered except `!=`, which is true for NaN.
fn float_cc(c: Cmp) -> FloatCC {
    match c {
        Cmp::Lt => FloatCC::LessThan,
        Cmp::Le => FloatCC::LessThanOrEqual,
        Cmp::Eq => FloatCC::Equal,
        Cmp::Ne => FloatCC::NotEqual,
        Cmp::Gt => FloatCC::GreaterThan,
        Cmp::Ge => FloatCC::GreaterThanOrEqual,
    }
}

impl Lowerer<'_> {
    /// Store every integer constant of the trace into a stack slot that
    /// nothing reads, in the entry block. Cranelift makes such a constant
    /// again in each block that uses it (rematerialization), but only copies
    /// of the constant's first placement: when that lands in a block that
    /// does not dominate the rest (an exit, one arm of a diamond), later uses
    /// share a copy made elsewhere, which is not remade, and the register
    /// allocator keeps it in a stack slot: Mandelbrot's loop reloaded three
    /// nulls and the 1 it counts with every turn. A use in the entry block
    /// places each constant first where it dominates everything. The cost is
    /// a store per constant on entry to the trace.
    ///
    /// Rejected: making constants in the blocks that use them (Cranelift
    /// merges equal constants back into one); `opt_level=none`, which keeps
    /// them where they are made (the register allocator then took longer
    /// than Cranelift's optimizer had).
    fn anchor_constants(&mut self) -> Result<(), String> {
        let constants: Vec<Value> = (self.trace.refs())
            .filter(|&r| self.trace.inst(r).is_const() && clif_type(self.trace.ty(r)) == Ok(I64))
            .map(|r| self.val(r))
            .collect::<Result<_, _>>()?;
        if constants.is_empty() {
            return Ok(());
        }
        let size = u32::try_from(constants.len() * 8).map_err(|_| "too many constants")?;
        let slot = self.b.create_sized_stack_slot(StackSlotData::new(StackSlotKind::ExplicitSlot, size, 3));
        for (k, value) in constants.into_iter().enumerate() {
            self.b.ins().stack_store(I64, value, slot, (k * 8) as i32);
        }
        Ok(())
    }

    /// The values of an instruction's first two operands (the back-edge operand
    /// of a phi is not defined yet and not needed here; a side marker names a
    /// guard; `store_elem` fetches its third itself).
    fn operand_values(&self, inst: &Inst) -> Result<[Value; 2], String> {
        let mut out = [Value::reserved_value(); 2];
        if !matches!(inst, Inst::Phi(..) | Inst::Side(_) | Inst::SideBack(..)) {
            for (k, &r) in inst.operands().as_slice().iter().take(2).enumerate() {
                out[k] = self.val(r)?;
            }
        }
        Ok(out)
    }

    fn val(&self, r: Ref) -> Result<Value, String> {
        self.vals.get(r.index()).copied().flatten().ok_or_else(|| format!("{r} has no value here"))
    }

    /// Where frame slot `s` is: a base address and an offset from it. A slot
    /// of the inlined generator is in the frame the generator object embeds.
    fn slot_place(&mut self, r: Ref, s: Slot) -> Result<(Value, i32), String> {
        let offset = |slot: u32, base: i32| {
            i32::try_from(slot as u64 * 8)
                .ok()
                .and_then(|o| o.checked_add(base))
                .ok_or(format!("{r}: slot {s} out of range"))
        };
        let Some(k) = s.generator_index() else {
            return Ok((self.localsplus, offset(s.0, 0)?));
        };
        let generator = self.trace.generator.ok_or(format!("{r}: generator slot {s} without a generator"))?;
        let held_at = offset(generator.iterator.0, 0)?;
        let gen = self.b.ins().load(I64, frame_flags(), self.localsplus, held_at);
        Ok((gen, offset(k, self.abi.gen_localsplus)?))
    }

    /// Lower one instruction, recording the value it defines.
    fn inst(&mut self, r: Ref) -> Result<(), String> {
        use Inst::*;
        let inst = *self.trace.inst(r);
        let [a, b] = self.operand_values(&inst)?;
        let value = match inst {
            ConstI64(c) => Some(self.b.ins().iconst(I64, c)),
            ConstF64(bits) => Some(self.b.ins().f64const(Ieee64::with_bits(bits))),
            ConstBool(c) => Some(self.b.ins().iconst(I8, c as i64)),
            ConstObj(p) => Some(self.b.ins().iconst(I64, p as i64)),
            Null => Some(self.b.ins().iconst(I64, 0)),
            LoadName(..) => {
                let dict = self.b.ins().load(I64, frame_flags(), self.localsplus, self.abi.frame_locals);
                Some(self.call(self.abi.load_name as usize, &[I64, I64], I64, &[dict, a]))
            }
            LoadSlot(s) if s.name_index().is_some() => return Err(format!("{r}: load_slot of name slot {s}")),
            LoadSlot(s) => {
                let (base, off) = self.slot_place(r, s)?;
                Some(self.b.ins().load(I64, frame_flags(), base, off))
            }
            Loop => {
                self.open_loop(r)?;
                None
            }
            Side(guard) => {
                self.end_block()?;
                let block = self
                    .sides
                    .get(&guard)
                    .copied()
                    .flatten()
                    .ok_or(format!("{r}: side of {guard}, which has no exit"))?;
                self.b.switch_to_block(block);
                self.in_side = true;
                self.sides_seen += 1;
                self.enter_side_block(r, guard)?;
                None
            }
            SideBack(phi, v) => {
                let value = match *self.trace.inst(v) {
                    ConstF64(bits) => {
                        let k = self.side_floats.iter().position(|&b| b == bits).ok_or("float not in side_floats")?;
                        let table = self.b.ins().iconst(I64, self.side_floats.as_ptr() as i64);
                        self.b.ins().load(F64, mutable_flags(), table, (k * 8) as i32)
                    }
                    _ => self.value_or_parked(v)?,
                };
                self.side_back.push((phi, v, value));
                None
            }
            // Phis became the header's parameters in `open_loop`.
            Phi(..) => self.vals[r.index()],
            StoreField(_, f, _) => {
                self.b.ins().store(mutable_flags(), b, a, self.abi.field_offset(f));
                None
            }
            LoadElem(_, _, elems) => {
                let scaled = self.b.ins().ishl_imm_u(b, 3);
                let addr = self.b.ins().iadd(a, scaled);
                Some(self.b.ins().load(I64, mutable_flags(), addr, self.abi.elems_offset(elems)))
            }
            LoadField(_, f) if f.is_i8() => {
                Some(self.b.ins().sload8(I64, mutable_flags(), a, self.abi.field_offset(f)))
            }
            LoadField(_, f) if f.is_u32() => Some(self.b.ins().uload32(mutable_flags(), a, self.abi.field_offset(f))),
            LoadField(_, f) => Some(self.b.ins().load(I64, mutable_flags(), a, self.abi.field_offset(f))),
            UnboxFloat(_) => Some(self.b.ins().load(F64, object_flags(), a, self.abi.float_value)),
            UnboxBool(_) => Some(self.b.ins().icmp_imm_s(IntCC::Equal, a, self.abi.true_obj as i64)),
            ObjIs(..) => Some(self.b.ins().icmp(IntCC::Equal, a, b)),
            IAnd(..) => Some(self.b.ins().band(a, b)),
            IAdd(..) => Some(self.b.ins().iadd(a, b)),
            ISub(..) => Some(self.b.ins().isub(a, b)),
            IOr(..) => Some(self.b.ins().bor(a, b)),
            IXor(..) => Some(self.b.ins().bxor(a, b)),
            IInvert(_) => Some(self.b.ins().bnot(a)),
            ICmp(c, _, _) => Some(self.b.ins().icmp(int_cc(c), a, b)),
            IModKeeps(..) => {
                let f = runtime::hl_imod_keeps as extern "C" fn(i64, i64) -> u8;
                Some(self.call(f as usize, &[I64, I64], I8, &[a, b]))
            }
            IShrKeeps(..) => {
                let by_zero = self.b.ins().icmp_imm_s(IntCC::Equal, b, 0);
                let big_negative = self.b.ins().icmp_imm_s(IntCC::SignedLessThanOrEqual, a, -(1 << 30));
                Some(self.b.ins().band(by_zero, big_negative))
            }
            FAdd(..) => Some(self.b.ins().fadd(a, b)),
            FSub(..) => Some(self.b.ins().fsub(a, b)),
            FMul(..) => Some(self.b.ins().fmul(a, b)),
            FNeg(_) => Some(self.b.ins().fneg(a)),
            FAbs(_) => Some(self.b.ins().fabs(a)),
            // Python keeps the first argument unless the second is strictly
            // smaller (min) or larger (max).
            IMin(..) => Some(self.b.ins().smin(a, b)),
            IMax(..) => Some(self.b.ins().smax(a, b)),
            FMin(..) => {
                let smaller = self.b.ins().fcmp(FloatCC::LessThan, b, a);
                Some(self.b.ins().select(smaller, b, a))
            }
            FMax(..) => {
                let larger = self.b.ins().fcmp(FloatCC::GreaterThan, b, a);
                Some(self.b.ins().select(larger, b, a))
            }
            FCmp(c, _, _) => Some(self.b.ins().fcmp(float_cc(c), a, b)),
            StrContains(..) => Some(self.call(self.abi.str_contains as usize, &[I64, I64], I8, &[a, b])),
            StrCmp(c, _, _) => {
                let op = self.b.ins().iconst(I64, rich_compare_op(c));
                Some(self.call(self.abi.str_compare as usize, &[I64, I64, I64], I8, &[a, b, op]))
            }
            Release(v) => {
                let test = self.maybe_null[v.index()];
                self.unless_null(test, a, |lw| lw.release(a));
                None
            }
            // The runtime's `generic` helper leaves it in the exit buffer's
            // second word (see `abi::Generic`).
            GenericBelow(_) => Some(self.b.ins().load(I64, mutable_flags(), self.exit_buf, 8)),
            Fresh(_) => Some(a),
            NewRef(v) => {
                let test = self.maybe_null[v.index()];
                self.unless_null(test, a, |lw| lw.incref(a));
                Some(a)
            }
            Select(_, then, otherwise) => {
                let (then, otherwise) = (self.val(then)?, self.val(otherwise)?);
                Some(self.b.ins().select(a, then, otherwise))
            }
            IToF(_) => Some(self.b.ins().fcvt_from_sint(F64, a)),
            BoolToI(_) => Some(self.b.ins().uextend(I64, a)),
            BNot(_) => Some(self.b.ins().bxor_imm_s(a, 1)),
            ITruth(_) => Some(self.b.ins().icmp_imm_s(IntCC::NotEqual, a, 0)),
            FTruth(_) => {
                let zero = self.b.ins().f64const(0.0);
                Some(self.b.ins().fcmp(FloatCC::NotEqual, a, zero))
            }
            _ => {
                // Everything left can exit.
                let snap = inst.snap().expect("instructions with a snapshot are handled here");
                let exit = match self.sides.get_mut(&r) {
                    Some(side) => *side.get_or_insert_with(|| self.b.create_block()),
                    None => self.new_exit(snap, Some(r)),
                };
                match inst {
                    Reenter(_) => {
                        self.b.ins().jump(exit, &[]);
                        self.ended = true;
                        None
                    }
                    Generic(out, _) => self.generic(out, snap, exit)?,
                    StoreElem(.., value, _) => self.store_elem(r, a, b, value, exit)?,
                    DictGet(_, key, _) => Some(self.dict_get(a, key, exit)?),
                    DictSet(_, key, value, _) => self.dict_set(a, key, value, exit)?,
                    Contains(ty, _, key, _) => {
                        let (key, is_int) = self.dict_key(key)?;
                        let f = if ty == PyType::Set { self.abi.set_contains } else { self.abi.seq_contains } as usize;
                        let found = self.call_with_out(f, &[I64, I64, I64], I64, &[a, key, is_int], exit);
                        Some(self.b.ins().icmp_imm_s(IntCC::NotEqual, found, 0))
                    }
                    SetAdd(_, key, _) => {
                        let (key, is_int) = self.dict_key(key)?;
                        let ok = self.call(self.abi.set_add as usize, &[I64, I64, I64], I8, &[a, key, is_int]);
                        self.exit_unless(ok, exit);
                        None
                    }
                    StrChar(..) | StrCharNew(..) => {
                        let f = if matches!(inst, StrChar(..)) { self.abi.str_char } else { self.abi.str_char_new }
                            as usize;
                        Some(self.call_with_out(f, &[I64, I64], I64, &[a, b], exit))
                    }
                    ListAppend(_, value, _) => self.list_append(a, value, exit)?,
                    ReleaseSlot(s, _) => {
                        let (base, off) = self.slot_place(r, s)?;
                        let place = self.b.ins().iadd_imm_s(base, off as i64);
                        let ok = self.call(self.abi.release_slot as usize, &[I64], I8, &[place]);
                        self.exit_unless(ok, exit);
                        None
                    }
                    ForIterEnd(ty, s, _) => {
                        let (base, off) = self.slot_place(r, s)?;
                        let place = self.b.ins().iadd_imm_s(base, off as i64);
                        let kind = self.b.ins().iconst(I64, (ty != PyType::RangeIter) as i64);
                        let ok = self.call(self.abi.for_iter_end as usize, &[I64, I64], I8, &[place, kind]);
                        self.exit_unless(ok, exit);
                        None
                    }
                    GetIter(args, s, _) => {
                        let (base, off) = self.slot_place(r, s)?;
                        let place = self.b.ins().iadd_imm_s(base, off as i64);
                        let mut words = vec![place, self.b.ins().iconst(I64, args.as_slice().len() as i64)];
                        for k in 0..3 {
                            let word = match args.as_slice().get(k) {
                                Some(&a) => self.val(a)?,
                                None => self.b.ins().iconst(I64, 0),
                            };
                            words.push(word);
                        }
                        Some(self.call_made(self.abi.get_iter as usize, &[I64; 5], &words, exit))
                    }
                    DictIterNext(..) => {
                        let f = self.abi.dict_iter_next as usize;
                        Some(self.call_with_out(f, &[I64], I64, &[a], exit))
                    }
                    StrConcat(..) | StrAppend(..) => {
                        let f = if matches!(inst, StrAppend(..)) { self.abi.str_append } else { self.abi.str_concat };
                        Some(self.call_made(f as usize, &[I64, I64], &[a, b], exit))
                    }
                    Slice(_, _, _, stop, _) => {
                        let stop = self.val(stop)?;
                        Some(self.call_made(self.abi.slice as usize, &[I64, I64, I64], &[a, b, stop], exit))
                    }
                    IntToStr(..) => Some(self.call_made(self.abi.int_to_str as usize, &[I64], &[a], exit)),
                    CallMethod(method, args, _) => {
                        let result = self.call_method(method, args, exit)?;
                        (method.method().result != MethodResult::Nothing).then_some(result)
                    }
                    RefillResult(args, _) => {
                        self.refill_result(args, exit)?;
                        None
                    }
                    BuildSeq(ty, items, _) => {
                        let list = self.b.ins().iconst(I64, (ty == PyType::List) as i64);
                        let args: Vec<Value> = [list].into_iter().chain(self.argument_words(items)?).collect();
                        Some(self.call_made(self.abi.build_seq as usize, &[I64; 6], &args, exit))
                    }
                    // Known to pass: the exit stays, unreachable (see `opt::phi_types`
                    // and `opt::strengthen`).
                    GuardType(..) | GuardTrue(..) if self.trace.proven.contains(&r) => None,
                    _ => {
                        if inst.is_guard() {
                            self.fail_once(r, exit);
                        }
                        self.exiting(inst, [a, b], exit)?
                    }
                }
            }
        };
        self.vals[r.index()] = value;
        if let Some(value) = value {
            self.store_through(r, value);
        }
        Ok(())
    }

    /// Store `r` in its word if it is one of the `through` values.
    fn store_through(&mut self, r: Ref, value: Value) {
        if let Some(&word) = self.through.get(&r) {
            self.store_word(r, value, word);
        }
    }

    /// Instructions that may leave through `exit`.
    fn exiting(&mut self, inst: Inst, [a, b]: [Value; 2], exit: Block) -> Result<Option<Value>, String> {
        use Inst::*;
        let value = match inst {
            GuardType(v, ty, _) => {
                if !never_null(self.trace, v) {
                    self.exit_unless(a, exit);
                }
                let t = self.b.ins().load(I64, object_flags(), a, self.abi.ob_type);
                let mut ok = self.b.ins().icmp_imm_s(IntCC::Equal, t, self.abi.type_addr(ty) as i64);
                if ty == PyType::StrIter {
                    let ascii = self.b.ins().icmp_imm_s(IntCC::Equal, t, self.abi.str_ascii_iter_type as i64);
                    ok = self.b.ins().bor(ok, ascii);
                }
                self.exit_unless(ok, exit);
                None
            }
            GuardNotNull(..) | GuardTrue(..) => {
                self.exit_unless(a, exit);
                None
            }
            GuardFalse(..) => {
                self.exit_if(a, exit);
                None
            }
            UnboxInt(..) => Some(self.unbox_int(a, exit)?),
            IAddOv(..) => {
                let (r, of) = self.b.ins().sadd_overflow(a, b);
                self.exit_if(of, exit);
                Some(r)
            }
            ISubOv(..) => {
                let (r, of) = self.b.ins().ssub_overflow(a, b);
                self.exit_if(of, exit);
                Some(r)
            }
            IMulOv(..) => {
                let (r, of) = self.b.ins().smul_overflow(a, b);
                self.exit_if(of, exit);
                Some(r)
            }
            INegOv(..) => {
                let min = self.b.ins().icmp_imm_s(IntCC::Equal, a, i64::MIN);
                self.exit_if(min, exit);
                Some(self.b.ins().ineg(a))
            }
            IFloorDiv(_, d, _) => Some(match self.positive_constant(d) {
                Some(k) => self.floordiv_by(a, b, k),
                None => self.floordiv(a, b, exit),
            }),
            IMod(_, d, _) => Some(match self.positive_constant(d) {
                Some(k) => self.modulo_by(a, b, k),
                None => self.modulo(a, b, exit),
            }),
            IPow(..) => {
                let f = runtime::hl_ipow as unsafe extern "C" fn(i64, i64, *mut i64) -> u8;
                Some(self.call_with_out(f as usize, &[I64, I64], I64, &[a, b], exit))
            }
            IShl(..) => Some(self.shl(a, b, exit)),
            IShr(..) => {
                let neg = self.b.ins().icmp_imm_s(IntCC::SignedLessThan, b, 0);
                self.exit_if(neg, exit);
                // Python shifts by any count; past 63 only the sign is left.
                let max = self.b.ins().iconst(I64, 63);
                let n = self.b.ins().umin(b, max);
                Some(self.b.ins().sshr(a, n))
            }
            FDiv(..) => {
                self.exit_if_zero_float(b, exit);
                Some(self.b.ins().fdiv(a, b))
            }
            FFloorDiv(..) | FMod(..) => {
                self.exit_if_zero_float(b, exit);
                let f = if matches!(inst, FMod(..)) { runtime::hl_fmod } else { runtime::hl_ffloordiv };
                let f = f as extern "C" fn(f64, f64) -> f64;
                Some(self.call(f as usize, &[F64, F64], F64, &[a, b]))
            }
            IAbsOv(..) => {
                let min = self.b.ins().icmp_imm_s(IntCC::Equal, a, i64::MIN);
                self.exit_if(min, exit);
                Some(self.b.ins().iabs(a))
            }
            FMath(MathFn::Sqrt, ..) => {
                // CPython raises for a negative argument; sqrt(-0.0) is -0.0.
                let zero = self.b.ins().f64const(0.0);
                let negative = self.b.ins().fcmp(FloatCC::LessThan, a, zero);
                self.exit_if(negative, exit);
                Some(self.b.ins().sqrt(a))
            }
            FMath(m, ..) => Some(self.math_call(m, a, exit)),
            FToI(how, ..) => {
                let whole = match how {
                    Rounding::Trunc => self.b.ins().trunc(a),
                    Rounding::Floor => self.b.ins().floor(a),
                    Rounding::Ceil => self.b.ins().ceil(a),
                };
                // In range (and not NaN): -2**63 <= whole < 2**63.
                let low = self.b.ins().f64const(-9_223_372_036_854_775_808.0);
                let high = self.b.ins().f64const(9_223_372_036_854_775_808.0);
                let above = self.b.ins().fcmp(FloatCC::GreaterThanOrEqual, whole, low);
                let below = self.b.ins().fcmp(FloatCC::LessThan, whole, high);
                let fits = self.b.ins().band(above, below);
                self.exit_unless(fits, exit);
                Some(self.b.ins().fcvt_to_sint(I64, whole))
            }
            FPow(_, y, _) => Some(self.pow(a, b, y, exit)),
            IToFExact(..) => {
                // -2**53 <= a <= 2**53  <=>  (a + 2**53) as unsigned <= 2**54.
                let shifted = self.b.ins().iadd_imm_s(a, 1i64 << 53);
                let out = self.b.ins().icmp_imm_s(IntCC::UnsignedGreaterThan, shifted, 1i64 << 54);
                self.exit_if(out, exit);
                Some(self.b.ins().fcvt_from_sint(F64, a))
            }
            _ => return Err(format!("codegen: unexpected instruction `{}`", inst.mnemonic())),
        };
        Ok(value)
    }

    /// The `loop` marker: jump from the pre-roll into the header, whose parameters
    /// are the phis that follow, and check the eval breaker there.
    fn open_loop(&mut self, at: Ref) -> Result<(), String> {
        let header = self.b.create_block();
        let mut phis = Vec::new();
        let mut entry_args = Vec::new();
        for r in (at.0 + 1..self.trace.insts.len() as u32).map(Ref) {
            let Inst::Phi(first, back) = *self.trace.inst(r) else {
                break;
            };
            if back == r {
                let word = self.parked_base + self.parked.len();
                self.parked.insert(r, word);
                let value = self.val(first)?;
                self.store_word(r, value, word);
                if !self.used_beyond_exits(r) {
                    continue;
                }
            }
            let param = self.b.append_block_param(header, clif_type(self.trace.ty(r))?);
            entry_args.push(BlockArg::Value(self.val(first)?));
            self.vals[r.index()] = Some(param);
            phis.push(r);
        }
        self.count_iteration();
        self.b.ins().jump(header, &entry_args);
        self.b.switch_to_block(header);
        self.header = Some((header, phis));

        let snap = self.trace.loop_snap.ok_or("trace has no loop snapshot")?;
        let exit = self.new_exit(snap, None);
        let pending = self.b.ins().load(I32, mutable_flags(), self.eval_breaker, 0);
        self.exit_if(pending, exit);
        Ok(())
    }

    /// The back edge: pass each phi its value from this iteration.
    /// End the loop body or a side block: jump back to the loop header with the
    /// phis' next values (the phi's own back operand, or the side block's
    /// `side_back` value).
    fn end_block(&mut self) -> Result<(), String> {
        self.jump_back()?;
        for (r, value) in std::mem::take(&mut self.restore).into_iter().rev() {
            self.vals[r.index()] = value;
        }
        Ok(())
    }

    /// A side block that leaves to enter again (`Inst::Reenter`) runs an
    /// outer loop's body, with calls that clobber every float register and
    /// most integer ones: a root value it used after such a call would be
    /// live across it, and the register allocator then keeps it in a stack
    /// slot in the loop as well (nested_loops ran 2.3 times slower so, the
    /// iteration count and the loop's floats loaded and stored every turn).
    /// So such a block off the root stores, on entry, the iteration count and
    /// the root values it and the blocks nested in it use into words of
    /// `exit_buf`, and each of them reads them back: past its first
    /// instructions no root value is live there. Constants are left alone
    /// (Cranelift makes them again where they are used). Other side blocks
    /// are left as they are: through memory, the small ones of a float loop
    /// (float_branches) made the allocator keep the loop's floats in stack
    /// slots instead.
    fn enter_side_block(&mut self, marker: Ref, guard: Ref) -> Result<(), String> {
        let trace = self.trace;
        // The side block off the root that a block is in, or nested in.
        let top = |mut m: Ref| loop {
            let Inst::Side(g) = *trace.inst(m) else { return m };
            match trace.side_block_of(g) {
                Some((parent, _)) => m = parent,
                None => return m,
            }
        };
        self.block_words.clear();
        self.in_words = trace.side_block_reenters(top(marker));
        let markers: Vec<Ref> = trace.refs().filter(|&r| matches!(trace.inst(r), Inst::Side(_))).collect();
        let first_side = markers[0];
        if !self.in_words {
            self.store_on_entry(marker, first_side);
            return Ok(());
        }
        let uses = |m: Ref| -> Vec<Ref> {
            let mut used: Vec<Ref> = Vec::new();
            for r in trace.side_block(m) {
                let inst = trace.inst(r);
                let operands = match *inst {
                    Inst::SideBack(_, v) => vec![v],
                    _ => inst.operands().as_slice().to_vec(),
                };
                let entries =
                    inst.snap().map_or_else(Vec::new, |s| trace.snap(s).entries.iter().map(|e| e.1).collect());
                for v in operands.into_iter().chain(entries) {
                    if v < first_side && !trace.inst(v).is_const() && !used.contains(&v) {
                        used.push(v);
                    }
                }
            }
            used
        };
        if trace.side_block_of(guard).is_none() {
            // The iteration count too: it lives on in its word (`jump_back`).
            let done = self.b.use_var(self.iterations);
            let offset = (self.counter_word() * 8) as i32;
            self.b.ins().store(mutable_flags(), done, self.exit_buf, offset);
            for m in markers.into_iter().filter(|&m| top(m) == marker) {
                for r in uses(m) {
                    let Some(value) = self.vals[r.index()] else { continue };
                    if !self.spill_words.contains_key(&r) {
                        let word = self.spill_base() + self.spill_words.len();
                        self.spill_words.insert(r, word);
                    }
                    self.store_word(r, value, self.spill_words[&r]);
                }
            }
        }
        for r in uses(marker) {
            let Some(&word) = self.spill_words.get(&r) else { continue };
            self.block_words.insert(r, word);
            let ty = clif_type(trace.ty(r))?;
            let copy = self.b.ins().load(ty, mutable_flags(), self.exit_buf, (word * 8) as i32);
            self.restore.push((r, self.vals[r.index()]));
            self.vals[r.index()] = Some(copy);
        }
        Ok(())
    }

    /// In a side block that keeps no values in words: store the root values
    /// that `EXITS_TO_STORE_ON_ENTRY` or more of its exits store in their
    /// words now, for the exits to leave there (`block_words`). Not all of
    /// them: a store on entry runs every time the block does, an exit's
    /// store only when it is taken.
    fn store_on_entry(&mut self, marker: Ref, first_side: Ref) {
        let trace = self.trace;
        let mut stored_by: Vec<(Ref, usize)> = Vec::new();
        for r in trace.side_block(marker) {
            let Some(snap) = trace.inst(r).snap().filter(|_| !matches!(trace.inst(r), Inst::Generic(..))) else {
                continue;
            };
            for &(_, v) in &trace.snap(snap).entries {
                if v >= first_side || trace.inst(v).is_const() || self.parked.contains_key(&v) {
                    continue;
                }
                match stored_by.iter_mut().find(|(w, _)| *w == v) {
                    Some((_, exits)) => *exits += 1,
                    None => stored_by.push((v, 1)),
                }
            }
        }
        for (r, exits) in stored_by {
            let Some(value) = self.vals[r.index()].filter(|_| exits >= EXITS_TO_STORE_ON_ENTRY) else { continue };
            let next = self.spill_base() + self.spill_words.len();
            let word = *self.spill_words.entry(r).or_insert(next);
            self.store_word(r, value, word);
            self.block_words.insert(r, word);
        }
    }

    /// The word of `exit_buf` that holds the iteration count in side blocks,
    /// after the parked phis; the words of spilled root values follow.
    fn counter_word(&self) -> usize {
        self.parked_base + self.parked.len()
    }

    fn spill_base(&self) -> usize {
        self.counter_word() + 1
    }

    /// The end of the loop body or of a side block: jump back to the loop
    /// header, unless the block left (`Inst::Reenter`).
    fn jump_back(&mut self) -> Result<(), String> {
        if std::mem::take(&mut self.ended) {
            return Ok(());
        }
        if self.in_side && self.in_words {
            let offset = (self.counter_word() * 8) as i32;
            let done = self.b.ins().load(I64, mutable_flags(), self.exit_buf, offset);
            self.b.def_var(self.iterations, done);
        }
        let (header, phis) = self.header.clone().ok_or("trace has no loop")?;
        let side_back = std::mem::take(&mut self.side_back);
        if self.in_side {
            // The parked phis this side block changes: their values were taken
            // at their `side_back`s, before any of these stores.
            for &(phi, v, value) in &side_back {
                if let Some(&word) = self.parked.get(&phi).filter(|_| v != phi) {
                    self.store_word(phi, value, word);
                }
            }
        }
        let mut args = Vec::with_capacity(phis.len());
        for r in phis {
            let Inst::Phi(_, back) = *self.trace.inst(r) else { unreachable!() };
            let value = if self.in_side {
                let mut values = side_back.iter().filter(|(phi, ..)| *phi == r).map(|&(.., v)| v);
                let value = values.next().ok_or(format!("side block has no side_back for {r}"))?;
                if values.next().is_some() {
                    return Err(format!("side block has two side_backs for {r}"));
                }
                value
            } else {
                self.val(back)?
            };
            args.push(BlockArg::Value(value));
        }
        self.count_iteration();
        self.b.ins().jump(header, &args);
        Ok(())
    }

    /// Whether anything but exits uses the value of the phi `r`: an
    /// instruction, another phi's back edge, a side block's new value for
    /// another phi.
    fn used_beyond_exits(&self, r: Ref) -> bool {
        self.trace.insts.iter().enumerate().any(|(i, inst)| match *inst {
            _ if i == r.index() => false,
            Inst::SideBack(phi, v) => v == r && phi != r,
            _ => inst.operands().as_slice().contains(&r),
        })
    }

    /// The value of `r`, read from its word of `exit_buf` if it is a parked
    /// phi the loop holds in no register.
    fn value_or_parked(&mut self, r: Ref) -> Result<Value, String> {
        if let Some(v) = self.vals.get(r.index()).copied().flatten() {
            return Ok(v);
        }
        let word = *self.parked.get(&r).ok_or_else(|| format!("{r} has no value here"))?;
        let ty = clif_type(self.trace.ty(r))?;
        Ok(self.b.ins().load(ty, mutable_flags(), self.exit_buf, (word * 8) as i32))
    }

    /// `exit_buf[word]` = the value of `r` (a bool as a whole word).
    fn store_word(&mut self, r: Ref, mut value: Value, word: usize) {
        if self.trace.ty(r) == Ty::Bool {
            value = self.b.ins().uextend(I64, value);
        }
        self.b.ins().store(mutable_flags(), value, self.exit_buf, (word * 8) as i32);
    }

    fn count_iteration(&mut self) {
        let done = self.b.use_var(self.iterations);
        let done = self.b.ins().iadd_imm_s(done, 1);
        self.b.def_var(self.iterations, done);
    }

    /// The condition a guard tests and its value when the guard leaves: an
    /// exit stores that constant for the condition, so the loop does not
    /// make the bool a comparison branches on (a `setcc` and a second
    /// compare, every turn, for `while i < n` and `if x <= y`). Not under
    /// `deopt_everything`, whose exits also leave where the guard holds.
    fn known_at_exit(&self, guard: Option<Ref>) -> Option<(Ref, bool)> {
        if self.deopt_flags.is_some() {
            return None;
        }
        match *self.trace.inst(guard?) {
            Inst::GuardTrue(c, _) => Some((c, false)),
            Inst::GuardFalse(c, _) => Some((c, true)),
            _ => None,
        }
    }

    /// A new exit for `snap`; its block is filled by `fill_exits`.
    fn new_exit(&mut self, snap: SnapId, guard: Option<Ref>) -> Block {
        let block = self.b.create_block();
        self.b.set_cold_block(block);
        let entries = &self.trace.snap(snap).entries;
        let values = entries.iter().map(|&(slot, r)| (slot, self.trace.ty(r))).collect();
        let n = self.exits.len();
        self.exits.push(ExitInfo { snap, guard, values, parked: Vec::new() });
        let known = self.known_at_exit(guard);
        let mut values = Vec::with_capacity(entries.len());
        for &(slot, r) in entries {
            values.push(match known {
                // Not a local: a shared exit block stores those (see below).
                Some((c, truth)) if c == r && slot.0 >= self.trace.nlocalsplus => {
                    Some(self.b.ins().iconst(I8, truth as i64))
                }
                _ => self.vals[r.index()],
            });
        }
        self.exit_values.push(values);
        let word = |r: Ref| self.block_words.get(&r).or_else(|| self.through.get(&r)).copied();
        self.exit_words.push(entries.iter().map(|&(_, r)| word(r)).collect());
        self.count_in_word.push(self.in_side && self.in_words);
        // A generic instruction stores its snapshot itself, before it runs.
        let generic = guard.is_some_and(|g| matches!(self.trace.inst(g), Inst::Generic(..)));
        let cold_part = if self.header.is_none() { Some(0) } else { self.in_side.then_some(self.sides_seen) };
        match cold_part.filter(|_| !generic && self.share_exits) {
            Some(part) => {
                // The locals, with their places, are what the shared block stores.
                let nlocalsplus = self.trace.nlocalsplus;
                let local = |(k, &(slot, r)): (usize, &(Slot, Ref))| (slot.0 < nlocalsplus).then_some((k, slot, r));
                let locals = entries.iter().enumerate().filter_map(local).collect();
                let shared = match self.shared_exits.entry((part, locals)) {
                    hashbrown::hash_map::Entry::Occupied(o) => *o.get(),
                    hashbrown::hash_map::Entry::Vacant(v) => {
                        let shared = self.b.create_block();
                        self.b.set_cold_block(shared);
                        self.pending_shared.push((shared, n));
                        *v.insert(shared)
                    }
                };
                self.trampolines.push((block, n, shared));
            }
            None => self.pending.push((block, n)),
        }
        block
    }

    /// Store the snapshot's values into `exit_buf` and return the exit number,
    /// all exits through one return block: an epilogue per exit made n-body's
    /// tree 9% larger.
    fn fill_exits(&mut self) -> Result<(), String> {
        let ret = self.b.create_block();
        self.b.set_cold_block(ret);
        let ret_number = self.b.append_block_param(ret, I32);
        for (block, n) in std::mem::take(&mut self.pending) {
            self.b.switch_to_block(block);
            self.exits[n].parked = self.store_exit_values(n, true, |_| true)?;
            let n = self.b.ins().iconst(I32, n as i64);
            self.b.ins().jump(ret, &[BlockArg::Value(n)]);
        }
        // The shared block stores the locals, each exit's own block the rest.
        let nlocalsplus = self.trace.nlocalsplus;
        let mut parked_of = HashMap::new();
        for (block, n) in std::mem::take(&mut self.pending_shared) {
            let number = self.b.append_block_param(block, I32);
            self.b.switch_to_block(block);
            parked_of.insert(block, self.store_exit_values(n, true, |slot| slot.0 < nlocalsplus)?);
            self.b.ins().jump(ret, &[BlockArg::Value(number)]);
        }
        for (block, n, shared) in std::mem::take(&mut self.trampolines) {
            self.b.switch_to_block(block);
            let mut parked = self.store_exit_values(n, false, |slot| slot.0 >= nlocalsplus)?;
            let number = self.b.ins().iconst(I32, n as i64);
            self.b.ins().jump(shared, &[BlockArg::Value(number)]);
            parked.extend(&parked_of[&shared]);
            self.exits[n].parked = parked;
        }
        self.b.switch_to_block(ret);
        self.b.ins().return_(&[ret_number]);
        Ok(())
    }

    /// Store the values of exit `n`'s snapshot for the slots `wanted` into
    /// `exit_buf`, but for the parked ones, which it returns
    /// (`ExitInfo::parked`); and, `with_count`, the iteration count.
    fn store_exit_values(
        &mut self,
        n: usize,
        with_count: bool,
        wanted: impl Fn(Slot) -> bool,
    ) -> Result<Vec<(usize, usize)>, String> {
        if with_count {
            let iterations_word = iterations_word(&self.exits);
            let offset = (self.counter_word() * 8) as i32;
            let done = if self.count_in_word[n] {
                self.b.ins().load(I64, mutable_flags(), self.exit_buf, offset)
            } else {
                self.b.use_var(self.iterations)
            };
            self.b.ins().store(mutable_flags(), done, self.exit_buf, (iterations_word * 8) as i32);
        }
        // A generic instruction's helper reads the whole snapshot, as stored.
        let generic = self.exits[n].guard.is_some_and(|g| matches!(self.trace.inst(g), Inst::Generic(..)));
        let trace = self.trace;
        let mut parked = Vec::new();
        for (k, &(_, r)) in trace.snap(self.exits[n].snap).entries.iter().enumerate().filter(|e| wanted(e.1 .0)) {
            match self.parked.get(&r).copied().or(self.exit_words[n][k]) {
                Some(word) if !generic => parked.push((k, word)),
                _ => {
                    let value = match self.exit_values[n][k] {
                        Some(value) => value,
                        None => self.value_or_parked(r)?,
                    };
                    self.store_word(r, value, k);
                }
            }
        }
        Ok(parked)
    }

    /// `exit_buf[k]` = the value of the snapshot's k-th entry.
    fn store_snapshot(&mut self, snap: SnapId) -> Result<(), String> {
        for (k, &(_, r)) in self.trace.snap(snap).entries.iter().enumerate() {
            self.store_entry(k, r)?;
        }
        Ok(())
    }

    /// `exit_buf[k]` = the value of `r` (F64 values as their bits).
    fn store_entry(&mut self, k: usize, r: Ref) -> Result<(), String> {
        let v = self.value_or_parked(r)?;
        self.store_word(r, v, k);
        Ok(())
    }

    /// A `generic` instruction: the runtime's helper takes the snapshot's values
    /// from `exit_buf` (and the exit number, which names the snapshot), and
    /// returns 0 with its result in `exit_buf[0]`, or nonzero to leave through
    /// `exit` (the runtime then knows why).
    fn generic(&mut self, out: OpOut, snap: SnapId, exit: Block) -> Result<Option<Value>, String> {
        let exit_number = self.exits.len() - 1;
        self.store_snapshot(snap)?;
        let n = self.b.ins().iconst(I32, exit_number as i64);
        let status = self.call(self.abi.generic as usize, &[I64, I32], I32, &[self.exit_buf, n]);
        self.exit_if(status, exit);
        Ok(match out {
            OpOut::Obj => Some(self.b.ins().load(I64, mutable_flags(), self.exit_buf, 0)),
            OpOut::Truth => Some(self.b.ins().load(I8, mutable_flags(), self.exit_buf, 0)),
            OpOut::Nothing => None,
        })
    }

    /// Leave through `exit` if `cond` is nonzero, else continue in a new block.
    fn exit_if(&mut self, cond: Value, exit: Block) {
        let cont = self.b.create_block();
        self.b.ins().brif(cond, exit, &[], cont, &[]);
        self.b.switch_to_block(cont);
    }

    fn exit_unless(&mut self, cond: Value, exit: Block) {
        let cont = self.b.create_block();
        self.b.ins().brif(cond, cont, &[], exit, &[]);
        self.b.switch_to_block(cont);
    }

    /// Exit on a zero divisor; `==` is ordered, so NaN does not exit, and it
    /// matches both +0.0 and -0.0.
    fn exit_if_zero_float(&mut self, b: Value, exit: Block) {
        let zero = self.b.ins().f64const(0.0);
        let is_zero = self.b.ins().fcmp(FloatCC::Equal, b, zero);
        self.exit_if(is_zero, exit);
    }

    /// Python's `a // b`: truncating division, then one step down when the
    /// remainder is nonzero and the operands' signs differ.
    fn floordiv(&mut self, a: Value, b: Value, exit: Block) -> Value {
        let zero = self.b.ins().icmp_imm_s(IntCC::Equal, b, 0);
        let a_min = self.b.ins().icmp_imm_s(IntCC::Equal, a, i64::MIN);
        let b_m1 = self.b.ins().icmp_imm_s(IntCC::Equal, b, -1);
        let overflow = self.b.ins().band(a_min, b_m1);
        let bad = self.b.ins().bor(zero, overflow);
        self.exit_if(bad, exit);
        let q = self.b.ins().sdiv(a, b);
        let qb = self.b.ins().imul(q, b);
        let r = self.b.ins().isub(a, qb);
        let adjust = self.needs_sign_fix(r, b);
        let adjust = self.b.ins().uextend(I64, adjust);
        self.b.ins().isub(q, adjust)
    }

    /// Python's `a % b`: the remainder takes the divisor's sign. Cranelift's
    /// `srem` defines `MIN % -1` as 0, so only a zero divisor exits.
    fn modulo(&mut self, a: Value, b: Value, exit: Block) -> Value {
        let zero = self.b.ins().icmp_imm_s(IntCC::Equal, b, 0);
        self.exit_if(zero, exit);
        let r = self.b.ins().srem(a, b);
        let adjust = self.needs_sign_fix(r, b);
        let fixed = self.b.ins().iadd(r, b);
        self.b.ins().select(adjust, fixed, r)
    }

    /// The value of `r` if it is a constant above zero: a divisor that can
    /// be neither zero nor -1, and whose sign is known.
    fn positive_constant(&self, r: Ref) -> Option<i64> {
        match *self.trace.inst(r) {
            Inst::ConstI64(k) if k > 0 => Some(k),
            _ => None,
        }
    }

    /// `a // k` for `b`, a constant `k > 0`: an arithmetic shift for a power of
    /// two (which rounds down, as Python does); otherwise the truncating
    /// quotient (a multiplication, for Cranelift) less one where the
    /// remainder is negative. (`k > 0`: no exit, and a nonzero remainder has
    /// the divisor's sign exactly when it is positive.)
    fn floordiv_by(&mut self, a: Value, b: Value, k: i64) -> Value {
        if k.count_ones() == 1 {
            return self.b.ins().sshr_imm_u(a, i64::from(k.trailing_zeros()));
        }
        let q = self.b.ins().sdiv(a, b);
        let qk = self.b.ins().imul(q, b);
        let r = self.b.ins().isub(a, qk);
        let negative = self.b.ins().icmp_imm_s(IntCC::SignedLessThan, r, 0);
        let adjust = self.b.ins().uextend(I64, negative);
        self.b.ins().isub(q, adjust)
    }

    /// `a % k` for `b`, a constant `k > 0`: a mask for a power of two (two's
    /// complement makes it Python's remainder), otherwise the truncating
    /// remainder plus `k` where it is negative (see `floordiv_by`).
    fn modulo_by(&mut self, a: Value, b: Value, k: i64) -> Value {
        if k.count_ones() == 1 {
            return self.b.ins().band_imm_s(a, k - 1);
        }
        let r = self.b.ins().srem(a, b);
        let negative = self.b.ins().icmp_imm_s(IntCC::SignedLessThan, r, 0);
        let fixed = self.b.ins().iadd(r, b);
        self.b.ins().select(negative, fixed, r)
    }

    /// `r != 0 and (r < 0) != (b < 0)`, as a bool.
    fn needs_sign_fix(&mut self, r: Value, b: Value) -> Value {
        let nonzero = self.b.ins().icmp_imm_s(IntCC::NotEqual, r, 0);
        let signs = self.b.ins().bxor(r, b);
        let differ = self.b.ins().icmp_imm_s(IntCC::SignedLessThan, signs, 0);
        self.b.ins().band(nonzero, differ)
    }

    /// `a << b`: exits on a negative count and whenever bits would be lost
    /// (Python's result would not fit in an i64); `0 << b` is 0 for any `b >= 0`.
    fn shl(&mut self, a: Value, b: Value, exit: Block) -> Value {
        let neg = self.b.ins().icmp_imm_s(IntCC::SignedLessThan, b, 0);
        let a_zero = self.b.ins().icmp_imm_s(IntCC::Equal, a, 0);
        let small = self.b.ins().icmp_imm_s(IntCC::UnsignedLessThan, b, 64);
        // Cranelift masks shift counts to 0..63; `small` covers the rest.
        let shifted = self.b.ins().ishl(a, b);
        let back = self.b.ins().sshr(shifted, b);
        let exact = self.b.ins().icmp(IntCC::Equal, back, a);
        let fits = self.b.ins().band(small, exact);
        let ok = self.b.ins().bor(fits, a_zero);
        let lost = self.b.ins().bxor_imm_s(ok, 1);
        let bad = self.b.ins().bor(neg, lost);
        self.exit_if(bad, exit);
        shifted
    }

    fn scratch_slot(&mut self) -> StackSlot {
        if let Some(slot) = self.scratch {
            return slot;
        }
        let slot = self.b.create_sized_stack_slot(StackSlotData::new(StackSlotKind::ExplicitSlot, 16, 3));
        self.scratch = Some(slot);
        slot
    }

    /// Call the C function at `helper`, which returns nothing, through a
    /// trampoline that keeps every register (see `preserving`).
    fn call_preserving(&mut self, helper: usize, params: &[Type], args: &[Value]) -> Result<(), String> {
        let trampoline = super::preserving::trampoline(helper, params)?;
        let mut sig = Signature::new(CallConv::PreserveAll);
        sig.params.extend(params.iter().map(|&t| AbiParam::new(t)));
        let sig = self.b.import_signature(sig);
        let callee = self.b.ins().iconst(I64, trampoline as i64);
        self.b.ins().call_indirect(sig, callee, args);
        Ok(())
    }

    /// Call the C function at `addr`; returns its result.
    fn call(&mut self, addr: usize, params: &[Type], ret: Type, args: &[Value]) -> Value {
        let mut sig = Signature::new(self.call_conv);
        sig.params.extend(params.iter().map(|&t| AbiParam::new(t)));
        sig.returns.push(AbiParam::new(ret));
        let sig = self.b.import_signature(sig);
        let callee = self.b.ins().iconst(I64, addr as i64);
        let call = self.b.ins().call_indirect(sig, callee, args);
        self.b.inst_results(call)[0]
    }

    /// CPython 3.12's Py_DECREF, inline but for the last reference: an
    /// immortal object (its count's low 32 bits negative as an i32) is left
    /// alone, a count above 1 goes down by one, and the last reference goes
    /// to the runtime's `release`, which frees the object.
    /// `emit`, skipped at run time when `test` and `obj` is NULL.
    fn unless_null(&mut self, test: bool, obj: Value, emit: impl FnOnce(&mut Self)) {
        if !test {
            return emit(self);
        }
        let (object, done) = (self.b.create_block(), self.b.create_block());
        self.b.ins().brif(obj, object, &[], done, &[]);
        self.b.switch_to_block(object);
        emit(self);
        self.b.ins().jump(done, &[]);
        self.b.switch_to_block(done);
    }

    fn release(&mut self, obj: Value) {
        let count = self.b.ins().load(I64, mutable_flags(), obj, 0);
        let last = self.b.ins().icmp_imm_s(IntCC::Equal, count, 1);
        let [shared, freeing, done] = [(); 3].map(|()| self.b.create_block());
        self.b.ins().brif(last, freeing, &[], shared, &[]);
        self.b.switch_to_block(shared);
        self.decref_held(obj, count);
        self.b.ins().jump(done, &[]);
        self.b.switch_to_block(freeing);
        self.b.set_cold_block(freeing);
        self.call(self.abi.release as usize, &[I64], I8, &[obj]);
        self.b.ins().jump(done, &[]);
        self.b.switch_to_block(done);
    }

    /// CPython 3.12's `Py_INCREF`: the low 32 bits count; an immortal
    /// object's count would wrap to 0 and is left alone.
    fn incref(&mut self, obj: Value) {
        let count = self.b.ins().load(I32, mutable_flags(), obj, 0);
        let more = self.b.ins().iadd_imm_s(count, 1);
        let wraps = self.b.ins().icmp_imm_s(IntCC::Equal, more, 0);
        let stored = self.b.ins().select(wraps, count, more);
        self.b.ins().store(mutable_flags(), stored, obj, 0);
    }

    /// `Py_DECREF` of an object whose count, `count`, is not 1: it goes down,
    /// but for an immortal object's (negative in its low 32 bits).
    fn decref_held(&mut self, obj: Value, count: Value) {
        let low = self.b.ins().ireduce(I32, count);
        let immortal = self.b.ins().icmp_imm_s(IntCC::SignedLessThan, low, 0);
        let less = self.b.ins().iadd_imm_s(count, -1);
        let stored = self.b.ins().select(immortal, count, less);
        self.b.ins().store(mutable_flags(), stored, obj, 0);
    }

    /// In `Abi::deopt_everything` mode: the first time compiled code reaches
    /// the guard `r`, take its exit (or its side block) as if it failed.
    fn fail_once(&mut self, r: Ref, exit: Block) {
        let Some(flags) = self.deopt_flags else { return };
        let flag = self.b.ins().iconst(I64, flags as i64 + r.index() as i64);
        let failed = self.b.ins().load(I8, mutable_flags(), flag, 0);
        let (first, cont) = (self.b.create_block(), self.b.create_block());
        self.b.ins().brif(failed, cont, &[], first, &[]);
        self.b.switch_to_block(first);
        self.b.set_cold_block(first);
        let one = self.b.ins().iconst(I8, 1);
        self.b.ins().store(mutable_flags(), one, flag, 0);
        self.b.ins().jump(exit, &[]);
        self.b.switch_to_block(cont);
    }

    /// Call a helper that makes an object; exit when it returns NULL.
    fn call_made(&mut self, addr: usize, params: &[Type], args: &[Value], exit: Block) -> Value {
        let made = self.call(addr, params, I64, args);
        self.exit_unless(made, exit);
        made
    }

    /// A dict key as the helpers take it: its bits, and 1 for an unboxed int.
    fn dict_key(&mut self, key: Ref) -> Result<(Value, Value), String> {
        let v = self.val(key)?;
        let is_int = match self.trace.ty(key) {
            Ty::I64 => 1,
            Ty::Obj => 0,
            other => return Err(format!("a dict key of type {other:?}")),
        };
        Ok((v, self.b.ins().iconst(I64, is_int)))
    }

    fn dict_get(&mut self, dict: Value, key: Ref, exit: Block) -> Result<Value, String> {
        let (key, is_int) = self.dict_key(key)?;
        let f = self.abi.dict_get as usize;
        Ok(self.call_with_out(f, &[I64, I64, I64], I64, &[dict, key, is_int], exit))
    }

    fn dict_set(&mut self, dict: Value, key: Ref, value: Ref, exit: Block) -> Result<Option<Value>, String> {
        let (key, key_is_int) = self.dict_key(key)?;
        let (kind, v) = self.value_word(value)?;
        let kind = self.b.ins().iconst(I64, kind as i64);
        let ok =
            self.call(self.abi.dict_set as usize, &[I64, I64, I64, I64, I64], I8, &[dict, key, key_is_int, v, kind]);
        self.exit_unless(ok, exit);
        Ok(None)
    }

    /// A value as one word for the helpers that take any value: its kind
    /// (0 an object, a bool as its object; 1 an i64; 2 the bits of an f64) and
    /// the word.
    fn value_word(&mut self, value: Ref) -> Result<(usize, Value), String> {
        let (kind, _, v) = self.by_value_type(value, [0, 1, 2])?;
        let v = if self.trace.ty(value) == Ty::F64 { self.b.ins().bitcast(I64, MemFlagsData::new(), v) } else { v };
        Ok((kind, v))
    }

    /// `list.append(value)` through the runtime's helper for the value's type.
    fn list_append(&mut self, list: Value, value: Ref, exit: Block) -> Result<Option<Value>, String> {
        let helpers =
            [self.abi.list_append_obj as usize, self.abi.list_append_int as usize, self.abi.list_append_float as usize];
        let (helper, ty, v) = self.by_value_type(value, helpers)?;
        let ok = self.call(helper, &[I64, ty], I8, &[list, v]);
        self.exit_unless(ok, exit);
        Ok(None)
    }

    /// The helper (of those for an object, an int and a float) that takes
    /// `value`, its argument type, and the argument (a bool as its object).
    fn by_value_type(&mut self, value: Ref, [obj, int, float]: [usize; 3]) -> Result<(usize, Type, Value), String> {
        let v = self.val(value)?;
        Ok(match self.trace.ty(value) {
            Ty::I64 => (int, I64, v),
            Ty::F64 => (float, F64, v),
            Ty::Obj => (obj, I64, v),
            Ty::Bool => {
                let (t, f) = (self.abi.true_obj as i64, self.abi.false_obj as i64);
                let (t, f) = (self.b.ins().iconst(I64, t), self.b.ins().iconst(I64, f));
                (obj, I64, self.b.ins().select(v, t, f))
            }
            Ty::Void => return Err("a store of no value".into()),
        })
    }

    /// Up to three values as a helper takes them (see `abi::CallMethod`): their
    /// count, their kinds packed two bits each, and three words (unused ones 0).
    fn argument_words(&mut self, args: Operands) -> Result<[Value; 5], String> {
        let mut words = [0; 3].map(|w| self.b.ins().iconst(I64, w));
        let mut kinds = 0;
        for (k, &arg) in args.as_slice().iter().enumerate() {
            let (kind, word) = self.value_word(arg)?;
            kinds |= (kind as i64) << (2 * k);
            words[k] = word;
        }
        let [count, kinds] = [args.as_slice().len() as i64, kinds].map(|c| self.b.ins().iconst(I64, c));
        Ok([count, kinds, words[0], words[1], words[2]])
    }

    /// `Inst::CallMethod`: the arguments go to the helper as words, each with
    /// its kind (see `value_word`).
    fn call_method(&mut self, method: MethodId, args: Operands, exit: Block) -> Result<Value, String> {
        if method.method().function && method.method().name == "ord" {
            // The character's code point, read in place (no call through `ord`).
            let s = self.val(args.as_slice()[0])?;
            return Ok(self.call_with_out(self.abi.str_ord as usize, &[I64], I64, &[s], exit));
        }
        let callable = *self.abi.methods.get(method.0 as usize).ok_or("a method the runtime did not look up")?;
        let result_kind = match method.method().result {
            MethodResult::Object(_) | MethodResult::AnyObject => 0,
            MethodResult::Int => 1,
            MethodResult::Bool => 2,
            MethodResult::Nothing => 3,
        };
        let values: Vec<Value> = [callable as i64, result_kind]
            .map(|c| self.b.ins().iconst(I64, c))
            .into_iter()
            .chain(self.argument_words(args)?)
            .collect();
        let helper = if method.method().numbers_only { self.abi.call_method_on_numbers } else { self.abi.call_method };
        let out = self.call_with_out(helper as usize, &[I64; 7], I64, &values, exit);
        Ok(match method.method().result {
            MethodResult::Bool => self.b.ins().icmp_imm_s(IntCC::NotEqual, out, 0),
            _ => out,
        })
    }

    /// Call a helper that returns its result through a pointer and an ok flag;
    /// leave through `exit` when the flag is 0.
    fn call_with_out(&mut self, addr: usize, params: &[Type], out_ty: Type, args: &[Value], exit: Block) -> Value {
        let slot = self.scratch_slot();
        let out = self.b.ins().stack_addr(I64, slot, 0);
        let params: Vec<Type> = params.iter().copied().chain([I64]).collect();
        let args: Vec<Value> = args.iter().copied().chain([out]).collect();
        let ok = self.call(addr, &params, I8, &args);
        self.exit_unless(ok, exit);
        self.b.ins().load(out_ty, mutable_flags(), out, 0)
    }
}
