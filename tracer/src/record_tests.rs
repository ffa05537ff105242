//! Recorder tests: a tiny interpreter runs 3.12 bytecode over `Observed` values
//! and feeds the recorder before each instruction, as the live observer does;
//! the tests compare the optimized trace with expected text IR.

use super::*;
use crate::bytecode::tests::{assemble, format_3_12};
use crate::ir::parse_trace;
use crate::opt::optimize;

/// Frame slots plus range iterators' remaining values, interpreted just enough
/// for the recorder's operations.
struct MiniFrame {
    slots: Vec<Observed>,
    /// Module-level variables by `co_names` index.
    names: Vec<Observed>,
    nlocals: usize,
    depth: usize,
    ranges: Vec<i64>,
    /// The attributes of every `Particle` by name index (one shared object).
    attrs: Vec<Observed>,
}

/// The version tag of the tests' `Particle` class.
const PARTICLE_VERSION: u32 = 77;

/// The only global of these tests: `abs`, name 0, found in the builtins.
const ABS: u64 = 0xab5;
const GLOBALS: DictDep = DictDep { dict: 0x610b, key: 0x4e };
const BUILTINS: DictDep = DictDep { dict: 0xb17, key: 0x4e };

impl FrameView for MiniFrame {
    fn observe(&self, slot: Slot) -> Observed {
        match slot.name_index() {
            Some(i) => self.names[i as usize].clone(),
            None => self.slots[slot.0 as usize].clone(),
        }
    }

    fn global(&self, name: u32) -> Option<Lookup> {
        let value = ConstValue { addr: ABS, kind: Observed::Other("builtin_function_or_method".into()) };
        (name == 0).then(|| Lookup { value, deps: vec![GLOBALS, BUILTINS] })
    }

    fn builtin(&self, addr: u64) -> Option<Builtin> {
        (addr == ABS).then_some(Builtin::Abs)
    }

    fn attribute(&self, slot: Slot, name: u32, access: AttrAccess) -> Option<InstanceAttr> {
        let particle = self.observe(slot) == Observed::Other("Particle".into());
        (particle && access != AttrAccess::Method)
            .then_some(InstanceAttr { type_version: PARTICLE_VERSION, place: AttrPlace::Value(name) })
    }
}

impl MiniFrame {
    fn push(&mut self, v: Observed) {
        self.slots[self.nlocals + self.depth] = v;
        self.depth += 1;
    }
    fn pop(&mut self) -> Observed {
        self.depth -= 1;
        self.slots[self.nlocals + self.depth].clone()
    }

    /// Run the instruction at `pc`; returns the next pc.
    fn run(&mut self, instr: &Instr, consts: &[ConstValue]) -> u32 {
        use Observed::*;
        let arg = instr.arg as usize;
        match instr.opcode {
            Opcode::LoadFast => self.push(self.slots[arg].clone()),
            Opcode::StoreFast => self.slots[arg] = self.pop(),
            Opcode::LoadName => self.push(self.names[arg].clone()),
            Opcode::StoreName => self.names[arg] = self.pop(),
            Opcode::LoadConst => self.push(consts[arg].kind.clone()),
            Opcode::BinaryOp => {
                let (b, a) = (self.pop(), self.pop());
                self.push(match (a, b, arg % 13) {
                    (Int(x), Int(y), 0) => x.checked_add(y).map_or(BigInt, Int),
                    (Int(x), Int(y), 5) => x.checked_mul(y).map_or(BigInt, Int),
                    (Int(x), Int(y), 10) => x.checked_sub(y).map_or(BigInt, Int),
                    (Float(x), Float(y), 0) => Float(x + y),
                    (Float(x), Float(y), 5) => Float(x * y),
                    (Float(x), Int(y), 0) => Float(x + y as f64),
                    (Float(x), Int(y), 5) => Float(x * y as f64),
                    (Int(x), Float(y), 5) => Float(x as f64 * y),
                    other => panic!("mini interpreter: no BINARY_OP for {other:?}"),
                });
            }
            Opcode::CompareOp => {
                let (b, a) = (self.pop(), self.pop());
                let (Int(x), Int(y)) = (a, b) else { panic!("mini interpreter compares ints") };
                self.push(Bool(x < y));
            }
            Opcode::PopJumpIfFalse => {
                if matches!(self.pop(), Bool(false) | Int(0)) {
                    return instr.jump_target().unwrap();
                }
            }
            Opcode::JumpBackward | Opcode::JumpForward => return instr.jump_target().unwrap(),
            Opcode::LoadGlobal => {
                self.push(Null);
                self.push(Other("builtin_function_or_method".into()));
            }
            Opcode::Call => {
                let Int(x) = self.pop() else { panic!("mini interpreter calls abs of an int") };
                self.pop();
                self.pop();
                self.push(Int(x.abs()));
            }
            Opcode::LoadAttr => {
                self.pop();
                self.push(self.attrs[arg >> 1].clone());
            }
            Opcode::StoreAttr => {
                self.pop();
                self.attrs[arg] = self.pop();
            }
            Opcode::GetIter => {
                self.pop();
                self.push(ListIter);
            }
            Opcode::ForIter => {
                let value = self.ranges[0];
                self.ranges[0] += 1;
                self.push(Int(value));
            }
            _ => panic!("mini interpreter: no {:?}", instr.opcode),
        }
        instr.next
    }
}

