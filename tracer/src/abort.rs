//! Why a recording, a compilation or a trace ended without compiled code:
//! the reasons `hotloop.stats()["aborts"]` counts, and for each kind of reason
//! the explanation and hint `python -m hotloop explain` prints and
//! docs/why-not-compiled.md lists (generated from `REASONS`, and checked
//! against it by the tests).

use std::fmt;

/// Why a recording ended without a trace. The `Display` form is the reason's name
/// as counted in the stats.
#[derive(Clone, PartialEq, Debug)]
pub enum AbortReason {
    /// An instruction the recorder does not handle yet.
    NotYetImplemented(String),
    /// A supported instruction on operand types it does not handle yet.
    UnsupportedTypes {
        op: String,
        types: String,
    },
    /// The operation raises during the recorded iteration.
    Raises(&'static str),
    /// An int outside 64 bits reaches an arithmetic instruction.
    BigInt,
    /// The iteration turned an inner loop it may not unroll (see
    /// `record_loops`).
    InnerLoop,
    /// The interpreter went somewhere the recorder did not expect (an exception,
    /// or the loop ended during the recorded iteration).
    LeftLoop,
    /// The interpreter computed a value of another type than the trace would.
    Diverged,
    /// The loop body pops a value that was on the stack at the loop header.
    PopsLoopStack,
    TooLong,
    /// A value's type at the end of the iteration differs from its type at the start.
    TypeUnstable,
    /// A guard fails on every run of the loop body.
    AlwaysExits,
    /// A number the loop carries unboxed would sometimes be an existing object the
    /// trace cannot keep track of (an element of a container, or one object in
    /// two variables on some paths only): an exit would box a new object, and
    /// `is` would see the difference.
    IdentityLost,
    /// The iteration has too many `generic` instructions for the work around
    /// them: each costs more in compiled code than the interpreter takes for it
    /// (it makes the frame current and calls the C API), so the trace would be
    /// slower than the interpreter.
    MostlyGeneric,
    /// Something outside the recorder ended the recording (see the text).
    Interrupted(&'static str),
    /// Recording through a call of the function with this code object failed:
    /// its calls stay calls from now on.
    NotInlined {
        code: u64,
        why: String,
    },
}

impl fmt::Display for AbortReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AbortReason::NotYetImplemented(name) => write!(f, "NYI: {name}"),
            AbortReason::UnsupportedTypes { op, types } => write!(f, "NYI: {op} on {types}"),
            AbortReason::Raises(what) => write!(f, "raises {what} while recording"),
            AbortReason::BigInt => write!(f, "NYI: int outside 64 bits"),
            AbortReason::InnerLoop => write!(f, "inner loop"),
            AbortReason::LeftLoop => write!(f, "left the loop while recording"),
            AbortReason::Diverged => write!(f, "interpreter computed another type"),
            AbortReason::PopsLoopStack => write!(f, "NYI: body pops the loop's stack"),
            AbortReason::TooLong => write!(f, "trace too long"),
            AbortReason::TypeUnstable => write!(f, "type-unstable loop"),
            AbortReason::AlwaysExits => write!(f, "guard always fails"),
            AbortReason::IdentityLost => write!(f, "NYI: loop-carried number whose object identity is lost"),
            AbortReason::MostlyGeneric => write!(f, "NYI: too few fast paths (generic instructions would be slower)"),
            AbortReason::Interrupted(why) => write!(f, "interrupted: {why}"),
            AbortReason::NotInlined { why, .. } => {
                write!(f, "NYI: inlined call: {}", why.strip_prefix("NYI: ").unwrap_or(why))
            }
        }
    }
}

/// An abort and the bytecode offset where it happened.
#[derive(Clone, PartialEq, Debug)]
pub struct Abort {
    pub reason: AbortReason,
    pub pc: u32,
}

