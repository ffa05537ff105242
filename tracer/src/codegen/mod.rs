//! The code generator: turns an optimized `Trace` into native code with Cranelift.
//!
//! The compiled function has the signature of [`TraceFn`]. It runs the pre-roll
//! once, then loops over the body until some exit is taken; it never returns any
//! other way. Each exit stores the values its snapshot lists into `exit_buf` and
//! returns its exit number, an index into [`CompiledTrace::exits`], so that the
//! caller can rebuild the frame (box the values, write the slots, set the pc).
//!
//! Exit numbers follow instruction order: every instruction with a snapshot gets
//! one, and the loop-top eval-breaker check gets one at the position of the `loop`
//! marker (after the pre-roll's exits, before the body's).
//!
//! `lower.rs` builds the Cranelift IR, `runtime.rs` holds the Rust helpers the code
//! calls for the operations too bulky to inline (powers, float floor division and
//! modulo), and this file checks the trace and drives Cranelift.

mod lower;
mod preserving;
pub mod runtime;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_arith;
#[cfg(test)]
mod tests_shape;

use std::sync::OnceLock;

use cranelift_codegen::ir::{types, AbiParam, UserFuncName};
use cranelift_codegen::isa::OwnedTargetIsa;
use cranelift_codegen::settings::{self, Configurable};
use cranelift_frontend::FunctionBuilderContext;
use cranelift_jit::{JITBuilder, JITModule};
use cranelift_module::{default_libcall_names, Linkage, Module};

use crate::abi::Abi;
use crate::ir::{Inst, Ref, Slot, SnapId, Trace, Ty};

/// The compiled trace: `localsplus` is the frame's `localsplus` array,
/// `exit_buf` has room for `CompiledTrace::exit_buf_len` words and
/// `eval_breaker` points at the interpreter's eval-breaker word. Returns the
/// number of the exit taken.
pub type TraceFn = unsafe extern "C" fn(localsplus: *mut *mut u8, exit_buf: *mut u64, eval_breaker: *const i32) -> u32;

/// One way out of a compiled trace.
#[derive(Clone, Debug, PartialEq)]
pub struct ExitInfo {
    pub snap: SnapId,
    /// The instruction that exits; `None` for the loop-top eval-breaker exit.
    pub guard: Option<Ref>,
    /// `exit_buf[k]` holds the value of frame slot `values[k].0`, of type
    /// `values[k].1`: I64 as is, F64 as its bits, Bool as 0/1, Obj as the pointer
    /// (NULL as 0)...
    pub values: Vec<(Slot, Ty)>,
    /// ...except the values `(k, word)` listed here: `exit_buf[word]` holds
    /// value k (a loop-carried value the loop body leaves alone, kept there:
    /// see `lower::Lowerer::parked`). `CompiledTrace::gather` moves them.
    pub parked: Vec<(usize, usize)>,
}

/// Machine code for one trace. Owns its memory: dropping it frees the code, so
/// the caller must not run `entry()` afterwards.
pub struct CompiledTrace {
    pub exits: Vec<ExitInfo>,
    /// Words the caller must provide at `exit_buf` (the largest snapshot, and
    /// the iteration count).
    pub exit_buf_len: usize,
    /// `exit_buf[iterations_word]`: the loop iterations completed in compiled
    /// code before the exit.
    pub iterations_word: usize,
    /// The machine code as text, when asked for.
    pub disasm: Option<String>,
    /// Bytes of machine code (including constants).
    pub code_size: usize,
    entry: TraceFn,
    /// One module per trace so that its memory can be freed with the trace.
    module: Option<JITModule>,
    /// Per instruction, whether its guard has been failed on purpose yet
    /// (`Abi::deopt_everything`; empty otherwise). Compiled code writes it.
    _deopt_flags: Box<[u8]>,
    /// Float constants the code loads (see `lower::Lowerer::side_floats`).
    _side_floats: Box<[u64]>,
}

impl CompiledTrace {
    pub fn entry(&self) -> TraceFn {
        self.entry
    }

    /// After the code left through `exit`, put every value of the exit at
    /// its place `k` in `exit_buf` (see `ExitInfo::parked`).
    pub fn gather(&self, exit: usize, exit_buf: &mut [u64]) {
        for &(k, word) in &self.exits[exit].parked {
            exit_buf[k] = exit_buf[word];
        }
    }
}