fn loop_code(program: &[(&str, u32)], consts: &[ConstValue], nlocals: usize) -> LoopCode {
    let format = format_3_12();
    let code = assemble(&format, program);
    LoopCode {
        decoded: Rc::new(Decoded::decode(&code, &format)),
        format: Rc::new(format),
        consts: consts.to_vec().into(),
        names: vec![GLOBALS.key, 0x1111, 0x2222].into(),
        none: 0x0e0e,
        nlocalsplus: nlocals as u32,
        ignore_generic_cost: false,
    }
}

/// Run `recorder` over the mini interpreter from `pc` until it closes the loop.
fn run_recorder(
    mut recorder: Recorder,
    code: &LoopCode,
    frame: &mut MiniFrame,
    mut pc: u32,
) -> Result<Recording, Abort> {
    loop {
        match recorder.step(pc, frame) {
            Step::Continue => {}
            Step::Closed(recording) => return Ok(recording),
            Step::Abort(abort) => return Err(abort),
        }
        pc = frame.run(code.decoded.at(pc).unwrap(), &code.consts);
    }
}

/// Record one iteration of the loop starting at `header` and optimize it.
fn record(program: &[(&str, u32)], consts: &[ConstValue], mut frame: MiniFrame, header: u32) -> Result<Trace, Abort> {
    let code = loop_code(program, consts, frame.nlocals);
    let recorder = Recorder::new(code.clone(), header, frame.depth as u32);
    let recording = run_recorder(recorder, &code, &mut frame, header)?;
    optimize(&recording).map_err(|reason| Abort { reason, pc: header })
}

/// A constant; its address only has to be distinct.
fn int_const(v: i64) -> ConstValue {
    ConstValue { addr: 0x10_0000 + v as u64 * 16, kind: Observed::Int(v) }
}

fn float_const(v: f64) -> ConstValue {
    ConstValue { addr: 0x20_0000 + (v * 64.0) as u64 * 16, kind: Observed::Float(v) }
}

fn frame(locals: Vec<Observed>, stack: Vec<Observed>) -> MiniFrame {
    let nlocals = locals.len();
    let depth = stack.len();
    let mut slots = locals;
    slots.extend(stack);
    slots.resize(nlocals + 16, Observed::Null);
    MiniFrame { slots, names: vec![Observed::Null; 3], nlocals, depth, ranges: vec![0], attrs: vec![] }
}

fn assert_trace(actual: &Trace, expected: &str) {
    let expected = parse_trace(expected).expect("expected trace parses");
    assert_eq!(actual, &expected, "\nactual:\n{actual}\nexpected:\n{expected}");
}

/// `while i < n: s += i; i += 1` (locals n, i, s).
const INT_WHILE: &[(&str, u32)] = &[
    ("LOAD_FAST", 2),
    ("LOAD_FAST", 1),
    ("BINARY_OP", 13),
    ("STORE_FAST", 2),
    ("LOAD_FAST", 1),
    ("LOAD_CONST", 0),
    ("BINARY_OP", 13),
    ("STORE_FAST", 1),
    ("LOAD_FAST", 1),
    ("LOAD_FAST", 0),
    ("COMPARE_OP", 2),
    ("POP_JUMP_IF_FALSE", 1),
    ("JUMP_BACKWARD", 16),
];