impl AbortReason {
    /// The reason's kind: its name in `REASONS` and in the docs.
    pub fn kind(&self) -> &'static str {
        match self {
            AbortReason::NotYetImplemented(_) => "not-yet-implemented",
            AbortReason::UnsupportedTypes { .. } => "unsupported-types",
            AbortReason::Raises(_) => "raises",
            AbortReason::BigInt => "big-int",
            AbortReason::InnerLoop => "inner-loop",
            AbortReason::LeftLoop => "left-loop",
            AbortReason::Diverged => "diverged",
            AbortReason::PopsLoopStack => "pops-loop-stack",
            AbortReason::TooLong => "too-long",
            AbortReason::TypeUnstable => "type-unstable",
            AbortReason::AlwaysExits => "always-exits",
            AbortReason::IdentityLost => "identity-lost",
            AbortReason::MostlyGeneric => "mostly-generic",
            AbortReason::Interrupted(_) => "interrupted",
            AbortReason::NotInlined { .. } => "not-inlined",
        }
    }
}

/// A kind of reason a loop runs interpreted: what it means, and what the
/// programmer can do about it.
pub struct ReasonDoc {
    pub kind: &'static str,
    pub explanation: &'static str,
    pub hint: &'static str,
}

/// Every kind of reason, those of `AbortReason` and those the runtime gives
/// when a compiled trace goes.
pub const REASONS: &[ReasonDoc] = &[
    ReasonDoc {
        kind: "not-yet-implemented",
        explanation: "the loop uses an operation hotloop cannot compile yet (the reason names it)",
        hint: "move that operation out of the hot loop (compute it before the loop, or in a function the loop calls less often); please report it",
    },
    ReasonDoc {
        kind: "unsupported-types",
        explanation: "a supported operation met operand types it has no fast path for (the reason names them)",
        hint: "keep the loop's values to ints, floats, strs, lists, tuples, dicts and plain objects, or convert them before the loop",
    },
    ReasonDoc {
        kind: "raises",
        explanation: "an operation raised an exception during the iteration being recorded",
        hint: "loops that raise on most iterations stay interpreted; test the condition instead of catching the exception, if you can",
    },
    ReasonDoc {
        kind: "big-int",
        explanation: "an int too large for 64 bits reached arithmetic in the loop",
        hint: "compiled loops work on 64-bit ints; loops over huge ints are left to the interpreter, which handles them as fast as it can",
    },
    ReasonDoc {
        kind: "inner-loop",
        explanation: "the iteration turned an inner loop that has a trace of its own (at its header or back edge), reached the back edge of an inner `for` loop, or turned an inner loop more times than the recorder unrolls (16); the inner loop is compiled on its own instead",
        hint: "nothing to do: the inner loop gets its own trace and the outer body runs through bridges from it",
    },
    ReasonDoc {
        kind: "left-loop",
        explanation: "the loop ended, or an exception left it, while its iteration was being recorded",
        hint: "nothing to do for long loops (the next attempt waits longer); a loop of very few turns per run is not worth compiling",
    },
    ReasonDoc {
        kind: "diverged",
        explanation: "the interpreter computed a value of another type than the recorded trace expected",
        hint: "a value's type changes from one iteration to the next; keep each variable to one type inside the loop",
    },
    ReasonDoc {
        kind: "pops-loop-stack",
        explanation: "the loop body pops a value that was on the interpreter's stack at the loop header",
        hint: "rewrite the loop so that it does not consume its own iterator or context from inside the body",
    },
    ReasonDoc {
        kind: "too-long",
        explanation: "one iteration ran too many bytecode instructions (deeply inlined calls, long unrolled inner loops) to make one trace",
        hint: "split the loop body into smaller loops, or move rarely taken work into a function",
    },
    ReasonDoc {
        kind: "type-unstable",
        explanation: "a variable's type at the end of the iteration differs from its type at the start",
        hint: "initialize loop variables with the type they keep (0.0 rather than 0 for a float accumulator)",
    },
    ReasonDoc {
        kind: "always-exits",
        explanation: "a guard of the trace fails on every run of the loop body",
        hint: "the loop alternates between paths every iteration; hotloop leaves it interpreted",
    },
    ReasonDoc {
        kind: "identity-lost",
        explanation: "a number the loop carries unboxed would sometimes be an existing object whose identity (`is`, `id`) the trace cannot keep",
        hint: "avoid mixing numbers taken from containers with computed ones in one loop variable",
    },
    ReasonDoc {
        kind: "mostly-generic",
        explanation: "most of the iteration's operations have no fast path (explain names the first), so compiled code would be slower than the interpreter",
        hint: "the loop is dominated by operations on objects hotloop does not specialize (calls into C, unusual types); it stays interpreted",
    },
    ReasonDoc {
        kind: "interrupted",
        explanation: "something outside the recorder ended the recording (the reason says what: a debugger, another loop, disable())",
        hint: "nothing to do: the loop is recorded again when it is hot again",
    },
    ReasonDoc {
        kind: "not-inlined",
        explanation: "recording through a call into a Python function failed; that function is called, not inlined, from then on",
        hint: "nothing to do: the next recording calls the function instead",
    },
    ReasonDoc {
        kind: "codegen",
        explanation: "the optimizer or the code generator declined the trace (the reason says why)",
        hint: "please report it with the output of `python -m hotloop dump --passes`",
    },
    ReasonDoc {
        kind: "no-dict-watcher",
        explanation: "CPython ran out of dict watchers, which compiled traces need to notice changed globals",
        hint: "another extension uses the dict watchers; hotloop cannot compile while they are all taken",
    },
    ReasonDoc {
        kind: "global-changed",
        explanation: "a global, builtin or class attribute the trace relied on was changed, so the trace was thrown away",
        hint: "do not rebind globals or class attributes while the loop runs; the loop is compiled again when hot",
    },
    ReasonDoc {
        kind: "short-entries",
        explanation: "entries into the trace kept leaving before a full turn of the loop (a variable changed type at the loop's start)",
        hint: "keep the types of the loop's variables the same each time the loop starts",
    },
    ReasonDoc {
        kind: "short-trips",
        explanation: "the loop runs too few turns per entry for compiled code to pay for entering it",
        hint: "a loop of a handful of turns is cheapest interpreted; the loop around it may still be compiled",
    },
    ReasonDoc {
        kind: "few-items-left",
        explanation: "the `for` loop turned hot with too few items left in its iterator to pay for compiling it, and has not turned hot since",
        hint: "nothing to do: a loop that runs again is compiled when it turns hot again",
    },
    ReasonDoc {
        kind: "evicted",
        explanation: "compiled code outgrew `max_code_size`, and this trace was the one entered least recently",
        hint: "raise max_code_size in hotloop.enable() if many loops are hot",
    },
    ReasonDoc {
        kind: "recording",
        explanation: "an iteration of the loop was being recorded when the program ended (or the statistics were taken), or the recording could not start",
        hint: "nothing to do: a loop that keeps running is compiled once a recording finishes",
    },
    ReasonDoc {
        kind: "compiling",
        explanation: "the loop's first trace was still being compiled on hotloop's compiler thread when the program ended (or the statistics were taken); the loop ran interpreted meanwhile",
        hint: "nothing to do: a loop that keeps running goes compiled once its code is ready (HOTLOOP_BACKGROUND_COMPILE=0 compiles on the main thread, at once, stopping the program meanwhile)",
    },
    ReasonDoc {
        kind: "blacklisted",
        explanation: "recording failed too many times (the reasons before this one say why); the loop is left to the interpreter for good",
        hint: "fix the cause named by the earlier reasons",
    },
];

