//! Compiling traces on a thread of their own.
//!
//! What: when a loop's first iteration is recorded, the main thread
//! optimizes it, and when a bridge is recorded, grows the tree
//! (`build_tree`); both quick. It hands the trace to this thread, which runs
//! Cranelift on it. The loop keeps running, interpreted or in its current
//! tree, and the main thread puts the new code in at the next back edge
//! after it is ready (`Jit::install_compiled_trees`).
//!
//! Why: Cranelift takes 0.5 to 3 ms for a trace, and a bridge recompiles the
//! whole tree, so a tree's Nth bridge costs as much as the tree's size:
//! milliseconds for a large loop (n-body's 17 ms in three compilations).
//! Compiled on the main thread, that time is lost outright. Here the program
//! runs on meanwhile: a grown tree's old one at compiled speed, leaving to
//! the interpreter only at the exit the bridge is for; a first trace's loop
//! in the interpreter. For a loop that runs long that saves only the compile
//! time divided by the speedup, but most hot loops of ordinary programs run
//! for a few milliseconds in all (pyperformance's hexiom compiles eighteen
//! first traces in a 5 ms call), and for them it saves most of it.
//!
//! Rejected: compiling bridges as functions of their own (patching exits to
//! call them), which would make a bridge cost its own size but pass every
//! value through memory on the hot path. A loop's first turns compiled
//! depend on the machine's timing; the tests compile on the main thread
//! (`HOTLOOP_BACKGROUND_COMPILE=0`) where they count them.
//!
//! The thread runs no Python code, takes no lock the interpreter holds and
//! logs nothing (records from it would have to take the GIL). Before a
//! `fork`, `stop` lets it finish its jobs and end (a process forked with
//! threads running gets a `DeprecationWarning` from CPython, and its child
//! no thread); the next job starts one again, in the parent and in the
//! child.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{channel, Sender};
use std::sync::Mutex;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use hotloop_tracer::abi::Abi;
use hotloop_tracer::codegen::{self, CompiledTrace};
use hotloop_tracer::ir::Trace;

/// A tree to compile, and what to name its code.
pub struct Job {
    pub id: u64,
    pub tree: Trace,
    pub name: String,
}

/// A compiled job, with the tree it was compiled from.
pub struct Done {
    pub id: u64,
    pub tree: Trace,
    pub compiled: Result<CompiledTrace, String>,
    pub took: Duration,
}

/// The compiled code's module is moved from the thread that made it to the
/// main thread, once finalized; nothing in it refers to the thread.
struct SendDone(Done);
// SAFETY: see above; the trace is plain data and the code is not running.
unsafe impl Send for SendDone {}

struct Worker {
    /// The process the thread runs in: a child forked without `stop` (by C
    /// code) has none.
    pid: u32,
    jobs: Sender<Job>,
    thread: JoinHandle<()>,
}

static WORKER: Mutex<Option<Worker>> = Mutex::new(None);
static FINISHED: Mutex<Vec<SendDone>> = Mutex::new(Vec::new());
static ANY_FINISHED: AtomicBool = AtomicBool::new(false);

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Hand `job` to the thread, starting it if needed. Gives the job back
/// when no thread can be started (the caller compiles it itself).
pub fn submit(job: Job, abi: &'static Abi) -> Result<(), Job> {
    let mut worker = lock(&WORKER);
    let pid = std::process::id();
    if worker.as_ref().is_none_or(|w| w.pid != pid) {
        let (jobs, received) = channel::<Job>();
        let run = move || {
            for job in received {
                let started = Instant::now();
                // A panic must come back as a failed job: the main thread
                // waits for every job it handed out (`Jit::is_growing`).
                let compile = || codegen::compile_named(&job.tree, abi, false, &job.name);
                let compiled = std::panic::catch_unwind(std::panic::AssertUnwindSafe(compile))
                    .unwrap_or_else(|_| Err("the compiler panicked".into()));
                let done = Done { id: job.id, tree: job.tree, compiled, took: started.elapsed() };
                lock(&FINISHED).push(SendDone(done));
                ANY_FINISHED.store(true, Ordering::Release);
            }
        };
        let Ok(thread) = std::thread::Builder::new().name("hotloop-compile".into()).spawn(run) else {
            return Err(job);
        };
        *worker = Some(Worker { pid, jobs, thread });
    }
    worker.as_ref().expect("started above").jobs.send(job).map_err(|failed| failed.0)
}

/// Whether `take_finished` may have jobs to give.
pub fn any_finished() -> bool {
    ANY_FINISHED.load(Ordering::Relaxed)
}

/// The jobs finished since the last call: a load of one flag when none did
/// (every back edge the interpreter runs asks).
pub fn take_finished() -> Vec<Done> {
    if !ANY_FINISHED.load(Ordering::Relaxed) || !ANY_FINISHED.swap(false, Ordering::Acquire) {
        return Vec::new();
    }
    std::mem::take(&mut *lock(&FINISHED)).into_iter().map(|d| d.0).collect()
}

/// Let the thread finish the jobs handed to it, and end.
pub fn stop() {
    let worker = lock(&WORKER).take();
    if let Some(Worker { pid, jobs, thread }) = worker {
        drop(jobs);
        if pid == std::process::id() {
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cpython::Runtime;
    use hotloop_tracer::ir::parse_trace;
    use pyo3::Python;

    const COUNTING_LOOP: &str = "
        trace header=0 depth=0 nlocalsplus=1
        %0 obj load_slot s0
        %1     guard_type %0 int #0
        %2 i64 unbox_int %0 #0
        %3 i64 const 1
        %4 ---- loop ----
        %5 i64 phi %2 %6
        %6 i64 add_ov %5 %3 #1
        #0 pc=0 depth=0 []
        #1 pc=0 depth=0 [s0=%5]
        #2 pc=0 depth=0 [s0=%5] loop";

    #[test]
    fn jobs_compile_on_the_thread_and_come_back_with_their_trees_once_each() {
        Python::initialize();
        let rt = Python::attach(|py| Runtime::detect(py).expect("a known CPython"));
        let abi: &'static Abi = Box::leak(Box::new(rt.abi.clone()));
        let good = parse_trace(COUNTING_LOOP).expect("valid trace");
        let mut without_loop = good.clone();
        without_loop.insts.truncate(4);
        for (id, tree) in [(1, good), (2, without_loop)] {
            submit(Job { id, tree, name: format!("test-{id}") }, abi).unwrap_or_else(|_| panic!("no thread"));
        }
        stop();
        let mut done = take_finished();
        done.sort_by_key(|d| d.id);
        assert_eq!(done.iter().map(|d| d.id).collect::<Vec<_>>(), [1, 2]);
        let compiled = done[0].compiled.as_ref().expect("the loop compiles");
        assert_eq!(compiled.exits.len(), 4, "type guard, unboxing, overflow check, loop top");
        assert_eq!(done[0].tree.insts.len(), 7, "the tree comes back whole");
        assert!(done[1].compiled.as_ref().is_err_and(|e| e.contains("no loop")), "fails without panicking");
        assert!(take_finished().is_empty(), "each result comes back once");
    }
}
