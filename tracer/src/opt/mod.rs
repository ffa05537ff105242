//! The optimization pipeline. Each pass lives in its own file, which opens with
//! its rationale; `fold` runs on the fly while recording and peeling.

pub mod bridge;
pub mod dce;
pub mod fold;
pub mod peel;

use crate::ir::Trace;
use crate::record::{AbortReason, Recording};

/// Turn a recorded iteration into the loop that is compiled.
pub fn optimize(recording: &Recording) -> Result<Trace, AbortReason> {
    let looped = peel::peel(recording)?;
    let trace = dce::dce(&looped);
    debug_assert_eq!(trace.verify(), Ok(()), "\n{trace}");
    Ok(trace)
}
