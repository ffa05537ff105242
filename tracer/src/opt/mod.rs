//! The optimization pipeline. Each pass lives in its own file, which opens with
//! its rationale; `fold` (with `memory` and `bounds`) runs on the fly while
//! recording and peeling.
//!
//! Recorded iteration -> `peel` (the pre-roll and the loop body, through
//! `fold`) -> `dce` -> one `bridge` attached per hot side exit -> `identity`
//! (companions no edge needs) -> `phi_types` -> `carry` (arithmetic on
//! loop-carried values carried round) -> `strengthen` (index checks of one
//! size made one) -> `own` (reference counts) ->
//! `dce`. `stages` gives the trace after each, for `python -m hotloop dump
//! --passes`. The passes that only make code faster can be switched off for
//! debugging (`set_disabled`, `HOTLOOP_DISABLE_PASSES`); the others are what
//! makes a trace compilable at all.

pub mod bounds;
pub mod bridge;
pub mod carry;
pub mod dce;
pub mod fold;
pub mod identity;
pub mod memory;
pub mod own;
pub mod peel;
pub mod phi_types;
pub mod rules;
pub mod strengthen;
pub mod types;

use crate::ir::Trace;
use crate::record::{AbortReason, Recording};
use std::sync::atomic::{AtomicU8, Ordering};

/// The passes that may be switched off.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Pass {
    /// `memory`: loads commoned while nothing wrote their location.
    LoadForwarding,
    /// `bounds`: guards implied by earlier ones dropped.
    Bounds,
    /// `phi_types`: type guards on phis proven by every edge.
    PhiTypes,
    /// `carry`: float arithmetic on loop-carried values carried in phis.
    Carry,
    /// `strengthen`: a size's first index check made the strongest of its stretch.
    Strengthen,
}

impl Pass {
    pub const ALL: [Pass; 5] = [Pass::LoadForwarding, Pass::Bounds, Pass::PhiTypes, Pass::Carry, Pass::Strengthen];

    pub fn name(self) -> &'static str {
        match self {
            Pass::LoadForwarding => "memory",
            Pass::Bounds => "bounds",
            Pass::PhiTypes => "phi_types",
            Pass::Carry => "carry",
            Pass::Strengthen => "strengthen",
        }
    }

    fn bit(self) -> u8 {
        1 << self as u8
    }
}

static DISABLED: AtomicU8 = AtomicU8::new(0);

/// Switch off the passes named (and on every other one). Unknown names are an
/// error that lists the known ones.
pub fn set_disabled(names: &[&str]) -> Result<(), String> {
    let mut bits = 0;
    for name in names {
        let pass = Pass::ALL.iter().find(|p| p.name() == *name).ok_or_else(|| {
            let known: Vec<&str> = Pass::ALL.iter().map(|p| p.name()).collect();
            format!("unknown pass {name:?}: the passes that can be switched off are {}", known.join(", "))
        })?;
        bits |= pass.bit();
    }
    DISABLED.store(bits, Ordering::Relaxed);
    Ok(())
}

pub fn enabled(pass: Pass) -> bool {
    DISABLED.load(Ordering::Relaxed) & pass.bit() == 0
}

/// Turn a recorded iteration into the loop that is compiled.
pub fn optimize(recording: &Recording) -> Result<Trace, AbortReason> {
    finish(&loop_tree(recording, &memory::Written::default())?)
}

/// The peeled loop that bridges attach to: every unboxed phi still has its
/// companion, since a bridge may give it a known object. `bridges_write`:
/// what the bridges that will attach write.
pub fn loop_tree(recording: &Recording, bridges_write: &memory::Written) -> Result<Trace, AbortReason> {
    loop_tree_stages(recording, bridges_write, &mut |_, _| {})
}

fn loop_tree_stages(
    recording: &Recording,
    bridges_write: &memory::Written,
    stage: &mut dyn FnMut(&str, &Trace),
) -> Result<Trace, AbortReason> {
    let looped = peel::peel(recording, bridges_write)?;
    stage("peel", &looped);
    let trace = dce::dce(&looped);
    stage("dce", &trace);
    debug_assert_eq!(trace.verify(), Ok(()), "\n{trace}");
    Ok(trace)
}

/// The last passes before code generation, once no more bridges attach.
pub fn finish(tree: &Trace) -> Result<Trace, AbortReason> {
    finish_stages(tree, &mut |_, _| {})
}

fn finish_stages(tree: &Trace, stage: &mut dyn FnMut(&str, &Trace)) -> Result<Trace, AbortReason> {
    identity::check_shared_values(tree)?;
    let trace = identity::drop_null_companions(tree);
    stage("identity", &trace);
    let trace = if enabled(Pass::PhiTypes) { phi_types::prove_phi_guards(&trace) } else { trace };
    stage("phi_types", &trace);
    let trace = if enabled(Pass::Carry) { carry::carry_products(&trace) } else { trace };
    stage("carry", &trace);
    let trace = if enabled(Pass::Strengthen) { strengthen::strengthen_index_checks(&trace) } else { trace };
    stage("strengthen", &trace);
    let trace = own::settle(&trace)?;
    stage("own", &trace);
    let trace = dce::dce(&trace);
    stage("dce", &trace);
    debug_assert_eq!(trace.verify(), Ok(()), "\n{trace}");
    Ok(trace)
}

/// The trace of `root` with `bridges` after each pass, by pass name, as
/// `bridge::build_tree` makes it (`optimize` when there are no bridges).
pub fn stages(root: &Recording, bridges: &[(bridge::ExitPos, Recording)]) -> Result<Vec<(String, Trace)>, AbortReason> {
    let mut out = Vec::new();
    let mut stage = |name: &str, trace: &Trace| out.push((name.to_string(), trace.clone()));
    bridge::build_tree_stages(root, bridges, &mut stage)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_pass_names_are_refused_with_the_known_ones_and_change_nothing() {
        let before = Pass::ALL.map(enabled);
        let err = set_disabled(&["bounds", "fold"]).expect_err("fold cannot be switched off");
        assert!(err.contains("\"fold\"") && err.contains("memory, bounds, phi_types, carry, strengthen"), "{err}");
        assert_eq!(Pass::ALL.map(enabled), before);
    }
}
