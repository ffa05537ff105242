//! Calls that clobber no register, for the cold paths of trace code.
//!
//! A call under the host's C convention clobbers every float register and
//! most integer ones, so the register allocator keeps whatever is live across
//! it in stack slots: not only on the cold path that calls, but often around
//! the loop as well (regalloc2 splits a value's range where it must, and the
//! spill and reload then land on the hot path). A call to a trampoline under
//! Cranelift's `preserve_all` convention clobbers nothing at the call site;
//! the trampoline saves and restores what the C call inside it clobbers,
//! which costs that call a few dozen loads and stores.
//!
//! `preserve_all` allows no return values: the helpers behind trampolines
//! write their results through a pointer argument instead.
//!
//! One trampoline per helper, compiled once per process and never freed
//! (trace code of any thread may still call it).
//!
//! Rejected: calling the helpers directly (the spill traffic above);
//! inlining their work (Mandelbrot's tree compiled 25% slower with the
//! inline unboxing of ints of two and three digits than with none).

use std::sync::{Mutex, OnceLock};

use cranelift_codegen::ir::{types, AbiParam, InstBuilder, Signature, Type, UserFuncName};
use cranelift_codegen::isa::CallConv;
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};
use cranelift_jit::{JITBuilder, JITModule};
use cranelift_module::{default_libcall_names, Linkage, Module};

/// The address of a trampoline that takes `params` under `preserve_all` and
/// calls the C function at `helper` with them.
pub(super) fn trampoline(helper: usize, params: &[Type]) -> Result<usize, String> {
    static MADE: OnceLock<Mutex<Vec<(usize, usize)>>> = OnceLock::new();
    let made = MADE.get_or_init(|| Mutex::new(Vec::new()));
    let mut made = made.lock().map_err(|_| "trampoline table poisoned")?;
    if let Some(&(_, address)) = made.iter().find(|(h, _)| *h == helper) {
        return Ok(address);
    }
    let address = compile(helper, params)?;
    made.push((helper, address));
    Ok(address)
}

fn compile(helper: usize, params: &[Type]) -> Result<usize, String> {
    let isa = super::host_isa()?;
    let c_call_conv = isa.default_call_conv();
    let mut module = JITModule::new(JITBuilder::with_isa(isa, default_libcall_names()));
    let target = module.target_config();
    let mut ctx = module.make_context();
    let abi_params = params.iter().map(|&t| AbiParam::new(t));
    ctx.func.signature = Signature::new(CallConv::PreserveAll);
    ctx.func.signature.params.extend(abi_params.clone());
    let id = module
        .declare_function("hotloop::preserving", Linkage::Local, &ctx.func.signature)
        .map_err(|e| e.to_string())?;
    ctx.func.name = UserFuncName::user(0, id.as_u32());
    let mut fctx = FunctionBuilderContext::new();
    let mut b = FunctionBuilder::new(&mut ctx.func, &mut fctx);
    let entry = b.create_block();
    b.append_block_params_for_function_params(entry);
    b.switch_to_block(entry);
    let args = b.block_params(entry).to_vec();
    let mut c_signature = Signature::new(c_call_conv);
    c_signature.params.extend(abi_params);
    let c_signature = b.import_signature(c_signature);
    let callee = b.ins().iconst(types::I64, helper as i64);
    b.ins().call_indirect(c_signature, callee, &args);
    b.ins().return_(&[]);
    b.seal_all_blocks();
    b.finalize(target);
    module.define_function(id, &mut ctx).map_err(|e| format!("cranelift: {e:?}"))?;
    module.finalize_definitions().map_err(|e| e.to_string())?;
    let address = module.get_finalized_function(id) as usize;
    // Never freed: compiled traces keep calling it (see the module comment).
    std::mem::forget(module);
    Ok(address)
}
