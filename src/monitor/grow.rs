//! Growing a compiled loop's tree by a recorded bridge.
//!
//! The main thread grows the tree (`build_tree`); Cranelift compiles it on
//! the compiler's thread (`compile_worker`, which says why) while the loop
//! runs on in its current tree; the new code goes in at a back edge once
//! compiled, if the loop still runs the tree it grew. Where no thread can be
//! started, or background compiling is off (`Jit::background_compile`), the
//! tree compiles at once.

use super::*;
use crate::compile_worker::{self, Job};

/// A grown tree being compiled on the compiler's thread.
pub(super) struct Growing {
    id: u64,
    key: LoopKey,
    /// The tree it grows: the new one goes in only while this is the loop's.
    current: Rc<CompiledLoop>,
    bridges: Vec<(ExitPos, Recording)>,
    /// Time the main thread took to grow it.
    built_in: Duration,
}

impl Jit {
    /// Grow the loop's tree by a recorded bridge; the code follows.
    pub(super) fn finish_bridge(&mut self, key: LoopKey, exit: ExitPos, recording: Recording) {
        let Some(LoopKind::Compiled(current)) = self.loops.get(&key).map(|s| &s.kind) else {
            return;
        };
        let current = current.clone();
        let started = Instant::now();
        log::trace!("bridge recording for exit {exit:?}:\n{}", recording.iteration);
        let mut bridges = current.bridges.clone();
        let recording = Recording { reenters: current.bridge_reenters(exit), ..recording };
        bridges.push((exit, recording));
        let name = perf_name(&current.function, &current.filename, current.line);
        let mut tree = match build_tree(&current.root, &bridges) {
            Ok(tree) => tree,
            Err(reason) => {
                self.stats.note_compile(started.elapsed(), false);
                return self.bridge_failed(key, reason.to_string());
            }
        };
        // Watched from now, a dict the bridge relies on that changes before
        // its code is in invalidates the current tree, so that the grown one
        // is not installed.
        let new_deps = &bridges.last().expect("just pushed").1.deps;
        if self.background_compile && watch::depend(key, new_deps) {
            let id = self.next_compile_job;
            self.next_compile_job += 1;
            match compile_worker::submit(Job { id, tree, name: name.clone() }, &self.rt.abi) {
                Ok(()) => {
                    let built_in = started.elapsed();
                    self.growing.push(Growing { id, key, current, bridges, built_in });
                    return;
                }
                Err(job) => tree = job.tree,
            }
        }
        let compiled = codegen::compile_named(&tree, &self.rt.abi, false, &name);
        self.install_grown(key, &current, bridges, tree, compiled, started.elapsed());
    }

    /// Whether a grown tree of the loop is being compiled: no other bridge is
    /// recorded meanwhile (it would grow the tree about to be replaced).
    pub(super) fn is_growing(&self, key: LoopKey) -> bool {
        self.growing.iter().any(|g| g.key == key)
    }

    /// Whether the tree of another loop of `key`'s code is growing: `key`'s
    /// loop may run interpreted only because the exit that bridge is for
    /// leaves there, and the grown tree may well run it (n-body's outer
    /// loops round the inner one), so it does not count its turns meanwhile,
    /// as if the compiler had stopped the program.
    pub(super) fn another_tree_grows_in(&self, key: LoopKey) -> bool {
        self.growing.iter().any(|g| g.key.0 == key.0 && g.key != key)
    }

    /// Swap in the grown trees the compiler's thread has finished.
    pub(super) fn install_compiled_trees(&mut self) {
        for done in compile_worker::take_finished() {
            let Some(at) = self.growing.iter().position(|g| g.id == done.id) else {
                continue;
            };
            let g = self.growing.swap_remove(at);
            self.install_grown(g.key, &g.current, g.bridges, done.tree, done.compiled, g.built_in + done.took);
        }
    }

    fn install_grown(
        &mut self,
        key: LoopKey,
        current: &Rc<CompiledLoop>,
        bridges: Vec<(ExitPos, Recording)>,
        tree: Trace,
        compiled: Result<CompiledTrace, String>,
        took: Duration,
    ) {
        self.stats.note_compile(took, compiled.is_ok());
        let compiled = match compiled {
            Ok(compiled) => compiled,
            Err(e) => return self.bridge_failed(key, format!("codegen: {e}")),
        };
        let still_current = self.loops.get(&key).map(|s| &s.kind);
        if !matches!(still_current, Some(LoopKind::Compiled(c)) if Rc::ptr_eq(c, current)) {
            log::debug!("bridge for trace {} dropped: the loop's code changed while it compiled", current.name);
            return;
        }
        log::trace!("trace at offset {} with {} bridges:\n{tree}", current.header_pc, bridges.len());
        let mut grown = CompiledLoop::new(
            current.origin(),
            current.code_data.clone(),
            current.header_pc,
            current.root.clone(),
            bridges,
            tree,
            compiled,
        );
        grown.entries.set(current.entries.get());
        grown.namespaces = current.namespaces;
        grown.bridged.borrow_mut().extend(current.bridged.borrow().iter().copied());
        log::debug!("bridge compiled for trace {} in {took:?}", grown.name);
        if self.install(key, grown, Some(current)) {
            self.stats.bridges_compiled += 1;
            self.note_compiled(key, "bridge compiled", took);
        }
    }

    fn bridge_failed(&mut self, key: LoopKey, reason: String) {
        *self.stats.aborts.entry(format!("bridge: {reason}")).or_insert(0) += 1;
        self.events.emit("bridge aborted", key.0, key.1, key.1, Some("codegen"), reason, None);
    }
}
