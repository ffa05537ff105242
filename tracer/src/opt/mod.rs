//! The optimization pipeline. Each pass lives in its own file, which opens with
//! its rationale; `fold` runs on the fly while recording and peeling.

pub mod bounds;
pub mod bridge;
pub mod dce;
pub mod fold;
pub mod identity;
pub mod memory;
pub mod own;
pub mod peel;
pub mod phi_types;

use crate::ir::Trace;
use crate::record::{AbortReason, Recording};

/// Turn a recorded iteration into the loop that is compiled.
pub fn optimize(recording: &Recording) -> Result<Trace, AbortReason> {
    finish(&loop_tree(recording, &memory::Written::default())?)
}

/// The peeled loop that bridges attach to: every unboxed phi still has its
/// companion, since a bridge may give it a known object. `bridges_write`:
/// what the bridges that will attach write.
pub fn loop_tree(recording: &Recording, bridges_write: &memory::Written) -> Result<Trace, AbortReason> {
    let looped = peel::peel(recording, bridges_write)?;
    let trace = dce::dce(&looped);
    debug_assert_eq!(trace.verify(), Ok(()), "\n{trace}");
    Ok(trace)
}

/// The last passes before code generation, once no more bridges attach.
pub fn finish(tree: &Trace) -> Result<Trace, AbortReason> {
    identity::check_shared_values(tree)?;
    let settled = own::settle(&phi_types::prove_phi_guards(&identity::drop_null_companions(tree)))?;
    let trace = dce::dce(&settled);
    debug_assert_eq!(trace.verify(), Ok(()), "\n{trace}");
    Ok(trace)
}