#[test]
fn int_while_loop_keeps_counters_unboxed_and_guards_only_in_the_pre_roll() {
    use Observed::*;
    let trace = record(INT_WHILE, &[int_const(1)], frame(vec![Int(100), Int(5), Int(10)], vec![]), 0).unwrap();
    assert_trace(
        &trace,
        "trace header=0 depth=0 nlocalsplus=3
        %0    obj  load_slot s2
        %1    obj  load_slot s1
        %2         guard_type %0 int #0
        %3    i64  unbox_int %0 #0
        %4         guard_type %1 int #0
        %5    i64  unbox_int %1 #0
        %6    i64  add_ov %3 %5 #0
        %7    obj  oconst 0x100010
        %8    i64  const 1
        %9    i64  add_ov %5 %8 #1
        %10   obj  load_slot s0
        %11        guard_type %10 int #2
        %12   i64  unbox_int %10 #2
        %13   bool icmp lt %9 %12
        %14        guard_true %13 #3
        %15   ---- loop ----
        %16   i64  phi %9 %19
        %17   i64  phi %6 %18
        %18   i64  add_ov %17 %16 #4
        %19   i64  add_ov %16 %8 #5
        %20   bool icmp lt %19 %12
        %21        guard_true %20 #6
        #0    pc=4 depth=2 [s3=%0 s4=%1]
        #1    pc=14 depth=2 [s2=%6 s3=%1 s4=%7]
        #2    pc=24 depth=2 [s1=%9 s2=%6 s3=%9 s4=%10]
        #3    pc=28 depth=1 [s1=%9 s2=%6 s3=%13]
        #4    pc=4 depth=2 [s1=%16 s2=%17 s3=%17 s4=%16]
        #5    pc=14 depth=2 [s1=%16 s2=%18 s3=%16 s4=%7]
        #6    pc=28 depth=1 [s1=%19 s2=%18 s3=%20]
        #7    pc=0 depth=0 [s1=%16 s2=%17] loop
        twins %6=%18 %9=%19 %14=%21
        numbers 0x100010=int:1",
    );
}

#[test]
fn float_range_loop_mixes_int_counter_into_float_state() {
    use Observed::*;
    // for i in range(n): x = x * 0.5 + i   (locals: x=0, i=1; the iterator on the stack)
    let program = [
        ("FOR_ITER", 10),
        ("STORE_FAST", 1),
        ("LOAD_FAST", 0),
        ("LOAD_CONST", 0),
        ("BINARY_OP", 5),
        ("LOAD_FAST", 1),
        ("BINARY_OP", 0),
        ("STORE_FAST", 0),
        ("JUMP_BACKWARD", 12),
    ];
    let f = frame(vec![Float(1.0), Null], vec![RangeIter]);
    let trace = record(&program, &[float_const(0.5)], f, 0).unwrap();
    let body = trace.insts[trace.loop_ref().unwrap().index()..].to_vec();
    let text: Vec<String> = body.iter().map(|i| i.to_string()).collect();
    assert!(!text.iter().any(|t| t.starts_with("guard_type") || t.starts_with("unbox")), "{trace}");
    assert!(text.iter().any(|t| t.starts_with("fmul")) && text.iter().any(|t| t.starts_with("itof")), "{trace}");
    let phis = body.iter().filter(|i| matches!(i, Inst::Phi(..))).count();
    assert_eq!(phis, 2, "x and i are carried:\n{trace}");
    assert!(trace.verify().is_ok());
}

#[test]
fn instance_attributes_are_read_and_written_in_place_with_the_type_checked_once() {
    use Observed::*;
    // for i in range(n): p.x = p.x + 0.5   (locals: p=0, i=1; the iterator on the stack)
    let program = [
        ("FOR_ITER", 22),
        ("STORE_FAST", 1),
        ("LOAD_FAST", 0),
        ("LOAD_ATTR", 2),
        ("LOAD_CONST", 0),
        ("BINARY_OP", 0),
        ("LOAD_FAST", 0),
        ("STORE_ATTR", 1),
        ("JUMP_BACKWARD", 24),
    ];
    let mut f = frame(vec![Other("Particle".into()), Null], vec![RangeIter]);
    f.attrs = vec![Int(0), Float(1.0)];
    let trace = record(&program, &[float_const(0.5)], f, 0).unwrap();
    let text = trace.to_string();
    let body = &text[text.find("---- loop ----").expect("a loop")..];
    let versions = text.matches("type.version").count();
    assert_eq!(versions, 1, "one type check, in the pre-roll:\n{trace}");
    assert!(!body.contains("type.version") && !body.contains("instance.values"), "{trace}");
    assert!(body.contains("load_elem") && body.contains("store_elem"), "{trace}");
    // The attribute may have been deleted: its load is checked against NULL
    // (by a type guard, which also fails on NULL, where one follows).
    let load = body.lines().find(|l| l.contains("load_elem")).and_then(|l| l.split_whitespace().next()).unwrap();
    let checked = [format!("guard_not_null {load} "), format!("guard_type {load} ")];
    assert!(checked.iter().any(|c| body.contains(c.as_str())), "the value may be deleted:\n{trace}");
    assert!(text.contains(&format!("const {PARTICLE_VERSION}")), "{trace}");
    assert!(trace.verify().is_ok());
}

#[test]
fn unsupported_instruction_aborts_with_its_name() {
    use Observed::*;
    let program = [("END_FOR", 0), ("JUMP_BACKWARD", 1)];
    let err = record(&program, &[], frame(vec![Int(0)], vec![]), 0).unwrap_err();
    assert_eq!(err.reason.to_string(), "NYI: END_FOR");
    let returning = [("RETURN_VALUE", 0), ("JUMP_BACKWARD", 1)];
    let err = record(&returning, &[], frame(vec![Int(0)], vec![]), 0).unwrap_err();
    assert_eq!(err.reason, AbortReason::LeftLoop, "a return leaves the loop: no penalty");
    assert_eq!(err.pc, 0);
}

