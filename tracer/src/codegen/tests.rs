//! Tests that compile traces from the text IR and run them on fake CPython
//! objects laid out as CPython 3.12 does on 64-bit hosts.

use super::*;
use crate::abi::Abi;
use crate::ir::parse_trace;

// ---------------------------------------------------------------------------
// The mock runtime.

// Fake type objects and singletons: only their addresses matter. Statics are
// distinct allocations, so the addresses differ.
static INT_TYPE: [u64; 4] = [0; 4];
/// Stands for the ints CPython caches, -5 to 256, 32 bytes each.
static SMALL_INTS: [u64; 262 * 4] = [0; 262 * 4];
static FLOAT_TYPE: [u64; 4] = [0; 4];
static BOOL_TYPE: [u64; 4] = [0; 4];
static NONE_TYPE: [u64; 4] = [0; 4];
static RANGE_ITER_TYPE: [u64; 4] = [0; 4];
static LIST_TYPE: [u64; 4] = [0; 4];
static TUPLE_TYPE: [u64; 4] = [0; 4];
static LIST_ITER_TYPE: [u64; 4] = [0; 4];
static LIST_REV_ITER_TYPE: [u64; 4] = [0; 4];
static STR_ITER_TYPE: [u64; 4] = [0; 4];
static STR_ASCII_ITER_TYPE: [u64; 4] = [0; 4];
static TUPLE_ITER_TYPE: [u64; 4] = [0; 4];
static ENUMERATE_TYPE: [u64; 4] = [0; 4];
static ZIP_TYPE: [u64; 4] = [0; 4];
static DICT_TYPE: [u64; 4] = [0; 4];
static STR_TYPE: [u64; 4] = [0; 4];
static DICT_KEY_ITER_TYPE: [u64; 4] = [0; 4];
static DICT_VALUE_ITER_TYPE: [u64; 4] = [0; 4];
static DICT_ITEM_ITER_TYPE: [u64; 4] = [0; 4];
static GENERATOR_TYPE: [u64; 4] = [0; 4];
static SET_TYPE: [u64; 4] = [0; 4];
static CELL_TYPE: [u64; 4] = [0; 4];

fn addr<T>(x: &T) -> u64 {
    x as *const T as u64
}

/// Lists in these tests are fake objects whose stores always decline (exit).
unsafe extern "C" fn mock_store_elem_obj(_list: *const u8, _index: i64, _value: *const u8) -> u8 {
    0
}

unsafe extern "C" fn mock_store_elem_int(_list: *const u8, _index: i64, _value: i64) -> u8 {
    0
}

unsafe extern "C" fn mock_store_elem_float(_list: *const u8, _index: i64, _value: f64) -> u8 {
    0
}

unsafe extern "C" fn mock_list_append_obj(_list: *const u8, _value: *const u8) -> u8 {
    0
}

unsafe extern "C" fn mock_list_append_int(_list: *const u8, _value: i64) -> u8 {
    0
}

unsafe extern "C" fn mock_list_append_float(_list: *const u8, _value: f64) -> u8 {
    0
}

thread_local! {
    /// What the mock `generic` saw (exit number, first snapshot value) per call.
    static GENERIC_CALLS: std::cell::RefCell<Vec<(u32, u64)>> = const { std::cell::RefCell::new(Vec::new()) };
}

unsafe extern "C" fn mock_dict_get(_dict: *const u8, _key: u64, _is_int: u64, _out: *mut u64) -> u8 {
    0
}