impl Drop for CompiledTrace {
    fn drop(&mut self) {
        if let Some(module) = self.module.take() {
            // SAFETY: the code lives only as long as this value; callers hold no
            // pointer into it past the drop (documented on the type).
            unsafe { module.free_memory() };
        }
    }
}

impl std::fmt::Debug for CompiledTrace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CompiledTrace")
            .field("exits", &self.exits)
            .field("exit_buf_len", &self.exit_buf_len)
            .field("code_size", &self.code_size)
            .finish_non_exhaustive()
    }
}

/// Compile `trace` for the host. Fails (without panicking) on a trace that is not
/// well formed or has no `loop` marker.
pub fn compile(trace: &Trace, abi: &Abi, want_disasm: bool) -> Result<CompiledTrace, String> {
    compile_named(trace, abi, want_disasm, "hotloop::trace")
}

/// `compile`, naming the function `name`: the name Cranelift gives it in
/// perf's map when perf runs the program (`PERF_BUILDID_DIR` set).
pub fn compile_named(trace: &Trace, abi: &Abi, want_disasm: bool, name: &str) -> Result<CompiledTrace, String> {
    trace.verify()?;
    check(trace)?;
    let isa = host_isa()?;
    if isa.pointer_type() != types::I64 {
        return Err("hotloop needs a 64-bit target".into());
    }
    let mut module = JITModule::new(JITBuilder::with_isa(isa, default_libcall_names()));
    let mut deopt_flags = vec![0u8; if abi.deopt_everything { trace.insts.len() } else { 0 }].into_boxed_slice();
    let flags = abi.deopt_everything.then_some(deopt_flags.as_mut_ptr());
    let result = define(&mut module, trace, abi, want_disasm, flags, name);
    match result {
        Ok((id, (exits, words, side_floats), disasm, code_size)) => {
            let entry_ptr = module.get_finalized_function(id);
            // SAFETY: the function was built with exactly `TraceFn`'s signature
            // (three pointers in, an i32 out, the host's C calling convention).
            let entry: TraceFn = unsafe { std::mem::transmute::<*const u8, TraceFn>(entry_ptr) };
            let iterations_word = lower::iterations_word(&exits);
            let exit_buf_len = words;
            Ok(CompiledTrace {
                exits,
                exit_buf_len,
                iterations_word,
                disasm,
                code_size,
                entry,
                module: Some(module),
                _deopt_flags: deopt_flags,
                _side_floats: side_floats,
            })
        }
        Err(e) => {
            // SAFETY: nothing from this module was handed out.
            unsafe { module.free_memory() };
            Err(e)
        }
    }
}

type Defined = (cranelift_module::FuncId, lower::Lowered, Option<String>, usize);

fn define(
    module: &mut JITModule,
    trace: &Trace,
    abi: &Abi,
    want_disasm: bool,
    deopt_flags: Option<*mut u8>,
    name: &str,
) -> Result<Defined, String> {
    let mut ctx = module.make_context();
    ctx.set_disasm(want_disasm);
    let ptr = types::I64;
    ctx.func.signature.params.extend([AbiParam::new(ptr), AbiParam::new(ptr), AbiParam::new(ptr)]);
    ctx.func.signature.returns.push(AbiParam::new(types::I32));
    let id = module.declare_function(name, Linkage::Local, &ctx.func.signature).map_err(|e| e.to_string())?;
    ctx.func.name = UserFuncName::user(0, id.as_u32());
    let call_conv = module.isa().default_call_conv();
    let mut fctx = FunctionBuilderContext::new();
    let target = module.target_config();
    let exits = lower::lower(&mut ctx.func, &mut fctx, trace, abi, call_conv, target, deopt_flags)?;
    module.define_function(id, &mut ctx).map_err(|e| format!("cranelift: {e:?}"))?;
    let compiled = ctx.compiled_code().ok_or("cranelift produced no code")?;
    let disasm = if want_disasm { compiled.vcode.clone() } else { None };
    let code_size = compiled.code_info().total_size as usize;
    module.finalize_definitions().map_err(|e| e.to_string())?;
    Ok((id, exits, disasm, code_size))
}