#[test]
fn overflow_seen_while_recording_aborts() {
    use Observed::*;
    // x = x * x with x large: the interpreter makes a big int, the trace an i64.
    let program = [("LOAD_FAST", 0), ("LOAD_FAST", 0), ("BINARY_OP", 5), ("STORE_FAST", 0), ("JUMP_BACKWARD", 6)];
    let err = record(&program, &[], frame(vec![Int(1 << 40)], vec![]), 0).unwrap_err();
    assert_eq!(err.reason, AbortReason::Diverged);
}

#[test]
fn type_unstable_loop_is_not_compiled() {
    use Observed::*;
    // x = x * 0.5 starting from an int: the end type (float) is not the start type.
    let program = [("LOAD_FAST", 0), ("LOAD_CONST", 0), ("BINARY_OP", 5), ("STORE_FAST", 0), ("JUMP_BACKWARD", 6)];
    let err = record(&program, &[float_const(0.5)], frame(vec![Int(3)], vec![]), 0).unwrap_err();
    assert_eq!(err.reason, AbortReason::TypeUnstable);
}

#[test]
fn leaving_the_loop_is_noticed_at_the_first_instruction_after_it() {
    use Observed::*;
    let mut program = INT_WHILE.to_vec();
    program.extend([("LOAD_FAST", 2), ("LOAD_FAST", 2), ("BINARY_OP", 0), ("STORE_FAST", 2)]);
    let err = record(&program, &[int_const(1)], frame(vec![Int(6), Int(5), Int(0)], vec![]), 0).unwrap_err();
    assert_eq!((err.reason, err.pc), (AbortReason::LeftLoop, 32));
}

#[test]
fn leaving_the_loop_while_recording_aborts() {
    use Observed::*;
    let err = record(INT_WHILE, &[int_const(1)], frame(vec![Int(6), Int(5), Int(0)], vec![]), 0).unwrap_err();
    assert_eq!(err.reason, AbortReason::LeftLoop, "i reaches n during the recorded iteration");
}

/// `while True: s += 1 if i < k else 2; i += 1` written with a jump over the
/// `else` (locals i, k, s).
const BRANCHY: &[(&str, u32)] = &[
    ("LOAD_FAST", 0),
    ("LOAD_FAST", 1),
    ("COMPARE_OP", 2),
    ("POP_JUMP_IF_FALSE", 6),
    ("LOAD_FAST", 2),
    ("LOAD_CONST", 0),
    ("BINARY_OP", 13),
    ("STORE_FAST", 2),
    ("JUMP_FORWARD", 5),
    ("LOAD_FAST", 2),
    ("LOAD_CONST", 1),
    ("BINARY_OP", 13),
    ("STORE_FAST", 2),
    ("LOAD_FAST", 0),
    ("LOAD_CONST", 0),
    ("BINARY_OP", 13),
    ("STORE_FAST", 0),
    ("JUMP_BACKWARD", 22),
];

#[test]
fn a_bridge_from_the_branch_guard_becomes_a_side_block_of_unboxed_code() {
    use crate::opt::bridge::attach;
    use Observed::*;
    let consts = [int_const(1), int_const(2)];
    let trace = record(BRANCHY, &consts, frame(vec![Int(0), Int(5), Int(0)], vec![]), 0).unwrap();
    let loop_at = trace.loop_ref().unwrap();
    let branch = trace
        .refs()
        .find(|&r| r > loop_at && matches!(trace.inst(r), Inst::GuardTrue(_, s) if trace.snap(*s).pc == 8))
        .expect("the body guards the branch");

    // The exit wrote i=7, k=5, s=12 and left the comparison's False on the stack.
    let code = loop_code(BRANCHY, &consts, 3);
    let mut exited = frame(vec![Int(7), Int(5), Int(12)], vec![Bool(false)]);
    let recorder = Recorder::new_bridge(code.clone(), 0, 0, 8, 1);
    let bridge = run_recorder(recorder, &code, &mut exited, 8).unwrap();

    let tree = attach(&trace, branch, &bridge).unwrap();
    assert_eq!(tree.verify(), Ok(()), "\n{tree}");
    let side_at = tree.refs().find(|&r| matches!(tree.inst(r), Inst::Side(_))).unwrap();
    let side: Vec<String> = tree.insts[side_at.index()..].iter().map(|i| i.to_string()).collect();
    assert!(
        !side.iter().any(|t| t.starts_with("guard_type") || t.starts_with("unbox") || t.starts_with("load_slot")),
        "{tree}"
    );
    assert_eq!(side.iter().filter(|t| t.starts_with("side_back")).count(), 2, "{tree}");
    assert!(side.iter().any(|t| t.starts_with("add_ov")), "{tree}");
}

