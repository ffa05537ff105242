//! The recorder's window on the live frame during INSTRUCTION events.
//!
//! While a loop is recorded, INSTRUCTION events are on for its code object and
//! each one hands the recorder the offset about to run. The frame's `stacktop` is
//! not synced during these events, so the recorder tracks the stack depth itself
//! and reads operands at `localsplus[nlocalsplus + depth]`.

use crate::cpython::{Frame, Runtime};
use hotloop_tracer::ir::Slot;
use hotloop_tracer::record::{FrameView, Observed, Recorder};
use std::time::Instant;

/// The one recording in progress.
pub struct ActiveRecording {
    /// The code object (its address) and the frame being recorded.
    pub code: usize,
    pub frame: Frame,
    pub recorder: Recorder,
    pub started: Instant,
    /// For a bridge: the number of the body exit it starts from.
    pub bridge: Option<usize>,
}

/// A running frame, read through the version's layout.
pub struct LiveFrame<'a> {
    pub rt: &'a Runtime,
    pub frame: Frame,
}

impl FrameView for LiveFrame<'_> {
    fn observe(&self, slot: Slot) -> Observed {
        // SAFETY: the recorder only asks for locals and for stack slots below the
        // depth it tracks, all inside this live frame's `localsplus`.
        unsafe {
            self.rt
                .observe(*self.rt.localsplus(self.frame).add(slot.0 as usize))
        }
    }
}
