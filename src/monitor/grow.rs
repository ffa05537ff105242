//! Compiling on the compiler's thread: a loop's first trace, and a compiled
//! loop's tree grown by a recorded bridge.
//!
//! The main thread optimizes the recording, or grows the tree
//! (`build_tree`); Cranelift compiles it on the compiler's thread
//! (`compile_worker`, which says why) while the loop runs on, interpreted or
//! in its current tree; the new code goes in at a back edge once compiled,
//! if nothing it relied on changed meanwhile. Where no thread can be
//! started, or background compiling is off (`Jit::background_compile`), the
//! code compiles at once.

use super::*;
use crate::compile_worker::{self, Job};

/// A trace being compiled on the compiler's thread.
pub(super) struct Growing {
    id: u64,
    key: LoopKey,
    grows: Grows,
    /// Time the main thread took to optimize or grow it.
    built_in: Duration,
}

impl Growing {
    /// Whether the trace being compiled inlines a call of `code`.
    fn inlines(&self, code: usize) -> bool {
        let code = code as u64;
        match &self.grows {
            Grows::Root(root) => root.recording.inlined.contains(&code),
            Grows::Tree { current, bridges } => {
                current.inlined.contains(&(code as usize)) || bridges.iter().any(|b| b.1.inlined.contains(&code))
            }
        }
    }
}

pub(super) enum Grows {
    /// The loop's first trace: it has none yet.
    Root(Box<NewRoot>),
    /// A tree grown by a bridge: the new one goes in only while `current`
    /// is the loop's.
    Tree { current: Rc<CompiledLoop>, bridges: Vec<(ExitPos, Recording)> },
}

/// What a loop's first trace needs besides its code, taken while the frame
/// it was recorded in runs.
pub(super) struct NewRoot {
    pub origin: Origin,
    pub code_data: Rc<CodeData>,
    pub recording: Recording,
    pub namespaces: (*mut ffi::PyObject, *mut ffi::PyObject, *mut ffi::PyObject),
}

impl Jit {
    /// Compile the loop's first trace (optimized from `root.recording`),
    /// on the compiler's thread if it runs.
    pub(super) fn finish_root(&mut self, key: LoopKey, root: NewRoot, trace: Trace, started: Instant) {
        let name = perf_name(&root.origin.function, &root.origin.filename, root.origin.line);
        // A dict the trace relies on that changes while it compiles
        // invalidates the loop, which drops the trace (`invalidate`).
        let deps = root.recording.deps.clone();
        let (trace, grows) = match self.submit(key, &deps, trace, &name, Grows::Root(Box::new(root)), started) {
            Ok(()) => {
                if let Some(record) = self.record_of(key) {
                    record.why = Some(("compiling", "its first trace was still compiling".into()));
                }
                return;
            }
            Err(kept) => kept,
        };
        let Grows::Root(root) = grows else { unreachable!("given back as handed over") };
        let compiled = codegen::compile_named(&trace, &self.rt.abi, false, &name);
        self.install_root(key, *root, trace, compiled, started.elapsed());
    }

    /// Hand `tree` to the compiler's thread, once the dicts `deps` are
    /// watched (a change meanwhile invalidates `key`'s loop); `grows` is what
    /// installing it needs. Both come back where background compiling is off
    /// or impossible, for the caller to compile at once.
    fn submit(
        &mut self,
        key: LoopKey,
        deps: &[DictDep],
        tree: Trace,
        name: &str,
        grows: Grows,
        started: Instant,
    ) -> Result<(), (Trace, Grows)> {
        if !self.background_compile || !watch::depend(key, deps) {
            return Err((tree, grows));
        }
        let id = self.next_compile_job;
        self.next_compile_job += 1;
        match compile_worker::submit(Job { id, tree, name: name.to_string() }, &self.rt.abi) {
            Ok(()) => {
                self.growing.push(Growing { id, key, grows, built_in: started.elapsed() });
                Ok(())
            }
            Err(job) => Err((job.tree, grows)),
        }
    }