#[test]
fn a_builtin_from_the_globals_is_a_constant_with_dependencies_and_compiles_inline() {
    use Observed::*;
    // for i in range(n): x += abs(i - 5)     (locals x, i; the iterator on the stack)
    let program = [
        ("FOR_ITER", 19),
        ("STORE_FAST", 1),
        ("LOAD_FAST", 0),
        ("LOAD_GLOBAL", 1),
        ("LOAD_FAST", 1),
        ("LOAD_CONST", 0),
        ("BINARY_OP", 10),
        ("CALL", 1),
        ("BINARY_OP", 13),
        ("STORE_FAST", 0),
        ("JUMP_BACKWARD", 21),
    ];
    let consts = [int_const(5)];
    let code = loop_code(&program, &consts, 2);
    let mut f = frame(vec![Int(0), Null], vec![RangeIter]);
    let recording = run_recorder(Recorder::new(code.clone(), 0, 1), &code, &mut f, 0).unwrap();
    assert_eq!(recording.deps, vec![GLOBALS, BUILTINS]);
    let trace = optimize(&recording).unwrap();
    let body: Vec<String> = trace.insts[trace.loop_ref().unwrap().index()..].iter().map(|i| i.to_string()).collect();
    assert!(body.iter().any(|t| t.starts_with("neg_ov")), "abs of the negative i - 5 negates:\n{trace}");
    assert!(!body.iter().any(|t| t.starts_with("guard_type") || t.contains("oconst 0xab5")), "{trace}");
}

#[test]
fn module_level_names_stored_in_the_loop_are_carried_like_locals() {
    use Observed::*;
    // for i in range(n): total += i      at module level: names i (1), total (2)
    let program = [
        ("FOR_ITER", 7),
        ("STORE_NAME", 1),
        ("LOAD_NAME", 2),
        ("LOAD_NAME", 1),
        ("BINARY_OP", 13),
        ("STORE_NAME", 2),
        ("JUMP_BACKWARD", 9),
    ];
    let code = loop_code(&program, &[], 0);
    let mut f = frame(vec![], vec![RangeIter]);
    f.names = vec![Null, Int(0), Int(0)];
    let recording = run_recorder(Recorder::new(code.clone(), 0, 1), &code, &mut f, 0).unwrap();
    let trace = optimize(&recording).unwrap();
    let loop_at = trace.loop_ref().unwrap();
    let body: Vec<String> = trace.insts[loop_at.index()..].iter().map(|i| i.to_string()).collect();
    assert!(!body.iter().any(|t| t.starts_with("load_name") || t.starts_with("guard_type")), "{trace}");
    let carried: Vec<String> = trace.snap(trace.loop_snap.unwrap()).entries.iter().map(|e| e.0.to_string()).collect();
    assert_eq!(carried, ["n1", "n2"], "{trace}");
    for r in trace.refs().skip(loop_at.index()) {
        if let Some(snap) = trace.inst(r).snap() {
            let slots: Vec<Slot> = trace.snap(snap).entries.iter().map(|e| e.0).collect();
            assert!(
                slots.contains(&Slot::name(1)) && slots.contains(&Slot::name(2)),
                "an exit at {r} must write the names back:\n{trace}"
            );
        }
    }
    assert!(trace.to_string().contains("load_name n2"), "{trace}");
    assert_eq!(parse_trace(&trace.to_string()).unwrap(), trace, "the text form round-trips name slots");
}

#[test]
fn exits_resume_at_the_extended_arg_prefix() {
    use Observed::*;
    // A `for` loop whose FOR_ITER needs an EXTENDED_ARG (its target is far away):
    // an exit must resume at the prefix, or CPython reads a truncated argument.
    let mut program = vec![("FOR_ITER", 300), ("STORE_FAST", 0), ("JUMP_BACKWARD", 5)];
    program.extend(std::iter::repeat_n(("NOP", 0), 300));
    let code = loop_code(&program, &[], 1);
    let mut f = frame(vec![Null], vec![RangeIter]);
    let recording = run_recorder(Recorder::new(code.clone(), 0, 1), &code, &mut f, 0).unwrap();
    let trace = optimize(&recording).unwrap();
    let for_iter_exits = trace.refs().filter_map(|r| trace.inst(r).snap().filter(|_| !release(trace.inst(r))));
    let pcs: Vec<u32> = for_iter_exits.map(|s| trace.snap(s).pc).collect();
    assert!(pcs.iter().all(|&pc| pc == 0), "every exit resumes at the EXTENDED_ARG at 0: {pcs:?}\n{trace}");
}

fn release(inst: &Inst) -> bool {
    matches!(inst, Inst::ReleaseSlot(..))
}