/// Compile a small counting loop and throw it away, so that the first trace a
/// program records does not wait for what the first compilation does once:
/// building the host ISA, and the first touches of Cranelift's code and
/// tables (about half a millisecond, as much as compiling a small trace).
/// `hotloop.enable` runs it on a thread of its own, while the program goes on
/// to its hot loops.
pub fn warm_up(abi: &Abi) -> Result<(), String> {
    const LOOP: &str = "
        trace header=0 depth=0 nlocalsplus=2
        %0 obj load_slot s0
        %1     guard_type %0 int #0
        %2 i64 unbox_int %0 #0
        %3 f64 itof %2
        %4 i64 const 1
        %5 ---- loop ----
        %6 i64 phi %2 %8
        %7 f64 phi %3 %9
        %8 i64 add_ov %6 %4 #1
        %9 f64 itof %8
        #0 pc=0 depth=0 []
        #1 pc=0 depth=0 [s0=%6 s1=%7]
        #2 pc=0 depth=0 [s0=%6 s1=%7] loop";
    let trace = crate::ir::parse_trace(LOOP)?;
    // Kept, never freed: under `perf`, Cranelift names the function in perf's
    // map, and a trace compiled later into the same memory would be reported
    // as the warm-up (the map keeps its first name for an address).
    compile_named(&trace, abi, false, "hotloop::warm-up").map(std::mem::forget)
}

/// The host ISA, built once: detecting CPU features and building the flags is
/// the same work for every trace.
fn host_isa() -> Result<OwnedTargetIsa, String> {
    static ISA: OnceLock<Result<OwnedTargetIsa, String>> = OnceLock::new();
    ISA.get_or_init(|| {
        let mut flags = settings::builder();
        let set = |flags: &mut settings::Builder, k: &str, v: &str| flags.set(k, v).map_err(|e| format!("{k}: {e}"));
        set(&mut flags, "opt_level", "speed")?;
        // cranelift-jit requires these two.
        set(&mut flags, "use_colocated_libcalls", "false")?;
        set(&mut flags, "is_pic", "false")?;
        // Nothing registers or uses unwind tables for trace code; frame pointers
        // let profilers and debuggers walk through it anyway.
        set(&mut flags, "unwind_info", "false")?;
        set(&mut flags, "preserve_frame_pointers", "true")?;
        // Our own checks (`check`) catch malformed traces; Cranelift's verifier
        // is for catching bugs in this module, so it runs in debug builds only.
        set(&mut flags, "enable_verifier", if cfg!(debug_assertions) { "true" } else { "false" })?;
        let isa = cranelift_native::builder().map_err(|e| format!("host not supported: {e}"))?;
        isa.finish(settings::Flags::new(flags)).map_err(|e| e.to_string())
    })
    .clone()
}

/// What `Trace::verify` does not check but code generation relies on: a loop
/// with its phis right after the marker, a loop snapshot, operand types, and
/// snapshots that only hold values available where they are taken.
fn check(trace: &Trace) -> Result<(), String> {
    let loop_at = trace.loop_ref().ok_or("trace has no loop")?;
    let loop_snap = trace.loop_snap.ok_or("trace has no loop snapshot")?;
    if loop_snap.index() >= trace.snaps.len() {
        return Err(format!("unknown loop snapshot {loop_snap}"));
    }
    let body_start = (loop_at.index() + 1..trace.insts.len())
        .find(|&i| !matches!(trace.insts[i], Inst::Phi(..)))
        .unwrap_or(trace.insts.len());
    for (i, inst) in trace.insts.iter().enumerate() {
        let r = Ref(i as u32);
        if matches!(inst, Inst::Loop) && r != loop_at {
            return Err(format!("{r}: second loop marker"));
        }
        if matches!(inst, Inst::Phi(..)) && i >= body_start {
            return Err(format!("{r}: phi not at the top of the loop body"));
        }
        if let Inst::SideBack(phi, v) = *inst {
            if trace.ty(phi) != trace.ty(v) {
                return Err(format!("{r}: side_back value {v} does not have the type of {phi}"));
            }
        }
        let want = operand_types(inst);
        for (k, &a) in inst.operands().as_slice().iter().enumerate() {
            let (got, want) = (trace.ty(a), want.get(k).copied().unwrap_or(Ty::Void));
            if want != Ty::Void && got != want {
                return Err(format!("{r}: operand {a} is {got:?}, expected {want:?}"));
            }
        }
        if let Some(s) = inst.snap() {
            // Every stack slot the loop pushed must be written back at this exit,
            // or the interpreter would resume with holes in its stack.
            let snap = trace.snap(s);
            let pushed = trace.nlocalsplus + trace.header_depth..trace.nlocalsplus + snap.depth;
            if let Some(missing) = pushed.clone().find(|&slot| !snap.entries.iter().any(|e| e.0 .0 == slot)) {
                return Err(format!("{r}: snapshot {s} misses stack slot s{missing}"));
            }
            for &(slot, v) in &snap.entries {
                if v >= r {
                    return Err(format!("{r}: snapshot {s} holds {slot}={v}, not yet defined"));
                }
                if slot.shadowed().is_some() && trace.ty(v) != Ty::Obj {
                    return Err(format!("{r}: snapshot {s} holds an identity {slot}={v} that is no object"));
                }
            }
        }
    }
    for &(slot, v) in &trace.snap(loop_snap).entries {
        if v.index() >= body_start || v == loop_at || trace.ty(v) == Ty::Void {
            return Err(format!("loop snapshot holds {slot}={v}, not available at the loop top"));
        }
    }
    Ok(())
}