/// The doc of a kind of reason.
pub fn reason_doc(kind: &str) -> Option<&'static ReasonDoc> {
    REASONS.iter().find(|doc| doc.kind == kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_abort_reason_kind_is_documented_once() {
        let reasons = [
            AbortReason::NotYetImplemented("x".into()),
            AbortReason::UnsupportedTypes { op: "x".into(), types: "y".into() },
            AbortReason::Raises("x"),
            AbortReason::BigInt,
            AbortReason::InnerLoop,
            AbortReason::LeftLoop,
            AbortReason::Diverged,
            AbortReason::PopsLoopStack,
            AbortReason::TooLong,
            AbortReason::TypeUnstable,
            AbortReason::AlwaysExits,
            AbortReason::IdentityLost,
            AbortReason::MostlyGeneric,
            AbortReason::Interrupted("x"),
            AbortReason::NotInlined { code: 0, why: "x".into() },
        ];
        for reason in &reasons {
            assert!(reason_doc(reason.kind()).is_some(), "{} is not documented", reason.kind());
        }
        for doc in REASONS {
            assert_eq!(REASONS.iter().filter(|d| d.kind == doc.kind).count(), 1, "{} twice", doc.kind);
            assert!(!doc.explanation.is_empty() && !doc.hint.is_empty());
        }
    }
}