#[test]
fn stores_release_the_frame_value_they_replace_once_unless_it_is_a_guarded_number() {
    use Observed::*;
    // for i in range(n): x = i; x = i; t = t + i   (x, t, i; the iterator on the stack)
    let program = [
        ("FOR_ITER", 11),
        ("STORE_FAST", 2),
        ("LOAD_FAST", 2),
        ("STORE_FAST", 0),
        ("LOAD_FAST", 2),
        ("STORE_FAST", 0),
        ("LOAD_FAST", 1),
        ("LOAD_FAST", 2),
        ("BINARY_OP", 0),
        ("STORE_FAST", 1),
        ("JUMP_BACKWARD", 13),
    ];
    let code = loop_code(&program, &[], 3);
    let mut f = frame(vec![Other("Noisy".into()), Int(0), Int(0)], vec![RangeIter]);
    let recording = run_recorder(Recorder::new(code.clone(), 0, 1), &code, &mut f, 0).unwrap();
    let released: Vec<String> =
        recording.iteration.insts.iter().filter(|i| release(i)).map(|i| i.to_string()).collect();
    // x's object may be anything: released at its first store only; i and t
    // were read and guarded ints: nothing to release.
    assert_eq!(released, ["release_slot s2 #1", "release_slot s0 #2"], "{}", recording.iteration);
    let trace = optimize(&recording).unwrap();
    let body = trace.to_string().split("---- loop ----").nth(1).unwrap().to_string();
    assert!(!body.contains("release_slot"), "no generic instruction refills the frame:\n{trace}");
}

#[test]
fn variables_the_loop_keeps_as_one_object_share_one_phi() {
    use Observed::*;
    // for i in range(n): x = x * 0.5; y = x      (x, y, i; the iterator on the stack)
    let program = [
        ("FOR_ITER", 9),
        ("STORE_FAST", 2),
        ("LOAD_FAST", 0),
        ("LOAD_CONST", 0),
        ("BINARY_OP", 5),
        ("STORE_FAST", 0),
        ("LOAD_FAST", 0),
        ("STORE_FAST", 1),
        ("JUMP_BACKWARD", 11),
    ];
    let consts = [float_const(0.5)];
    let code = loop_code(&program, &consts, 3);
    let mut f = frame(vec![Float(3.0), Float(3.0), Null], vec![RangeIter]);
    let recording = run_recorder(Recorder::new(code.clone(), 0, 1), &code, &mut f, 0).unwrap();
    let trace = optimize(&recording).unwrap();
    let loop_snap = trace.snap(trace.loop_snap.unwrap());
    let x = loop_snap.entries.iter().find(|e| e.0 == Slot(0)).unwrap().1;
    let y = loop_snap.entries.iter().find(|e| e.0 == Slot(1)).unwrap().1;
    assert_eq!(x, y, "x and y are one object at every exit:\n{trace}");
}

/// `while x < y: x += 1` (loop A, locals x, y): what the loop B of the
/// programs below follows.
const WHILE_X_BELOW_Y: &[(&str, u32)] = &[
    ("LOAD_FAST", 0),
    ("LOAD_CONST", 0),
    ("BINARY_OP", 13),
    ("STORE_FAST", 0),
    ("LOAD_FAST", 0),
    ("LOAD_FAST", 1),
    ("COMPARE_OP", 2),
    ("POP_JUMP_IF_FALSE", 1),
    ("JUMP_BACKWARD", 11),
];

/// Loop A, then `while y: y -= 1` (loop B, whose header follows its first test).
fn two_while_loops() -> Vec<(&'static str, u32)> {
    let loop_b = [
        ("LOAD_FAST", 1),
        ("POP_JUMP_IF_FALSE", 8),
        ("LOAD_FAST", 1),
        ("LOAD_CONST", 0),
        ("BINARY_OP", 23),
        ("STORE_FAST", 1),
        ("LOAD_FAST", 1),
        ("POP_JUMP_IF_FALSE", 1),
        ("JUMP_BACKWARD", 8),
        ("LOAD_FAST", 0),
    ];
    [WHILE_X_BELOW_Y, &loop_b].concat()
}

#[test]
fn a_bridge_ends_at_the_header_of_a_while_loop_it_reaches() {
    use Observed::*;
    let code = loop_code(&two_while_loops(), &[int_const(1)], 2);
    assert_eq!(code.decoded.at(40).and_then(Instr::jump_target), Some(26), "B's back edge");
    // A's exit resumes at its end (offset 22) with x = 5, y = 3; B has no
    // trace, but its first back edge would end the recording anyway.
    let mut exited = frame(vec![Int(5), Int(3)], vec![]);
    let mut recorder = Recorder::new_bridge(code.clone(), 0, 0, 22, 0);
    recorder.set_links(Vec::new(), Vec::new());
    let bridge = run_recorder(recorder, &code, &mut exited, 22).unwrap();
    assert_eq!(bridge.link, Some((26, 0)));
    assert!(bridge.iteration.insts.iter().any(|i| matches!(i, Inst::GuardTrue(..))), "{}", bridge.iteration);
}