/// The types each operand must have (`Void`: any, checked elsewhere).
fn operand_types(inst: &Inst) -> [Ty; 2] {
    use Inst::*;
    use Ty::*;
    match inst {
        GuardType(..) | GuardNotNull(..) | UnboxInt(..) | UnboxFloat(_) | UnboxBool(_) | ObjIs(..) => [Obj, Obj],
        // The base may be an object or an address loaded from one (`seqiter.seq`).
        LoadField(..) => [Void, Void],
        LoadElem(..) => [Void, I64],
        StoreElem(..) => [Void, I64],
        DictGet(..) | DictSet(..) | Contains(..) | SetAdd(..) => [Obj, Void],
        StrChar(..) | StrCharNew(..) => [Obj, I64],
        StrConcat(..) | StrAppend(..) | StrContains(..) | StrCmp(..) => [Obj, Obj],
        Slice(..) => [Obj, I64],
        IntToStr(..) => [I64, I64],
        // A method's receiver is an object; a function's argument (`chr(i)`)
        // may be unboxed.
        CallMethod(m, ..) if m.method().function => [Void, Void],
        CallMethod(..) => [Obj, Void],
        BuildSeq(..) => [Void, Void],
        RefillResult(..) => [Obj, Void],
        Release(_) | NewRef(_) | GenericBelow(_) => [Obj, Obj],
        Fresh(_) => [Void, Void],
        DictIterNext(..) => [Obj, Void],
        ReleaseSlot(..) | ForIterEnd(..) | GetIter(..) => [Void, Void],
        Select(..) => [Bool, Void],
        ListAppend(..) => [Obj, Void],
        StoreField(..) => [Obj, I64],
        GuardTrue(..) | GuardFalse(..) | BoolToI(_) | BNot(_) => [Bool, Bool],
        IAddOv(..) | ISubOv(..) | IMulOv(..) | INegOv(..) | IFloorDiv(..) | IMod(..) | IPow(..) | IShl(..)
        | IShr(..) | IAnd(..) | IOr(..) | IXor(..) | IAdd(..) | ISub(..) | IInvert(_) | ICmp(..) | IToF(_)
        | IToFExact(..) | ITruth(_) | IModKeeps(..) | IShrKeeps(..) => [I64, I64],
        FAdd(..) | FSub(..) | FMul(..) | FDiv(..) | FFloorDiv(..) | FMod(..) | FPow(..) | FNeg(_) | FCmp(..)
        | FTruth(_) => [F64, F64],
        ConstI64(_) | ConstF64(_) | ConstBool(_) | ConstObj(_) | Null | LoadSlot(_) | Loop | Phi(..) | Side(_)
        | SideBack(..) | Reenter(_) | Generic(..) => [Void, Void],
        LoadName(..) => [Obj, Void],
        IAbsOv(..) | IMin(..) | IMax(..) => [I64, I64],
        FAbs(_) | FMin(..) | FMax(..) | FMath(..) | FToI(..) => [F64, F64],
    }
}