thread_local! {
    /// The membership searches made: (container, key, key is an i64).
    static CONTAINS_CALLS: std::cell::RefCell<Vec<(u64, u64, u64)>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Finds every key.
unsafe extern "C" fn mock_set_contains(set: *const u8, key: u64, is_int: u64, out: *mut u64) -> u8 {
    CONTAINS_CALLS.with(|c| c.borrow_mut().push((set as u64, key, is_int)));
    *out = 1;
    1
}

/// Gives up on every search.
unsafe extern "C" fn mock_seq_contains(seq: *const u8, key: u64, is_int: u64, _out: *mut u64) -> u8 {
    CONTAINS_CALLS.with(|c| c.borrow_mut().push((seq as u64, key, is_int)));
    0
}

unsafe extern "C" fn mock_set_add(_set: *const u8, _key: u64, _is_int: u64) -> u8 {
    0
}

unsafe extern "C" fn mock_dict_set(_dict: *const u8, _key: u64, _is_int: u64, _value: u64, _kind: u64) -> u8 {
    0
}

unsafe extern "C" fn mock_str_char(_s: *const u8, _index: i64, _out: *mut u64) -> u8 {
    0
}

unsafe extern "C" fn mock_str_ord(_s: *const u8, _out: *mut u64) -> u8 {
    0
}

thread_local! {
    /// The tuples and lists built: (list?, nargs, kinds, words).
    static BUILD_SEQS: std::cell::RefCell<Vec<(u64, u64, u64, [u64; 3])>> =
        const { std::cell::RefCell::new(Vec::new()) };
    /// Whether the mock `refill_result` declines.
    static DECLINE_REFILLS: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// What the mock `refill_result` was called with: iterator, count, kinds, words.
    static REFILLS: std::cell::RefCell<Vec<(u64, u64, u64, [u64; 3])>> =
        const { std::cell::RefCell::new(Vec::new()) };
    /// The method calls made: (callable, result kind, nargs, kinds, words).
    static METHOD_CALLS: std::cell::RefCell<Vec<(u64, u64, u64, u64, [u64; 3])>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// Fails for any f64 argument; otherwise answers `nargs * 1000 + kinds` (an
/// int), 1 (a bool) or its receiver (an object).
#[allow(clippy::too_many_arguments)]
unsafe extern "C" fn mock_call_method(
    callable: *const u8,
    result_kind: u64,
    nargs: u64,
    kinds: u64,
    a0: u64,
    a1: u64,
    a2: u64,
    out: *mut u64,
) -> u8 {
    METHOD_CALLS.with(|c| c.borrow_mut().push((callable as u64, result_kind, nargs, kinds, [a0, a1, a2])));
    if (0..nargs).any(|k| (kinds >> (2 * k)) & 3 == 2) {
        return 0;
    }
    *out = match result_kind {
        0 => a0,
        1 => nargs * 1000 + kinds,
        _ => 1,
    };
    1
}

/// Records its arguments; returns a fake object address (`0xb0` plus the
/// count), or NULL for a float item.
unsafe extern "C" fn mock_build_seq(list: u64, nargs: u64, kinds: u64, a0: u64, a1: u64, a2: u64) -> *const u8 {
    BUILD_SEQS.with(|c| c.borrow_mut().push((list, nargs, kinds, [a0, a1, a2])));
    if (0..nargs).any(|k| (kinds >> (2 * k)) & 3 == 2) {
        return std::ptr::null();
    }
    (0xb0 + nargs) as *const u8
}

/// Records its arguments; accepts (changing nothing) unless told to decline.
unsafe extern "C" fn mock_refill_result(iter: *const u8, nargs: u64, kinds: u64, a0: u64, a1: u64, a2: u64) -> u8 {
    REFILLS.with(|c| c.borrow_mut().push((iter as u64, nargs, kinds, [a0, a1, a2])));
    !DECLINE_REFILLS.with(|d| d.get()) as u8
}

/// Fake descriptor addresses, by `MethodId`.
fn mock_methods() -> Vec<u64> {
    (0..crate::methods::METHODS.len() as u64).map(|k| 0x1000 + k).collect()
}

thread_local! {
    /// Whether the mock `for_iter_end` finds iterators at their end.
    static ENDING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Empties the slot of a range iterator (kind 0) when `ENDING` says so.
unsafe extern "C" fn mock_for_iter_end(slot: *mut u64, kind: u64) -> u8 {
    if !ENDING.with(|e| e.get()) || kind != 0 {
        return 0;
    }
    *slot = 0;
    1
}

/// Fails: memory ran out.
unsafe extern "C" fn mock_get_iter(_slot: *mut u64, _nargs: u64, _a0: u64, _a1: u64, _a2: u64) -> *const u8 {
    std::ptr::null()
}

unsafe extern "C" fn mock_release_slot(_slot: *mut u64) -> u8 {
    1
}

thread_local! {
    /// The string helpers called: (name, first argument).
    static STR_CALLS: std::cell::RefCell<Vec<(&'static str, u64)>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Returns its first operand, and NULL (out of memory) on its third call.
unsafe extern "C" fn mock_str_concat(a: *const u8, _b: *const u8) -> *const u8 {
    let calls = STR_CALLS.with(|c| {
        c.borrow_mut().push(("concat", a as u64));
        c.borrow().iter().filter(|call| call.0 == "concat").count()
    });
    if calls < 3 {
        a
    } else {
        std::ptr::null()
    }
}

unsafe extern "C" fn mock_str_slice(_s: *const u8, _start: i64, _stop: i64) -> *const u8 {
    std::ptr::null()
}

unsafe extern "C" fn mock_int_to_str(_i: i64) -> *const u8 {
    std::ptr::null()
}

unsafe extern "C" fn mock_str_test(_a: *const u8, _b: *const u8) -> u8 {
    0
}

unsafe extern "C" fn mock_str_compare(_a: *const u8, _b: *const u8, _op: i64) -> u8 {
    0
}

unsafe extern "C" fn mock_release(obj: *const u8) -> u8 {
    STR_CALLS.with(|c| c.borrow_mut().push(("release", obj as u64)));
    0
}

unsafe extern "C" fn mock_dict_iter_next(_iter: *const u8, _out: *mut u64) -> u8 {
    0
}

/// Returns the object in the snapshot's first entry, and leaves on its third call.
unsafe extern "C" fn mock_generic(exit_buf: *mut u64, exit: u32) -> u32 {
    let first = *exit_buf;
    let calls = GENERIC_CALLS.with(|c| {
        c.borrow_mut().push((exit, first));
        c.borrow().len()
    });
    *exit_buf = first;
    u32::from(calls == 3)
}

/// No namespace in these tests has any name.
unsafe extern "C" fn mock_load_name(_dict: *const u8, _key: *const u8) -> *const u8 {
    std::ptr::null()
}

/// True, False and None: objects of the fake types, made once and leaked (a
/// static cannot hold the type's address as an integer).
fn singletons() -> [u64; 3] {
    static OBJS: std::sync::OnceLock<[u64; 3]> = std::sync::OnceLock::new();
    *OBJS.get_or_init(|| {
        let leak = |o: [u64; 5]| Box::leak(Box::new(o)).as_ptr() as u64;
        [
            leak([1, addr(&BOOL_TYPE), 1 << 3, 1, 0]),
            leak([1, addr(&BOOL_TYPE), 1, 0, 0]),
            leak([1, addr(&NONE_TYPE), 0, 0, 0]),
        ]
    })
}

pub(super) fn mock_abi() -> Abi {
    let [true_obj, false_obj, none_obj] = singletons();
    Abi {
        deopt_everything: false,
        // The test machines have glibc 2.28 or later; `pow_shortcuts_agree_with_pow`
        // checks the shortcuts this enables against its `pow`.
        pow_max_ulps: Some(0.54),
        ob_type: 8,
        long_tag: 16,
        long_digit: 24,
        float_value: 16,
        range_iter_start: 16,
        range_iter_step: 24,
        range_iter_len: 32,
        var_size: 16,
        list_items: 24,
        tuple_items: 24,
        result_tuple: 32,
        gc_next: -16,
        seq_iter_index: 16,
        seq_iter_seq: 24,
        enum_index: 16,
        enum_iter: 24,
        enum_long_index: 40,
        zip_size: 16,
        zip_iters: 24,
        zip_strict: 40,
        type_version: 136,
        cached_keys: 872,
        keys_count: 24,
        instance_values: -24,
        func_version: 136,
        cfunction_def: 16,
        cfunction_self: 24,
        int_type: addr(&INT_TYPE),
        small_int_zero: addr(&SMALL_INTS) + 5 * 32,
        small_int_stride: 32,
        float_type: addr(&FLOAT_TYPE),
        bool_type: addr(&BOOL_TYPE),
        none_type: addr(&NONE_TYPE),
        range_iter_type: addr(&RANGE_ITER_TYPE),
        list_type: addr(&LIST_TYPE),
        tuple_type: addr(&TUPLE_TYPE),
        list_iter_type: addr(&LIST_ITER_TYPE),
        list_rev_iter_type: addr(&LIST_REV_ITER_TYPE),
        str_iter_type: addr(&STR_ITER_TYPE),
        str_ascii_iter_type: addr(&STR_ASCII_ITER_TYPE),
        tuple_iter_type: addr(&TUPLE_ITER_TYPE),
        enumerate_type: addr(&ENUMERATE_TYPE),
        zip_type: addr(&ZIP_TYPE),
        dict_type: addr(&DICT_TYPE),
        str_type: addr(&STR_TYPE),
        dict_key_iter_type: addr(&DICT_KEY_ITER_TYPE),
        dict_value_iter_type: addr(&DICT_VALUE_ITER_TYPE),
        dict_item_iter_type: addr(&DICT_ITEM_ITER_TYPE),
        true_obj,
        false_obj,
        none_obj,
        frame_locals: -32,
        load_name: mock_load_name,
        store_elem_obj: mock_store_elem_obj,
        store_elem_int: mock_store_elem_int,
        store_elem_float: mock_store_elem_float,
        list_append_obj: mock_list_append_obj,
        list_append_int: mock_list_append_int,
        list_append_float: mock_list_append_float,
        generic: mock_generic,
        dict_get: mock_dict_get,
        dict_set: mock_dict_set,
        set_contains: mock_set_contains,
        seq_contains: mock_seq_contains,
        set_add: mock_set_add,
        set_type: addr(&SET_TYPE),
        cell_type: addr(&CELL_TYPE),
        set_used: 24,
        dict_used: 16,
        str_char: mock_str_char,
        str_char_new: mock_str_char,
        str_ord: mock_str_ord,
        for_iter_end: mock_for_iter_end,
        get_iter: mock_get_iter,
        dict_iter_next: mock_dict_iter_next,
        release_slot: mock_release_slot,
        str_concat: mock_str_concat,
        str_append: mock_str_concat,
        slice: mock_str_slice,
        int_to_str: mock_int_to_str,
        str_contains: mock_str_test,
        str_compare: mock_str_compare,
        release: mock_release,
        call_method: mock_call_method,
        call_method_on_numbers: mock_call_method,
        build_seq: mock_build_seq,
        refill_result: mock_refill_result,
        methods: mock_methods(),
        str_length: 16,
        generator_type: addr(&GENERATOR_TYPE),
        gen_state: 67,
        gen_code: 72,
        gen_prev_instr: 128,
        gen_localsplus: 144,
    }
}

/// A fake object: refcnt @0, type @8, payload from @16.
pub(super) type Obj = Box<[u64; 5]>;

pub(super) fn ptr(o: &Obj) -> *mut u8 {
    o.as_ptr() as *mut u8
}

/// An int: compact (one 30-bit digit) when it fits, else a 3-digit fake whose
/// value only the mock slow path knows.
pub(super) fn int_obj(v: i64) -> Obj {
    let sign = if v > 0 {
        0
    } else if v == 0 {
        1
    } else {
        2
    };
    // 30-bit digits, least significant first, packed as u32s from word 3.
    let mag = v.unsigned_abs();
    let digits: Vec<u64> = (0..3).map(|k| mag >> (30 * k) & 0x3fff_ffff).collect();
    let ndigits = (1..=3).rev().find(|&n| digits[n - 1] != 0).unwrap_or(0) as u64;
    Box::new([1, addr(&INT_TYPE), ndigits << 3 | sign, digits[0] | digits[1] << 32, digits[2]])
}

/// An int too big for an i64 (five digits).
pub(super) fn huge_int_obj() -> Obj {
    Box::new([1, addr(&INT_TYPE), 5 << 3, 1, 0])
}

pub(super) fn str_obj() -> Obj {
    Box::new([1, addr(&STR_TYPE), 0, 0, 0])
}

pub(super) fn float_obj(v: f64) -> Obj {
    Box::new([1, addr(&FLOAT_TYPE), v.to_bits(), 0, 0])
}

pub(super) fn range_iter_obj(start: i64, step: i64, len: i64) -> Obj {
    Box::new([1, addr(&RANGE_ITER_TYPE), start as u64, step as u64, len as u64])
}

pub(super) fn compile_text(text: &str) -> CompiledTrace {
    let trace = parse_trace(text).unwrap_or_else(|e| panic!("bad test trace: {e}"));
    compile(&trace, &mock_abi(), true).unwrap_or_else(|e| panic!("compile failed: {e}"))
}

/// Run the trace once; returns the exit number and the values it stored.
pub(super) fn run(ct: &CompiledTrace, frame: &mut [*mut u8], eval_breaker: i32) -> (usize, Vec<u64>) {
    let (n, buf, _) = run_counting(ct, frame, eval_breaker);
    (n, buf)
}

/// `run`, also returning the iterations completed in compiled code.
fn run_counting(ct: &CompiledTrace, frame: &mut [*mut u8], eval_breaker: i32) -> (usize, Vec<u64>, u64) {
    let mut buf = vec![0xdead_beef_u64; ct.exit_buf_len.max(1)];
    // SAFETY: the frame holds valid fake objects wherever the trace loads.
    let n = unsafe { (ct.entry())(frame.as_mut_ptr(), buf.as_mut_ptr(), &eval_breaker) } as usize;
    assert!(n < ct.exits.len(), "exit number {n} out of range");
    ct.gather(n, &mut buf);
    let iterations = buf[ct.iterations_word];
    buf.truncate(ct.exits[n].values.len());
    (n, buf, iterations)
}

/// The exit number of the instruction `%guard`.
pub(super) fn exit_at(ct: &CompiledTrace, guard: u32) -> usize {
    ct.exits.iter().position(|e| e.guard == Some(Ref(guard))).expect("no exit at that instruction")
}

pub(super) fn loop_exit(ct: &CompiledTrace) -> usize {
    ct.exits.iter().position(|e| e.guard.is_none()).expect("no loop exit")
}

// ---------------------------------------------------------------------------
// Loops.

/// `while i < n: i += 1` with i in slot 0 and n in slot 1.
const COUNT: &str = "
    trace header=4 depth=0 nlocalsplus=2
    %0 obj load_slot s0
    %1     guard_type %0 int #0
    %2 i64 unbox_int %0 #0
    %3 obj load_slot s1
    %4     guard_type %3 int #0
    %5 i64 unbox_int %3 #0
    %6 bool icmp lt %2 %5
    %7     guard_true %6 #0
    %8 i64 const 1
    %9 i64 add_ov %2 %8 #0
    %10 ---- loop ----
    %11 i64 phi %9 %14
    %12 bool icmp lt %11 %5
    %13    guard_true %12 #1
    %14 i64 add_ov %11 %8 #1
    #0 pc=4 depth=0 []
    #1 pc=20 depth=0 [s0=%11]
    #2 pc=4 depth=0 [s0=%11] loop
";

#[test]
fn counting_loop_exits_through_its_guard_after_n_iterations() {
    let ct = compile_text(COUNT);
    assert_eq!(ct.exits.len(), 9);
    assert_eq!((ct.exit_buf_len, ct.iterations_word), (2, 1), "one value, then the iteration count");
    assert_eq!(ct.exits[exit_at(&ct, 13)].values, vec![(Slot(0), Ty::I64)]);
    for (i, n) in [(0, 10), (-5, 1_000_000), (7, 8)] {
        let (a, b) = (int_obj(i), int_obj(n));
        let mut frame = [ptr(&a), ptr(&b)];
        let expected = (exit_at(&ct, 13), vec![n as u64], (n - i) as u64);
        assert_eq!(run_counting(&ct, &mut frame, 0), expected, "i={i} n={n}");
    }
    // Not even one iteration: the pre-roll's guard exits.
    let (a, b) = (int_obj(10), int_obj(3));
    assert_eq!(run_counting(&ct, &mut [ptr(&a), ptr(&b)], 0), (exit_at(&ct, 7), vec![], 0));
}

#[test]
fn type_guards_exit_on_other_types_and_null() {
    let ct = compile_text(COUNT);
    let (f, n) = (float_obj(1.0), int_obj(3));
    assert_eq!(run(&ct, &mut [ptr(&f), ptr(&n)], 0).0, exit_at(&ct, 1));
    assert_eq!(run(&ct, &mut [ptr(&n), std::ptr::null_mut()], 0).0, exit_at(&ct, 4));
}

#[test]
fn eval_breaker_exits_at_the_first_loop_top() {
    let ct = compile_text(COUNT);
    let (a, b) = (int_obj(0), int_obj(10));
    let exit = loop_exit(&ct);
    assert_eq!(ct.exits[exit].snap, SnapId(2));
    // The pre-roll ran once (i = 1) and the phi holds its value.
    assert_eq!(run(&ct, &mut [ptr(&a), ptr(&b)], 1), (exit, vec![1]));
}

#[test]
fn int_overflow_exits_with_the_values_before_it() {
    // x = 1; k = 0; while True: x *= 3; k += 1
    let ct = compile_text(
        "
        trace header=0 depth=0 nlocalsplus=2
        %0 obj load_slot s0
        %1     guard_type %0 int #0
        %2 i64 unbox_int %0 #0
        %3 obj load_slot s1
        %4     guard_type %3 int #0
        %5 i64 unbox_int %3 #0
        %6 i64 const 3
        %7 i64 const 1
        %8 i64 mul_ov %2 %6 #0
        %9 i64 add_ov %5 %7 #1
        %10 ---- loop ----
        %11 i64 phi %8 %14
        %12 i64 phi %9 %15
        %13 i64 const 3
        %14 i64 mul_ov %11 %13 #2
        %15 i64 add_ov %12 %7 #3
        #0 pc=0 depth=0 []
        #1 pc=2 depth=0 [s0=%8]
        #2 pc=0 depth=0 [s0=%11 s1=%12]
        #3 pc=2 depth=0 [s0=%14 s1=%12]
        #4 pc=0 depth=0 [s0=%11 s1=%12] loop
    ",
    );
    let (x, k) = (int_obj(1), int_obj(0));
    let (exit, vals) = run(&ct, &mut [ptr(&x), ptr(&k)], 0);
    assert_eq!(exit, exit_at(&ct, 14));
    assert_eq!(vals, vec![4052555153018976267, 39]); // 3**39, the last that fits
                                                     // The add overflows first when k starts near the top.
    let k = int_obj(i64::MAX - 5);
    let (exit, vals) = run(&ct, &mut [ptr(&x), ptr(&k)], 0);
    assert_eq!(exit, exit_at(&ct, 15));
    assert_eq!(vals, vec![3u64.pow(6), i64::MAX as u64]);
}

/// `for i in range(n): x = x * 0.5 + i` with x in slot 1, i in slot 2 and the
/// range iterator in stack slot 3, as the recorder produces it.
pub(super) const RANGE_FLOAT: &str = "
    trace header=28 depth=1 nlocalsplus=3
    %0 obj load_slot s3
    %1     guard_type %0 range_iterator #0
    %2 i64 load_field %0 range.len
    %3 i64 const 0
    %4 bool icmp gt %2 %3
    %5     guard_true %4 #0
    %6 i64 load_field %0 range.start
    %7 i64 load_field %0 range.step
    %8 i64 add_ov %6 %7 #0
    %9     store_field %0 range.start %8
    %10 i64 const 1
    %11 i64 sub_ov %2 %10 #0
    %12    store_field %0 range.len %11
    %13 obj load_slot s1
    %14    guard_type %13 float #1
    %15 f64 unbox_float %13
    %16 f64 fconst 0.5
    %17 f64 fmul %15 %16
    %18 f64 itof %6
    %19 f64 fadd %17 %18
    %20 ---- loop ----
    %21 f64 phi %19 %33
    %22 i64 phi %6 %26
    %23 i64 load_field %0 range.len
    %24 bool icmp gt %23 %3
    %25    guard_true %24 #2
    %26 i64 load_field %0 range.start
    %27 i64 add_ov %26 %7 #2
    %28    store_field %0 range.start %27
    %29 i64 sub_ov %23 %10 #2
    %30    store_field %0 range.len %29
    %31 f64 fmul %21 %16
    %32 f64 itof %26
    %33 f64 fadd %31 %32
    #0 pc=28 depth=1 []
    #1 pc=34 depth=1 [s2=%6]
    #2 pc=28 depth=1 [s1=%21 s2=%22]
    #3 pc=28 depth=1 [s1=%21 s2=%22] loop
";

#[test]
fn range_loop_with_float_phis() {
    let ct = compile_text(RANGE_FLOAT);
    let exit = exit_at(&ct, 25);
    assert_eq!(ct.exits[exit].values, vec![(Slot(1), Ty::F64), (Slot(2), Ty::I64)]);
    for n in [1i64, 2, 5, 1000] {
        let (it, x) = (range_iter_obj(0, 1, n), float_obj(3.0));
        let mut frame = [std::ptr::null_mut(), ptr(&x), std::ptr::null_mut(), ptr(&it)];
        let mut want = 3.0f64;
        for i in 0..n {
            want = want * 0.5 + i as f64;
        }
        let (got, vals) = run(&ct, &mut frame, 0);
        assert_eq!(got, exit, "n={n}");
        assert_eq!(vals, vec![want.to_bits(), (n - 1) as u64], "n={n}");
        // The iterator is exhausted: start moved past the end, len is 0.
        assert_eq!((it[2], it[3], it[4]), (n as u64, 1, 0));
    }
    // range(10, 0, -3): i = 10, 7, 4, 1.
    let (it, x) = (range_iter_obj(10, -3, 4), float_obj(0.0));
    let mut frame = [std::ptr::null_mut(), ptr(&x), std::ptr::null_mut(), ptr(&it)];
    let want = [10.0, 7.0, 4.0, 1.0].iter().fold(0.0f64, |x, i| x * 0.5 + i);
    assert_eq!(run(&ct, &mut frame, 0), (exit, vec![want.to_bits(), 1]));
    assert_eq!(it[2] as i64, -2);
    // An empty range exits in the pre-roll; x is not a float: the float guard.
    let (it, x) = (range_iter_obj(0, 1, 0), float_obj(0.0));
    assert_eq!(run(&ct, &mut [std::ptr::null_mut(), ptr(&x), std::ptr::null_mut(), ptr(&it)], 0).0, exit_at(&ct, 5));
    let (it, x) = (range_iter_obj(0, 1, 3), int_obj(1));
    let (got, vals) = run(&ct, &mut [std::ptr::null_mut(), ptr(&x), std::ptr::null_mut(), ptr(&it)], 0);
    assert_eq!((got, vals), (exit_at(&ct, 14), vec![0]));
}

#[test]
fn unbox_int_handles_negative_compact_and_multi_digit_ints() {
    let ct = compile_text(
        "
        trace header=0 depth=0 nlocalsplus=1
        %0 obj load_slot s0
        %1 i64 unbox_int %0 #0
        %2 ---- loop ----
        %3 bconst false
        %4     guard_true %3 #1
        #0 pc=0 depth=0 []
        #1 pc=2 depth=0 [s1=%1]
        #2 pc=0 depth=0 [] loop
    ",
    );
    let done = exit_at(&ct, 4);
    let edges = [(1 << 60) - 1, 1 << 60, -(1 << 60), i64::MAX - 1, i64::MIN + 1];
    for v in [0, 1, -1, 5, -7, (1 << 30) - 1, -(1 << 30) + 1, 1 << 30, -(1 << 40), i64::MAX, i64::MIN]
        .into_iter()
        .chain(edges)
    {
        let o = int_obj(v);
        assert_eq!(run(&ct, &mut [ptr(&o)], 0), (done, vec![v as u64]), "{v}");
    }
    // Three digits past i64 (2**63 positive, 2**63 + 1 negative, a top digit
    // of 9) and more than three digits leave.
    let three_digits =
        |sign: u64, low: u64, top: u64| -> Obj { Box::new([1, addr(&INT_TYPE), 3 << 3 | sign, low, top]) };
    for o in [three_digits(0, 0, 8), three_digits(2, 1, 8), three_digits(0, 0, 9), huge_int_obj()] {
        assert_eq!(run(&ct, &mut [ptr(&o)], 0), (exit_at(&ct, 1), vec![]));
    }
}

/// The unboxing of a long int calls its helper through a trampoline that
/// clobbers no register: floats live across it stay in registers (no stack
/// slot holds one) and keep their values.
#[test]
fn floats_live_across_a_long_int_s_unboxing_stay_in_registers() {
    let ct = compile_text(
        "
        trace header=0 depth=0 nlocalsplus=5
        %0 obj load_slot s0
        %1     guard_type %0 float #0
        %2 f64 unbox_float %0
        %3 f64 fmul %2 %2
        %4 f64 fadd %2 %3
        %5 obj load_slot s1
        %6 i64 unbox_int %5 #0
        %7 ---- loop ----
        %8 bconst false
        %9     guard_true %8 #1
        #0 pc=0 depth=0 []
        #1 pc=2 depth=0 [s0=%2 s2=%3 s3=%4 s4=%6]
        #2 pc=0 depth=0 [] loop
    ",
    );
    let disasm = ct.disasm.as_deref().expect("asked for a disassembly");
    let spilled: Vec<&str> = disasm.lines().filter(|l| l.contains("rsp") && l.contains("xmm")).collect();
    assert!(spilled.is_empty(), "floats in stack slots: {spilled:?}\n{disasm}");
    let x = float_obj(1.5);
    for v in [7, 1 << 40, -(1 << 61) - 3] {
        let o = int_obj(v);
        let (exit, values) = run(&ct, &mut [ptr(&x), ptr(&o)], 0);
        assert_eq!(exit, exit_at(&ct, 9), "{v}");
        let floats: Vec<f64> = values[..3].iter().map(|&bits| f64::from_bits(bits)).collect();
        assert_eq!((floats, values[3]), (vec![1.5, 2.25, 3.75], v as u64), "{v}");
    }
}

/// A guard's exit stores the value its condition had, false for
/// `guard_true` and true for `guard_false`: the loop does not make the bool
/// it branches on (a `setcc`). A local holding the condition (which a
/// shared exit block may store) gets its value as computed.
#[test]
fn a_guard_s_exit_knows_its_condition() {
    for (cmp, guard, truth) in [("lt", "guard_true", 0), ("ge", "guard_false", 1)] {
        for local in ["", "s1=%9"] {
            let text = format!(
                "
                trace header=4 depth=0 nlocalsplus=2
                %0 obj load_slot s0
                %1     guard_type %0 int #0
                %2 i64 unbox_int %0 #0
                %3 obj load_slot s1
                %4     guard_type %3 int #0
                %5 i64 unbox_int %3 #0
                %6 i64 const 1
                %7 ---- loop ----
                %8 i64 phi %2 %11
                %9 bool icmp {cmp} %8 %5
                %10    {guard} %9 #1
                %11 i64 add_ov %8 %6 #2
                #0 pc=4 depth=0 []
                #1 pc=20 depth=1 [s0=%8 {local} s2=%9]
                #2 pc=24 depth=0 [s0=%8]
                #3 pc=4 depth=0 [s0=%8] loop"
            );
            let ct = compile_text(&text);
            let disasm = ct.disasm.as_deref().expect("asked for a disassembly");
            let done = exit_at(&ct, 10);
            let (a, b) = (int_obj(0), int_obj(5));
            let (exit, values) = run(&ct, &mut [ptr(&a), ptr(&b)], 0);
            let want = if local.is_empty() { vec![5, truth] } else { vec![5, truth, truth] };
            assert_eq!((exit, values), (done, want), "{guard} {local}\n{disasm}");
            if local.is_empty() {
                // `seto` is add_ov's overflow check.
                let makes_bool = disasm.lines().any(|l| l.trim().starts_with("set") && !l.contains("seto"));
                assert!(!makes_bool, "{guard} makes its bool:\n{disasm}");
            }
        }
    }
}

#[test]
fn exit_values_of_every_type() {
    let ct = compile_text(
        "
        trace header=0 depth=0 nlocalsplus=4
        %0 obj load_slot s0
        %1 obj null
        %2 bool bconst true
        %3 bool unbox_bool %0
        %4 f64 fconst -0.0
        %5 i64 const -2
        %6 obj oconst 0x1234
        %7 bool is %0 %6
        %8 ---- loop ----
        %9 bconst false
        %10    guard_true %9 #0
        #0 pc=2 depth=0 [s0=%0 s1=%1 s2=%2 s3=%3 s4=%4 s5=%5 s6=%7]
        #1 pc=0 depth=0 [] loop
    ",
    );
    let abi = mock_abi();
    let mut frame = [abi.true_obj as *mut u8];
    let want = vec![abi.true_obj, 0, 1, 1, (-0.0f64).to_bits(), -2i64 as u64, 0];
    assert_eq!(run(&ct, &mut frame, 0), (exit_at(&ct, 10), want));
    let tys: Vec<Ty> = ct.exits[exit_at(&ct, 10)].values.iter().map(|v| v.1).collect();
    assert_eq!(tys, [Ty::Obj, Ty::Obj, Ty::Bool, Ty::Bool, Ty::F64, Ty::I64, Ty::Bool]);
    let mut frame = [abi.false_obj as *mut u8];
    assert_eq!(run(&ct, &mut frame, 0).1[3], 0);
}

#[test]
fn phis_swap_in_parallel() {
    // a, b = b, a + b (Fibonacci) until a exceeds the limit in slot 2.
    let ct = compile_text(
        "
        trace header=0 depth=0 nlocalsplus=3
        %0 obj load_slot s2
        %1 i64 unbox_int %0 #0
        %2 i64 const 0
        %3 i64 const 1
        %4 ---- loop ----
        %5 i64 phi %2 %6
        %6 i64 phi %3 %8
        %7 bool icmp gt %5 %1
        %8 i64 add_ov %5 %6 #1
        %9     guard_false %7 #1
        #0 pc=0 depth=0 []
        #1 pc=8 depth=0 [s0=%5 s1=%6]
        #2 pc=0 depth=0 [s0=%5 s1=%6] loop
    ",
    );
    let limit = int_obj(100);
    assert_eq!(
        run(&ct, &mut [std::ptr::null_mut(), std::ptr::null_mut(), ptr(&limit)], 0),
        (exit_at(&ct, 9), vec![144, 233])
    );
}

#[test]
fn generic_instructions_pass_their_snapshot_and_leave_when_told() {
    // Each iteration hands s0 to the runtime and guards the object it returns.
    let ct = compile_text(
        "
        trace header=0 depth=0 nlocalsplus=1
        %0 obj load_slot s0
        %1 obj generic #0
        %2     guard_type %1 int #0
        %3 ---- loop ----
        %4 obj generic #1
        %5     guard_type %4 int #1
        #0 pc=0 depth=1 [s1=%0]
        #1 pc=0 depth=1 [s1=%0]
        #2 pc=0 depth=0 [] loop
    ",
    );
    let one = int_obj(1);
    GENERIC_CALLS.with(|c| c.borrow_mut().clear());
    let (exit, _, iterations) = run_counting(&ct, &mut [ptr(&one)], 0);
    assert_eq!(exit, exit_at(&ct, 4), "the third call says leave");
    assert_eq!(iterations, 2, "the pre-roll and one iteration of the body completed");
    let calls = GENERIC_CALLS.with(|c| c.borrow().clone());
    let body_exit = exit_at(&ct, 4) as u32;
    let seen: Vec<(u32, u64)> =
        vec![(exit_at(&ct, 1) as u32, ptr(&one) as u64), (body_exit, ptr(&one) as u64), (body_exit, ptr(&one) as u64)];
    assert_eq!(calls, seen);
    // A result of another type fails the guard after the call.
    let f = float_obj(1.0);
    GENERIC_CALLS.with(|c| c.borrow_mut().clear());
    assert_eq!(run(&ct, &mut [ptr(&f)], 0).0, exit_at(&ct, 2));
}

#[test]
fn generic_below_reads_the_second_word_the_runtime_leaves() {
    // The mock leaves the snapshot's words as they are: the result is s0's
    // object, the value under it s1's.
    let ct = compile_text(
        "
        trace header=0 depth=0 nlocalsplus=2
        %0 obj load_slot s0
        %1 obj load_slot s1
        %2 ---- loop ----
        %3 obj generic #0
        %4 obj generic_below %3
        %5     guard_type %4 float #1
        %6     guard_type %3 int #1
        #0 pc=0 depth=2 [s2=%0 s3=%1]
        #1 pc=0 depth=0 []
        #2 pc=0 depth=0 [] loop
    ",
    );
    let (one, half) = (int_obj(1), float_obj(0.5));
    GENERIC_CALLS.with(|c| c.borrow_mut().clear());
    let (exit, _, iterations) = run_counting(&ct, &mut [ptr(&one), ptr(&half)], 0);
    // The (empty) pre-roll and two runs of the body complete.
    assert_eq!((exit, iterations), (exit_at(&ct, 3), 3), "both guards pass until the third call leaves");
    GENERIC_CALLS.with(|c| c.borrow_mut().clear());
    assert_eq!(run(&ct, &mut [ptr(&half), ptr(&one)], 0).0, exit_at(&ct, 5), "the value under is s1's int");
}

#[test]
fn made_strings_are_released_and_leave_when_memory_runs_out() {
    let ct = compile_text(
        "trace header=0 depth=0 nlocalsplus=2
         %0 obj load_slot s0
         %1 obj load_slot s1
         %2 obj str_concat %0 %1 #0
         %3     release %2
         %4     ---- loop ----
         %5 obj str_concat %0 %1 #1
         %6     release %5
         #0 pc=0 depth=0 []
         #1 pc=2 depth=0 [s1=%0]
         #2 pc=0 depth=0 [] loop",
    );
    let (a, b) = (str_obj(), str_obj());
    let mut frame = vec![ptr(&a), ptr(&b)];
    STR_CALLS.with(|c| c.borrow_mut().clear());
    let (n, buf) = run(&ct, &mut frame, 0);
    assert_eq!(n, exit_at(&ct, 5), "the third concatenation fails");
    assert_eq!(buf, vec![ptr(&a) as u64]);
    let a = ptr(&a) as u64;
    let calls = STR_CALLS.with(|c| c.borrow().clone());
    let expected = [("concat", a), ("release", a), ("concat", a), ("release", a), ("concat", a)];
    assert_eq!(calls, expected);
}

#[test]
fn releases_count_down_inline_skip_immortals_and_free_through_the_runtime() {
    let ct = compile_text(
        "trace header=0 depth=0 nlocalsplus=1
         %0 obj load_slot s0
         %1     release %0
         %2     ---- loop ----
         #0 pc=0 depth=0 []
         #1 pc=0 depth=0 [] loop",
    );
    let immortal = 0xffff_ffffu64;
    for (count, after, freed) in [(3, 2, false), (immortal, immortal, false), (1, 1, true)] {
        let obj: Obj = Box::new([count, addr(&STR_TYPE), 0, 0, 0]);
        STR_CALLS.with(|c| c.borrow_mut().clear());
        run(&ct, &mut [ptr(&obj)], 1);
        let calls = STR_CALLS.with(|c| c.borrow().clone());
        assert_eq!((obj[0], calls == [("release", ptr(&obj) as u64)]), (after, freed), "count {count:#x}");
    }
}

#[test]
fn method_calls_pass_each_argument_with_its_kind_and_convert_the_result() {
    let ct = compile_text(
        "trace header=0 depth=0 nlocalsplus=2
         %0 obj load_slot s0
         %1 i64 const 5
         %2     ---- loop ----
         %3 i64 call_method str.count %0 %1 #0
         %4 bool call_method str.endswith %0 %0 #0
         %5     guard_false %4 #1
         #0 pc=0 depth=0 []
         #1 pc=2 depth=0 [s1=%3]
         #2 pc=0 depth=0 [] loop",
    );
    let s = str_obj();
    METHOD_CALLS.with(|c| c.borrow_mut().clear());
    let (n, buf) = run(&ct, &mut [ptr(&s), std::ptr::null_mut()], 0);
    assert_eq!(n, exit_at(&ct, 5), "endswith answered true");
    // Two arguments, the second an i64 (kind 1 in bits 2..4).
    assert_eq!(buf, vec![2004]);
    let receiver = ptr(&s) as u64;
    let count = crate::methods::MethodId::find(crate::ir::PyType::Str, "count").unwrap();
    let endswith = crate::methods::MethodId::find(crate::ir::PyType::Str, "endswith").unwrap();
    let expected = vec![
        (0x1000 + count.0 as u64, 1, 2, 4, [receiver, 5, 0]),
        (0x1000 + endswith.0 as u64, 2, 2, 0, [receiver, receiver, 0]),
    ];
    assert_eq!(METHOD_CALLS.with(|c| c.borrow().clone()), expected);

    let failing = compile_text(
        "trace header=0 depth=0 nlocalsplus=1
         %0 obj load_slot s0
         %1 f64 fconst 1.5
         %2     ---- loop ----
         %3 obj call_method str.zfill %0 %1 #0
         %4     release %3
         #0 pc=0 depth=0 []
         #1 pc=0 depth=0 [] loop",
    );
    assert_eq!(run(&failing, &mut [ptr(&s)], 0).0, exit_at(&failing, 3), "a call that raises leaves before it");
}

#[test]
fn builtin_functions_take_an_unboxed_argument() {
    let ct = compile_text(
        "trace header=0 depth=0 nlocalsplus=1
         %0 i64 const 65
         %1 obj call_method chr %0 #0
         %2     ---- loop ----
         #0 pc=0 depth=0 []
         #1 pc=0 depth=0 [] loop",
    );
    METHOD_CALLS.with(|c| c.borrow_mut().clear());
    let (n, _) = run(&ct, &mut [std::ptr::null_mut()], 1);
    assert_eq!(n, loop_exit(&ct));
    let chr = crate::methods::MethodId::from_qualified_name("chr").unwrap();
    assert_eq!(METHOD_CALLS.with(|c| c.borrow().clone()), vec![(0x1000 + chr.0 as u64, 0, 1, 1, [65, 0, 0])]);
}

#[test]
fn tuples_and_lists_are_built_by_the_helper_from_words_and_kinds() {
    let ct = compile_text(
        "trace header=0 depth=0 nlocalsplus=2
         %0 obj load_slot s0
         %1 i64 const 7
         %2 bool bconst true
         %3 f64 fconst 0.5
         %4     ---- loop ----
         %5 obj build_tuple %0 %1 %2 #0
         %6 obj build_list #0
         %7 obj build_list %3 #1
         #0 pc=0 depth=0 []
         #1 pc=4 depth=0 [s1=%5 s2=%6]
         #2 pc=0 depth=0 [] loop",
    );
    let s = str_obj();
    BUILD_SEQS.with(|c| c.borrow_mut().clear());
    let (n, buf) = run(&ct, &mut [ptr(&s), std::ptr::null_mut()], 0);
    assert_eq!(n, exit_at(&ct, 7), "boxing a float fails in the mock: leave before the list");
    assert_eq!(buf, vec![0xb3, 0xb0], "the exit holds what the helper made");
    let true_obj = mock_abi().true_obj;
    let expected = vec![
        (0, 3, 0b00_01_00, [ptr(&s) as u64, 7, true_obj]),
        (1, 0, 0, [0, 0, 0]),
        (1, 1, 2, [0.5f64.to_bits(), 0, 0]),
    ];
    assert_eq!(BUILD_SEQS.with(|c| c.borrow().clone()), expected);
}

#[test]
fn sets_are_searched_by_their_helper_and_lists_and_tuples_by_theirs() {
    let ct = compile_text(
        "trace header=0 depth=0 nlocalsplus=2
         %0 obj load_slot s0
         %1 obj load_slot s1
         %2 i64 const 7
         %3     ---- loop ----
         %4 bool set_contains %0 %2 #0
         %5     guard_true %4 #0
         %6 bool tuple_contains %1 %0 #0
         #0 pc=0 depth=0 []
         #1 pc=0 depth=0 [] loop",
    );
    let (set, tuple) = (str_obj(), int_obj(1));
    CONTAINS_CALLS.with(|c| c.borrow_mut().clear());
    let (n, _) = run(&ct, &mut [ptr(&set), ptr(&tuple)], 0);
    assert_eq!(n, exit_at(&ct, 6), "the set finds the key; the tuple search gives up and leaves");
    let expected = vec![(ptr(&set) as u64, 7, 1), (ptr(&tuple) as u64, ptr(&set) as u64, 0)];
    assert_eq!(CONTAINS_CALLS.with(|c| c.borrow().clone()), expected);
}

#[test]
fn a_str_iterator_guard_takes_both_of_a_strs_iterator_types() {
    let ct = compile_text(
        "trace header=0 depth=0 nlocalsplus=1
         %0 obj load_slot s0
         %1     guard_type %0 str_iterator #0
         %2     ---- loop ----
         #0 pc=0 depth=0 []
         #1 pc=0 depth=0 [] loop",
    );
    let of_type = |t: &'static [u64; 4]| -> Obj { Box::new([1, addr(t), 0, 0, 0]) };
    for (it, passes) in [(of_type(&STR_ITER_TYPE), true), (of_type(&STR_ASCII_ITER_TYPE), true), (str_obj(), false)] {
        let (n, _) = run(&ct, &mut [ptr(&it)], 1);
        assert_eq!(n, if passes { loop_exit(&ct) } else { exit_at(&ct, 1) });
    }
}

#[test]
fn inner_loops_end_and_start_through_the_frame_slot_or_leave() {
    let ct = compile_text(
        "trace header=0 depth=1 nlocalsplus=1
         %0 i64 const 3
         %1     for_iter_end range_iterator s1 #0
         %2 obj get_iter s1 %0 %0 %0 #1
         %3     ---- loop ----
         #0 pc=0 depth=1 []
         #1 pc=8 depth=0 []
         #2 pc=0 depth=1 [] loop",
    );
    let it = range_iter_obj(0, 1, 0);
    let mut frame = [std::ptr::null_mut(), ptr(&it)];
    assert_eq!(run(&ct, &mut frame, 1).0, exit_at(&ct, 1), "the mock's iterator is never at its end");
    ENDING.with(|e| e.set(true));
    let (n, _) = run(&ct, &mut frame, 1);
    ENDING.with(|e| e.set(false));
    assert_eq!(n, exit_at(&ct, 2), "ended; making the next iterator fails in the mock");
    assert!(frame[1].is_null(), "the slot was emptied");
}

#[test]
fn proven_guards_check_nothing() {
    let text = |proven: &str| {
        format!(
            "trace header=0 depth=0 nlocalsplus=1
             %0 obj load_slot s0
             %1     guard_type %0 list #0
             %2     ---- loop ----
             #0 pc=0 depth=0 []
             #1 pc=0 depth=0 [] loop
             {proven}"
        )
    };
    let s = str_obj();
    let checked = compile_text(&text(""));
    assert_eq!(run(&checked, &mut [ptr(&s)], 1).0, exit_at(&checked, 1), "a str is not a list");
    let proven = compile_text(&text("proven %1"));
    assert_eq!(run(&proven, &mut [ptr(&s)], 1).0, loop_exit(&proven), "not checked");
}

#[test]
fn compile_rejects_malformed_traces() {
    let abi = mock_abi();
    let no_loop = parse_trace("trace header=0 depth=0 nlocalsplus=1\n%0 const 1").unwrap();
    assert!(compile(&no_loop, &abi, false).unwrap_err().contains("no loop"));
    let no_snap = parse_trace("trace header=0 depth=0 nlocalsplus=1\n%0 ---- loop ----").unwrap();
    assert!(compile(&no_snap, &abi, false).unwrap_err().contains("loop snapshot"));
    let bad_type = "trace header=0 depth=0 nlocalsplus=1\n%0 const 1\n%1 fconst 1.0\n%2 fadd %0 %1\n%3 ---- loop ----\n#0 pc=0 depth=0 [] loop";
    assert!(compile(&parse_trace(bad_type).unwrap(), &abi, false).unwrap_err().contains("expected F64"));
    let late = "trace header=0 depth=0 nlocalsplus=1\n%0 ---- loop ----\n%1 const 1\n%2 neg_ov %1 #0\n#0 pc=0 depth=0 [s0=%2]\n#1 pc=0 depth=0 [] loop";
    assert!(compile(&parse_trace(late).unwrap(), &abi, false).unwrap_err().contains("not yet defined"));
    let body_in_loop_snap =
        "trace header=0 depth=0 nlocalsplus=1\n%0 ---- loop ----\n%1 const 1\n#0 pc=0 depth=0 [s0=%1] loop";
    assert!(compile(&parse_trace(body_in_loop_snap).unwrap(), &abi, false).unwrap_err().contains("loop top"));
}

#[test]
fn dropping_compiled_traces_frees_their_code() {
    // Many compile/drop cycles must neither leak nor disturb live traces.
    let keep = compile_text(COUNT);
    for _ in 0..50 {
        drop(compile_text(RANGE_FLOAT));
    }
    let (a, b) = (int_obj(0), int_obj(3));
    assert_eq!(run(&keep, &mut [ptr(&a), ptr(&b)], 0), (exit_at(&keep, 13), vec![3]));
}

/// Compile-time figures; run with
/// `cargo test --release -p hotloop-tracer compile_time -- --ignored --nocapture`.
#[test]
#[ignore]
fn compile_time() {
    let trace = parse_trace(RANGE_FLOAT).unwrap();
    let abi = mock_abi();
    let t = std::time::Instant::now();
    drop(compile(&trace, &abi, false).unwrap()); // also builds the cached ISA
    let first = t.elapsed();
    let median = |disasm: bool| {
        let mut times: Vec<_> = (0..200)
            .map(|_| {
                let t = std::time::Instant::now();
                drop(compile(&trace, &abi, disasm).unwrap());
                t.elapsed()
            })
            .collect();
        times.sort();
        times[100]
    };
    let (plain, with_disasm) = (median(false), median(true));
    eprintln!("compile RANGE_FLOAT: first {first:?}, median {plain:?}, with disasm {with_disasm:?}");
    assert!(cfg!(debug_assertions) || plain.as_millis() < 10);
}

/// `while i < n: s += 1 if i < k else 2; i += 1` (slots: i, n, s, k) with the
/// `else` path as a side block of the guard at %19.
const BRANCHY: &str = "
    trace header=0 depth=0 nlocalsplus=4
    %0 obj load_slot s0
    %1     guard_type %0 int #0
    %2 i64 unbox_int %0 #0
    %3 obj load_slot s1
    %4     guard_type %3 int #0
    %5 i64 unbox_int %3 #0
    %6 obj load_slot s2
    %7     guard_type %6 int #0
    %8 i64 unbox_int %6 #0
    %9 obj load_slot s3
    %10    guard_type %9 int #0
    %11 i64 unbox_int %9 #0
    %12 i64 const 1
    %13 ---- loop ----
    %14 i64 phi %2 %21
    %15 i64 phi %8 %20
    %16 bool icmp lt %14 %5
    %17    guard_true %16 #1
    %18 bool icmp lt %14 %11
    %19    guard_true %18 #2
    %20 i64 add_ov %15 %12 #2
    %21 i64 add_ov %14 %12 #2
    %22 ---- side %19 ----
    %23 i64 const 2
    %24 i64 add_ov %15 %23 #2
    %25 i64 add_ov %14 %12 #2
    %26 side_back %14 %25
    %27 side_back %15 %24
    #0 pc=0 depth=0 []
    #1 pc=10 depth=0 [s0=%14 s2=%15]
    #2 pc=20 depth=0 [s0=%14 s2=%15]
    #3 pc=0 depth=0 [s0=%14 s2=%15] loop
";

#[test]
fn side_blocks_take_the_other_branch_without_exiting() {
    let ct = compile_text(BRANCHY);
    assert!(ct.exits.iter().all(|e| e.guard != Some(Ref(19))), "the guard continues into its side block");
    let (i, n, s, k) = (int_obj(0), int_obj(10), int_obj(0), int_obj(3));
    let mut frame = [ptr(&i), ptr(&n), ptr(&s), ptr(&k)];
    // Three iterations add 1, seven take the side block and add 2.
    assert_eq!(run(&ct, &mut frame, 0), (exit_at(&ct, 17), vec![10, 17]));
}

#[test]
fn a_float_store_reuses_a_float_only_its_element_holds_and_else_calls_the_helper() {
    // s0 is an array of two object pointers; each turn stores 2.5 into [1].
    let ct = compile_text(
        "trace header=0 depth=0 nlocalsplus=1
         %0 obj load_slot s0
         %1 i64 const 1
         %2 f64 fconst 2.5
         %3     store_elem %0 %1 %2 #0
         %4     ---- loop ----
         %5     store_elem %0 %1 %2 #0
         #0 pc=0 depth=0 []
         #1 pc=0 depth=0 [] loop",
    );
    let store_exit = exit_at(&ct, 3);
    for (count, ty, in_place) in
        [(1, addr(&FLOAT_TYPE), true), (2, addr(&FLOAT_TYPE), false), (1, addr(&INT_TYPE), false)]
    {
        let old: Obj = Box::new([count, ty, 1.0f64.to_bits(), 0, 0]);
        let array: Obj = Box::new([0, ptr(&old) as u64, 0, 0, 0]);
        // In place, the pre-roll's store goes on to the loop top, which
        // leaves (the eval breaker is set); else the mock helper declines and
        // the store exits.
        let (n, _) = run(&ct, &mut [ptr(&array)], 1);
        assert_eq!(n == store_exit, !in_place, "count {count}");
        assert_eq!(f64::from_bits(old[2]), if in_place { 2.5 } else { 1.0 }, "count {count}");
    }
    // An empty element goes to the helper too.
    let array: Obj = Box::new([0; 5]);
    assert_eq!(run(&ct, &mut [ptr(&array)], 0).0, store_exit);
}

/// `for i, x in enumerate(...)`'s refill: the iterator in s0, the new item
/// in s1, the index 400.
const REFILL: &str = "
    trace header=0 depth=0 nlocalsplus=2
    %0 obj load_slot s0
    %1 obj load_slot s1
    %2 i64 const 400
    %3     refill_result %0 %2 %1 #0
    %4     ---- loop ----
    %5     refill_result %0 %2 %1 #0
    #0 pc=0 depth=0 []
    #1 pc=0 depth=0 [] loop";

/// A fake result tuple of two items behind a collector head: the words are
/// gc_next, gc_prev, refcnt, type, size, item 0, item 1; the tuple is at
/// word 2.
fn fake_result_tuple(count: u64, tracked: bool, items: [*mut u8; 2]) -> Box<[u64; 7]> {
    Box::new([tracked as u64, 0, count, 0, 2, items[0] as u64, items[1] as u64])
}

/// Runs `REFILL`'s pre-roll once over an enumerate whose result tuple is
/// `tuple`; returns whether the helper was called.
fn refill_once(ct: &CompiledTrace, tuple: &mut [u64; 7], new_item: &Obj) -> bool {
    let result = tuple[2..].as_mut_ptr() as u64;
    let iter: Obj = Box::new([1, 0, 0, 0, result]);
    REFILLS.with(|c| c.borrow_mut().clear());
    let (n, _) = run(ct, &mut [ptr(&iter), ptr(new_item)], 1);
    assert_ne!(n, exit_at(ct, 3), "the mock helper accepts");
    REFILLS.with(|c| !c.borrow().is_empty())
}

#[test]
fn a_result_tuple_is_refilled_inline_when_no_old_item_goes_and_else_by_the_helper() {
    let ct = compile_text(REFILL);
    let one_digit = |v: u64| -> Obj { Box::new([1, addr(&INT_TYPE), 1 << 3, v, 0]) };
    // Inline: the old index takes 400 in place; the new item gains the
    // tuple's reference, the old item (held elsewhere too) loses it.
    let (old_index, old_item, new_item) = (one_digit(300), Box::new([2, 0, 0, 0, 0]), Box::new([1, 0, 0, 0, 0]));
    let mut tuple = fake_result_tuple(1, true, [ptr(&old_index), ptr(&old_item)]);
    assert!(!refill_once(&ct, &mut tuple, &new_item));
    assert_eq!((old_index[3], tuple[5]), (400, ptr(&old_index) as u64));
    assert_eq!((tuple[6], new_item[0], old_item[0]), (ptr(&new_item) as u64, 2, 1));
    // Immortal objects keep their counts.
    let immortal = 0xffff_ffff;
    let (old_index, old_item, new_item) =
        (one_digit(300), Box::new([immortal, 0, 0, 0, 0]), Box::new([immortal, 0, 0, 0, 0]));
    let mut tuple = fake_result_tuple(1, true, [ptr(&old_index), ptr(&old_item)]);
    assert!(!refill_once(&ct, &mut tuple, &new_item));
    assert_eq!((old_item[0], new_item[0]), (immortal, immortal));
    // The helper, changing nothing inline: an old item the refill would
    // free, an index int held elsewhere, one of two digits, a tuple the
    // collector does not track.
    let cases: [(u64, u64, u64, bool); 4] =
        [(1, 1, 1 << 3, true), (1, 2, 1 << 3, true), (2, 1, 2 << 3, true), (2, 1, 1 << 3, false)];
    for (item_count, index_count, tag, tracked) in cases {
        let old_index: Obj = Box::new([index_count, addr(&INT_TYPE), tag, 300, 0]);
        let (old_item, new_item): (Obj, Obj) = (Box::new([item_count, 0, 0, 0, 0]), Box::new([1, 0, 0, 0, 0]));
        let mut tuple = fake_result_tuple(1, tracked, [ptr(&old_index), ptr(&old_item)]);
        assert!(refill_once(&ct, &mut tuple, &new_item), "{item_count} {index_count} {tag} {tracked}");
        assert_eq!((old_index[3], tuple[6], new_item[0], old_item[0]), (300, ptr(&old_item) as u64, 1, item_count));
    }
    // A tuple someone else holds too: CPython makes a new one; nothing here.
    let (old_index, old_item, new_item) = (one_digit(300), Box::new([2, 0, 0, 0, 0]), Box::new([1, 0, 0, 0, 0]));
    let mut tuple = fake_result_tuple(2, true, [ptr(&old_index), ptr(&old_item)]);
    assert!(!refill_once(&ct, &mut tuple, &new_item));
    assert_eq!((tuple[6], new_item[0]), (ptr(&old_item) as u64, 1));
}

#[test]
fn a_cached_int_goes_into_the_result_tuple_inline() {
    let ct = compile_text(&REFILL.replace("const 400", "const 7"));
    // The old index, held elsewhere too, loses the tuple's reference; the
    // cached 7 goes in.
    let old_index: Obj = Box::new([2, addr(&INT_TYPE), 1 << 3, 6, 0]);
    let (old_item, new_item): (Obj, Obj) = (Box::new([2, 0, 0, 0, 0]), Box::new([1, 0, 0, 0, 0]));
    let mut tuple = fake_result_tuple(1, true, [ptr(&old_index), ptr(&old_item)]);
    assert!(!refill_once(&ct, &mut tuple, &new_item));
    assert_eq!((tuple[5], old_index[0], old_index[3]), (addr(&SMALL_INTS) + (5 + 7) * 32, 1, 6));
    // An old index the release would free: the helper's.
    let old_index: Obj = Box::new([1, addr(&INT_TYPE), 1 << 3, 6, 0]);
    let mut tuple = fake_result_tuple(1, true, [ptr(&old_index), ptr(&old_item)]);
    assert!(refill_once(&ct, &mut tuple, &new_item));
    assert_eq!((tuple[5], old_index[0]), (ptr(&old_index) as u64, 1));
}

#[test]
fn a_refill_the_helper_declines_leaves() {
    let ct = compile_text(REFILL);
    let (old_item, new_item): (Obj, Obj) = (Box::new([1, 0, 0, 0, 0]), Box::new([1, 0, 0, 0, 0]));
    let old_index: Obj = Box::new([1, addr(&INT_TYPE), 1 << 3, 300, 0]);
    let mut tuple = fake_result_tuple(1, true, [ptr(&old_index), ptr(&old_item)]);
    let result = tuple[2..].as_mut_ptr() as u64;
    // An old item the refill would free: the helper's case, and it declines.
    let iter: Obj = Box::new([1, 0, 0, 0, result]);
    DECLINE_REFILLS.with(|d| d.set(true));
    let (n, _) = run(&ct, &mut [ptr(&iter), ptr(&new_item)], 1);
    DECLINE_REFILLS.with(|d| d.set(false));
    assert_eq!(n, exit_at(&ct, 3));
    assert_eq!((tuple[6], new_item[0]), (ptr(&old_item) as u64, 1));
}

/// `a[1] += 2.5` for an array `a` in s0, in the pre-roll and in the loop.
const FLOAT_ELEMENT_UPDATE: &str = "
    trace header=0 depth=0 nlocalsplus=1
    %0 obj load_slot s0
    %1 i64 const 1
    %2 obj load_elem %0 %1 array
    %3     guard_type %2 float #0
    %4 f64 unbox_float %2
    %5 f64 fconst 2.5
    %6 f64 fadd %4 %5
    %7     store_elem %0 %1 %6 #1
    %8     ---- loop ----
    %9 obj load_elem %0 %1 array
    %10    guard_type %9 float #0
    %11 f64 unbox_float %9
    %12 f64 fadd %11 %5
    %13    store_elem %0 %1 %12 #2
    #0 pc=0 depth=0 []
    #1 pc=8 depth=1 [s1=%6]
    #2 pc=8 depth=1 [s1=%12]
    #3 pc=0 depth=0 [] loop";

#[test]
fn a_float_store_over_the_float_it_read_checks_only_the_reference_count() {
    let trace = parse_trace(FLOAT_ELEMENT_UPDATE).unwrap();
    assert_eq!(lower::replaced_float(&trace, Ref(7)), Some(Ref(2)));
    assert_eq!(lower::replaced_float(&trace, Ref(13)), Some(Ref(9)));
    let ct = compile_text(FLOAT_ELEMENT_UPDATE);
    let store_exit = exit_at(&ct, 7);
    for (count, in_place) in [(1, true), (2, false)] {
        let old: Obj = Box::new([count, addr(&FLOAT_TYPE), 1.0f64.to_bits(), 0, 0]);
        let array: Obj = Box::new([0, ptr(&old) as u64, 0, 0, 0]);
        // In place, the pre-roll's store goes on to the loop top, which leaves
        // (the eval breaker is set); else the mock helper declines and the
        // store exits with the value on the stack, the float and the array as
        // they were.
        let (n, values) = run(&ct, &mut [ptr(&array)], 1);
        assert_eq!(n == store_exit, !in_place, "count {count}");
        if !in_place {
            assert_eq!(values, vec![3.5f64.to_bits()]);
        }
        assert_eq!(f64::from_bits(old[2]), if in_place { 3.5 } else { 1.0 }, "count {count}");
        assert_eq!(array[1], ptr(&old) as u64);
    }
}

#[test]
fn a_float_store_checks_the_element_it_replaces_unless_nothing_changed_it_since_it_was_read() {
    // None for each: %8 replaces an element read but not guarded, %14 a
    // store to another place between, %19 a release (which may run code),
    // %23 a load of another index.
    let trace = parse_trace(
        "trace header=0 depth=0 nlocalsplus=2
         %0 obj load_slot s0
         %1 i64 const 1
         %2 i64 const 2
         %3 obj load_slot s1
         %4 obj load_elem %0 %1 array
         %5     guard_type %3 float #0
         %6 f64 unbox_float %3
         %7 i64 load_field %0 seq.size
         %8     store_elem %0 %1 %6 #0
         %9 obj load_elem %0 %1 array
         %10    guard_type %9 float #0
         %11 f64 unbox_float %9
         %12 f64 fconst 1.0
         %13    store_elem %0 %2 %12 #0
         %14    store_elem %0 %1 %11 #0
         %15 obj load_elem %0 %1 array
         %16    guard_type %15 float #0
         %17 f64 unbox_float %15
         %18    release %3
         %19    store_elem %0 %1 %17 #0
         %20 obj load_elem %0 %2 array
         %21    guard_type %20 float #0
         %22 f64 unbox_float %20
         %23    store_elem %0 %1 %22 #0
         %24    ---- loop ----
         #0 pc=0 depth=0 []
         #1 pc=0 depth=0 [] loop",
    )
    .unwrap();
    for store in [8, 13, 14, 19, 23] {
        assert_eq!(lower::replaced_float(&trace, Ref(store)), None, "%{store}");
    }
}

#[test]
fn only_items_of_lists_and_tuples_are_known_never_to_be_null() {
    let trace = parse_trace(
        "trace header=0 depth=0 nlocalsplus=2
         %0 obj load_slot s0
         %1 i64 const 0
         %2 i64 load_field %0 list.items
         %3 obj load_elem %2 %1 array
         %4 obj load_elem %0 %1 tuple
         %5 i64 load_field %0 instance.values
         %6 obj load_elem %5 %1 array
         %7     ---- loop ----
         #0 pc=0 depth=0 [] loop",
    )
    .unwrap();
    let never = |r| lower::never_null(&trace, Ref(r));
    assert!(never(3) && never(4));
    assert!(!never(0) && !never(6));
}

/// `while i < n: if i >= k: s += 2; t = i + 1` then `i += 1` (slots: i, n, s,
/// k, t; the pre-roll is `BRANCHY`'s): the body leaves `s` and `t` alone,
/// only the side block changes them.
fn parked_trace() -> String {
    let preroll: Vec<&str> = BRANCHY.lines().skip(2).take(13).collect();
    format!(
        "trace header=0 depth=0 nlocalsplus=5
        {}
        %13 ---- loop ----
        %14 i64 phi %2 %20
        %15 i64 phi %8 %15
        %16 i64 phi %2 %16
        %17 bool icmp lt %14 %5
        %18    guard_true %17 #1
        %19 bool icmp lt %14 %11
        %20 i64 add_ov %14 %12 #2
        %21    guard_true %19 #2
        %22 ---- side %21 ----
        %23 i64 const 2
        %24 i64 add_ov %15 %23 #2
        %25 side_back %14 %20
        %26 side_back %15 %24
        %27 side_back %16 %20
        #0 pc=0 depth=0 []
        #1 pc=10 depth=0 [s0=%14 s2=%15 s4=%16]
        #2 pc=20 depth=0 [s0=%14 s2=%15 s4=%16]
        #3 pc=0 depth=0 [s0=%14 s2=%15 s4=%16] loop",
        preroll.join("\n")
    )
}

#[test]
fn values_the_body_leaves_alone_are_kept_in_the_exit_buffer_and_exits_find_them_there() {
    let ct = compile_text(&parked_trace());
    let exit = exit_at(&ct, 18);
    assert_eq!(ct.exits[exit].parked.len(), 2, "s and t: {:?}", ct.exits[exit]);
    assert!(ct.exit_buf_len > ct.iterations_word + 2, "room for both after the iteration count");
    let (i, n, s, k) = (int_obj(0), int_obj(10), int_obj(0), int_obj(3));
    let (got, vals) = run(&ct, &mut [ptr(&i), ptr(&n), ptr(&s), ptr(&k), std::ptr::null_mut()], 0);
    // Turns 3 to 9 take the side block: s grows by 2 seven times, t ends as 10.
    assert_eq!((got, vals), (exit, vec![10, 14, 10]));
    // An entry that leaves at once finds the entry values there.
    let (i, n) = (int_obj(5), int_obj(5));
    let (got, vals) = run(&ct, &mut [ptr(&i), ptr(&n), ptr(&s), ptr(&k), std::ptr::null_mut()], 0);
    assert_eq!((got, vals), (exit, vec![5, 0, 5]));
}

#[test]
fn a_side_block_that_reenters_leaves_with_the_header_state_and_the_iterations_so_far() {
    // `BRANCHY` with its side block ending the other way: past k, leave at
    // the loop header (pc 0) with s + 2 stored, and i + 1.
    let text = BRANCHY.replace("    %26 side_back %14 %25\n    %27 side_back %15 %24\n", "    %26 reenter #4\n")
        + "    #4 pc=0 depth=0 [s0=%25 s2=%24]\n";
    let text = text.replace("    #3 pc=0 depth=0 [s0=%14 s2=%15] loop\n    #4", "    #4");
    let text = text.replace(
        "    #2 pc=20 depth=0 [s0=%14 s2=%15]\n",
        "    #2 pc=20 depth=0 [s0=%14 s2=%15]\n    #3 pc=0 depth=0 [s0=%14 s2=%15] loop\n",
    );
    let trace = parse_trace(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    trace.verify().expect("valid");
    let ct = compile(&trace, &mock_abi(), false).expect("compiles");
    let reenter = exit_at(&ct, 26);
    let (i, n, s, k) = (int_obj(0), int_obj(10), int_obj(0), int_obj(3));
    let mut frame = [ptr(&i), ptr(&n), ptr(&s), ptr(&k)];
    // Three turns add 1; the fourth finds i >= k and leaves with i = 4, s = 5.
    let (exit, values, iterations) = run_counting(&ct, &mut frame, 0);
    assert_eq!((exit, values), (reenter, vec![4, 5]));
    // The pre-roll counts as one, as everywhere; the side block keeps the
    // count in its word of the buffer and the exit stores it from there.
    assert_eq!(iterations, 4);
}

#[test]
fn root_values_many_side_exits_store_are_stored_once_on_entry_to_the_side_block() {
    // `BRANCHY` with `s += 4` in two steps in its side block: three exits
    // there hold i and s, the root's phis.
    let text = BRANCHY.replace(
        "    %25 i64 add_ov %14 %12 #2\n    %26 side_back %14 %25\n    %27 side_back %15 %24\n",
        "    %25 i64 add_ov %24 %23 #2\n    %26 i64 add_ov %14 %12 #2\n    %27 side_back %14 %26\n    %28 side_back %15 %25\n",
    );
    let ct = compile_text(&text);
    for guard in [24, 25, 26] {
        let exit = &ct.exits[exit_at(&ct, guard)];
        assert_eq!(exit.parked.len(), 2, "the exit at %{guard} leaves i and s in their words: {exit:?}");
    }
    let body_exit = &ct.exits[exit_at(&ct, 20)];
    assert!(body_exit.parked.is_empty(), "the body's exits store their own values: {body_exit:?}");
    // With k = 0 every turn takes the side block. s starts 3 below the
    // largest int: s + 2 fits, s + 4 does not, and the exit has s as it was.
    let big = i64::MAX - 3;
    let (i, n, s, k) = (int_obj(0), int_obj(10), int_obj(big), int_obj(0));
    let mut frame = [ptr(&i), ptr(&n), ptr(&s), ptr(&k)];
    assert_eq!(run(&ct, &mut frame, 0), (exit_at(&ct, 25), vec![0, big as u64]));
    // From s = 0: turns add 4 until i reaches n.
    let s = int_obj(0);
    let mut frame = [ptr(&i), ptr(&n), ptr(&s), ptr(&k)];
    assert_eq!(run(&ct, &mut frame, 0), (exit_at(&ct, 17), vec![10, 40]));
}

#[test]
fn a_pre_roll_value_many_exits_hold_is_stored_once_where_it_is_made() {
    // `t = n + n` before `while i < n: i += 7` (in seven steps): all eight
    // exits of the body hold t (slot 2).
    let steps: String =
        (12..19).map(|r| format!("%{r} i64 add_ov %{} %6 #1\n", if r == 12 { 9 } else { r - 1 })).collect();
    let text = format!(
        "trace header=0 depth=0 nlocalsplus=3
        %0 obj load_slot s0
        %1     guard_type %0 int #0
        %2 i64 unbox_int %0 #0
        %3 obj load_slot s1
        %4     guard_type %3 int #0
        %5 i64 unbox_int %3 #0
        %6 i64 const 1
        %7 i64 add_ov %5 %5 #0
        %8 ---- loop ----
        %9 i64 phi %2 %18
        %10 bool icmp lt %9 %5
        %11    guard_true %10 #1
        {}
        #0 pc=0 depth=0 []
        #1 pc=10 depth=0 [s0=%9 s2=%7]
        #2 pc=0 depth=0 [s0=%9 s2=%7] loop",
        steps
    );
    let ct = compile_text(&text);
    let exit = exit_at(&ct, 11);
    assert_eq!(ct.exits[exit].parked.len(), 1, "t is left in its word: {:?}", ct.exits[exit]);
    let (i, n) = (int_obj(0), int_obj(5));
    let mut frame = [ptr(&i), ptr(&n), std::ptr::null_mut()];
    assert_eq!(run(&ct, &mut frame, 0), (exit, vec![7, 10]));
}