/// Loop A (local i too), then `for i in it: y -= 1` (loop B, over the
/// iterator on the stack below both).
fn while_then_for() -> Vec<(&'static str, u32)> {
    let loop_b = [
        ("FOR_ITER", 7),
        ("STORE_FAST", 2),
        ("LOAD_FAST", 1),
        ("LOAD_CONST", 0),
        ("BINARY_OP", 23),
        ("STORE_FAST", 1),
        ("JUMP_BACKWARD", 9),
        ("END_FOR", 0),
        ("LOAD_FAST", 0),
    ];
    [WHILE_X_BELOW_Y, &loop_b].concat()
}

#[test]
fn a_bridge_ends_at_the_header_of_a_for_loop_too_long_to_unroll() {
    use Observed::*;
    let code = loop_code(&while_then_for(), &[int_const(1)], 3);
    assert_eq!(code.decoded.at(38).and_then(Instr::jump_target), Some(22), "B's back edge");
    let bridge_from_a_exit = || {
        let mut recorder = Recorder::new_bridge(code.clone(), 0, 1, 22, 1);
        recorder.set_links(Vec::new(), Vec::new());
        (recorder, frame(vec![Int(5), Int(3), Null], vec![RangeIter]))
    };
    // Round B's body once, to its back edge.
    let record_one_turn_of_b = |recorder: &mut Recorder, f: &mut MiniFrame| {
        let mut pc = 22;
        while pc != 38 {
            assert!(matches!(recorder.step(pc, f), Step::Continue));
            pc = f.run(code.decoded.at(pc).unwrap(), &code.consts);
        }
        assert!(matches!(recorder.step(38, f), Step::Continue));
        assert_eq!(f.run(code.decoded.at(38).unwrap(), &code.consts), 22);
    };
    // A short B is unrolled: its header is no link.
    let (mut recorder, mut f) = bridge_from_a_exit();
    record_one_turn_of_b(&mut recorder, &mut f);
    assert!(matches!(recorder.step(22, &f), Step::Continue), "the next turn of B is recorded");
    // A long one ends the bridge at its header, where its back edge goes.
    let (mut recorder, mut f) = bridge_from_a_exit();
    record_one_turn_of_b(&mut recorder, &mut f);
    recorder.link_at(22);
    match recorder.step(22, &f) {
        Step::Closed(bridge) => {
            assert_eq!(bridge.link, Some((22, 1)));
            assert!(bridge.iteration.insts.iter().any(|i| matches!(i, Inst::ISubOv(..))), "{}", bridge.iteration);
        }
        _ => panic!("the bridge ends at B's header"),
    }
}

#[test]
fn a_bridge_makes_an_inner_loops_iterator_in_a_slot_its_path_emptied() {
    use Observed::*;
    // `if c: ...` then `for v in xs` (local 0), an outer loop's iterator
    // below: the bridge starts at the `if` with its condition on the stack,
    // in the slot the inner loop before it emptied.
    let program = [("POP_JUMP_IF_FALSE", 0), ("LOAD_FAST", 0), ("GET_ITER", 0), ("FOR_ITER", 3)];
    let code = loop_code(&program, &[], 1);
    let bridge = |emptied: &[Slot]| {
        let mut recorder = Recorder::new_bridge(code.clone(), 6, 2, 0, 2);
        recorder.start_emptied(emptied);
        run_recorder(recorder, &code, &mut frame(vec![List], vec![RangeIter, Bool(false)]), 0)
    };
    let recording = bridge(&[Slot(2)]).expect("the iterator goes where the last one was");
    assert!(
        recording.iteration.insts.iter().any(|i| matches!(i, Inst::GetIter(_, Slot(2), _))),
        "{}",
        recording.iteration
    );
    let refused = bridge(&[]).expect_err("the frame may still hold a reference there");
    assert_eq!(refused.reason, AbortReason::NotYetImplemented("GET_ITER".into()));
}

/// `while x < y: z = y; while z: z -= 1; x += 1` (locals x, y, z), the
/// inner loop's header following its first test.
const INNER_WHILE: &[(&str, u32)] = &[
    ("LOAD_FAST", 1),
    ("STORE_FAST", 2),
    ("LOAD_FAST", 2),
    ("POP_JUMP_IF_FALSE", 8),
    ("LOAD_FAST", 2),
    ("LOAD_CONST", 0),
    ("BINARY_OP", 23),
    ("STORE_FAST", 2),
    ("LOAD_FAST", 2),
    ("POP_JUMP_IF_FALSE", 1),
    ("JUMP_BACKWARD", 8),
    ("LOAD_FAST", 0),
    ("LOAD_CONST", 0),
    ("BINARY_OP", 13),
    ("STORE_FAST", 0),
    ("LOAD_FAST", 0),
    ("LOAD_FAST", 1),
    ("COMPARE_OP", 2),
    ("POP_JUMP_IF_FALSE", 1),
    ("JUMP_BACKWARD", 23),
    ("LOAD_FAST", 0),
];