    fn install_root(
        &mut self,
        key: LoopKey,
        root: NewRoot,
        trace: Trace,
        compiled: Result<CompiledTrace, String>,
        took: Duration,
    ) {
        self.stats.note_compile(took, compiled.is_ok());
        let compiled = match compiled {
            Ok(compiled) => compiled,
            Err(e) => {
                log::debug!("codegen declined the trace at offset {}: {e}\n{trace}", key.1);
                return self.count_abort(format!("codegen: {e}"), "codegen", key.1, key);
            }
        };
        log::trace!("trace at offset {}:\n{trace}", key.1);
        let NewRoot { origin, code_data, recording, namespaces } = root;
        let mut entry = CompiledLoop::new(origin, code_data, key.1, recording, Vec::new(), trace, compiled);
        entry.namespaces = Some(namespaces);
        log::debug!("compiled trace {} in {took:?}", entry.name);
        if self.install(key, entry, None) {
            self.stats.traces_compiled += 1;
            self.note_compiled(key, "compiled", took);
        }
    }

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
        let tree = match build_tree(&current.root, &bridges) {
            Ok(tree) => tree,
            Err(reason) => {
                self.stats.note_compile(started.elapsed(), false);
                return self.bridge_failed(key, reason.to_string());
            }
        };
        // Watched from now, a dict the bridge relies on that changes before
        // its code is in invalidates the current tree, so that the grown one
        // is not installed.
        let new_deps = bridges.last().expect("just pushed").1.deps.clone();
        let (tree, grows) = match self.submit(key, &new_deps, tree, &name, Grows::Tree { current, bridges }, started) {
            Ok(()) => return,
            Err(kept) => kept,
        };
        let Grows::Tree { current, bridges } = grows else { unreachable!("given back as handed over") };
        let compiled = codegen::compile_named(&tree, &self.rt.abi, false, &name);
        self.install_grown(key, &current, bridges, tree, compiled, started.elapsed());
    }

    /// Whether a grown tree of the loop is being compiled: no other bridge is
    /// recorded meanwhile (it would grow the tree about to be replaced).
    pub(super) fn is_growing(&self, key: LoopKey) -> bool {
        self.growing.iter().any(|g| g.key == key)
    }

    /// Whether a loop still counting waits for the compiler's thread: its
    /// first trace compiles, or a trace of another loop of its code does.
    /// The other loop's trace may well run it (n-body's outer loops round
    /// the inner one): it may run interpreted only because the exit a bridge
    /// is for leaves there, or because the inner loop's first trace is not
    /// in yet. So it does not count its turns meanwhile, as if the compiler
    /// had stopped the program, nor records itself again.
    pub(super) fn waits_for_compiler(&self, key: LoopKey) -> bool {
        let waits = |g: &Growing| g.key.0 == key.0 && (g.key != key || matches!(g.grows, Grows::Root(_)));
        self.growing.iter().any(waits)
    }

    /// Forget what the compiler's thread compiles for the loop `key` (its
    /// first trace relied on what just changed).
    pub(super) fn drop_compiling(&mut self, key: LoopKey) {
        self.growing.retain(|g| g.key != key);
    }

    /// Forget what the compiler's thread compiles for a loop of `code`, or
    /// with `code` inlined: it is being freed, and an installed trace would
    /// keep its address (`CompiledLoop::inlined`).
    pub(super) fn drop_compiling_code(&mut self, code: usize) {
        self.growing.retain(|g| g.key.0 != code && !g.inlines(code));
    }

    /// Install the traces and grown trees the compiler's thread has finished.
    pub(super) fn install_compiled_trees(&mut self) {
        for done in compile_worker::take_finished() {
            let Some(at) = self.growing.iter().position(|g| g.id == done.id) else {
                continue;
            };
            let g = self.growing.swap_remove(at);
            let took = g.built_in + done.took;
            match g.grows {
                Grows::Root(root) => self.install_root(g.key, *root, done.tree, done.compiled, took),
                Grows::Tree { current, bridges } => {
                    self.install_grown(g.key, &current, bridges, done.tree, done.compiled, took)
                }
            }
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