fn record_inner_while(turns: i64, links: Vec<(u32, u32)>, short: Vec<u32>) -> Result<Recording, Abort> {
    record_inner_while_from(0, turns, links, short)
}

/// `record_inner_while` with the outer counter at `x` (the outer loop goes
/// on while `x + 1 < turns`).
fn record_inner_while_from(x: i64, turns: i64, links: Vec<(u32, u32)>, short: Vec<u32>) -> Result<Recording, Abort> {
    use Observed::*;
    let code = loop_code(INNER_WHILE, &[int_const(1)], 3);
    assert_eq!(code.decoded.at(22).and_then(Instr::jump_target), Some(8), "the inner back edge");
    assert_eq!(code.decoded.at(44).and_then(Instr::jump_target), Some(0), "the outer back edge");
    let mut recorder = Recorder::new(code.clone(), 0, 0);
    recorder.set_links(links, short);
    run_recorder(recorder, &code, &mut frame(vec![Int(x), Int(turns), Null], vec![]), 0)
}

#[test]
fn a_short_inner_loop_is_unrolled_into_the_trace() {
    let recording = record_inner_while(3, Vec::new(), Vec::new()).expect("the outer loop closes");
    let trace = &recording.iteration;
    let decrements = trace.insts.iter().filter(|i| matches!(i, Inst::ISubOv(..))).count();
    assert_eq!(decrements, 3, "one `z -= 1` per turn of the inner loop:\n{trace}");
    // Each turn's test is guarded: the next entry may turn another number of times.
    let guards = trace.insts.iter().filter(|i| matches!(i, Inst::GuardTrue(..) | Inst::GuardFalse(..))).count();
    assert!(guards >= 4, "{trace}");
}

#[test]
fn an_inner_loop_with_a_trace_of_its_own_is_not_unrolled_unless_short() {
    let refused = record_inner_while(3, vec![(8, 0)], Vec::new()).expect_err("its trace runs it");
    // Refused at the header, on the first turn, before its back edge.
    assert_eq!((refused.reason, refused.pc), (AbortReason::InnerLoop, 8));
    record_inner_while(3, vec![(8, 0)], vec![8]).expect("its trace ran too few turns per entry");
    // One turn reaches the header and leaves by the test before the back
    // edge, which would not refuse it.
    let refused = record_inner_while_from(-5, 1, vec![(8, 0)], Vec::new()).expect_err("its trace runs it");
    assert_eq!((refused.reason, refused.pc), (AbortReason::InnerLoop, 8));
    record_inner_while_from(-5, 1, Vec::new(), Vec::new()).expect("not compiled: one turn unrolled");
    record_inner_while_from(-5, 1, vec![(8, 0)], vec![8]).expect("its trace ran too few turns per entry");
}

#[test]
fn an_inner_loop_turning_past_the_unroll_limit_ends_the_recording() {
    let turns = i64::from(MAX_UNROLLED_BACK_EDGES);
    record_inner_while(turns, Vec::new(), Vec::new()).expect("within the limit");
    let refused = record_inner_while(turns + 2, Vec::new(), Vec::new()).expect_err("past the limit");
    assert_eq!(refused.reason, AbortReason::InnerLoop);
}

#[test]
fn a_bridge_unrolls_an_inner_while_loop_only_once_its_trace_proved_short() {
    use Observed::*;
    let code = loop_code(INNER_WHILE, &[int_const(1)], 3);
    // From an exit in the inner loop's body (z = 3 turns left) back to the
    // outer loop's header.
    let bridge = |short: Vec<u32>| {
        let mut recorder = Recorder::new_bridge(code.clone(), 0, 0, 8, 0);
        recorder.set_links(Vec::new(), short);
        run_recorder(recorder, &code, &mut frame(vec![Int(0), Int(2), Int(3)], vec![]), 8).unwrap()
    };
    assert_eq!(bridge(Vec::new()).link, Some((8, 0)), "ends at the inner loop's header");
    let unrolled = bridge(vec![8]);
    assert_eq!(unrolled.link, Option::None, "round the outer loop to its header");
    let decrements = unrolled.iteration.insts.iter().filter(|i| matches!(i, Inst::ISubOv(..))).count();
    assert_eq!(decrements, 3, "{}", unrolled.iteration);
}
