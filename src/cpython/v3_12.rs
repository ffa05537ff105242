//! What is true of CPython 3.12's private layout, read off the installed headers
//! (`include/python3.12/internal/pycore_frame.h`, `cpython/code.h`,
//! `cpython/pystate.h`, `internal/pycore_interp.h`, `internal/pycore_range.h`).
//! `super::check` verifies every offset against the running interpreter at import.

use super::Layout;

pub const LAYOUT: Layout = Layout {
    version: (3, 12),
    // _PyInterpreterFrame
    frame_code: 0,
    frame_globals: 24,
    frame_builtins: 32,
    frame_locals: 40,
    frame_ip: 56, // prev_instr: the instruction being executed
    frame_stacktop: 64,
    frame_localsplus: 72,
    // A JUMP callback sees `prev_instr` equal to the jump's destination; writing
    // `code_start + offset` there makes the interpreter continue at `offset`.
    ip_is_destination: true,
    // PyFrameObject
    frameobject_frame: 24,
    // PyCodeObject
    code_nlocalsplus: 72,
    code_monitoring: 168,
    code_adaptive: 192,
    // _PyCoMonitoringData: local_monitors[15], then active_monitors[15]
    monitoring_active: 15,
    local_events: 10,
    // PyThreadState
    tstate_interp: 16,
    tstate_cframe: Some(56),
    tstate_current_frame: None,
    tstate_profilefunc: 64,
    tstate_tracefunc: 72,
    tstate_recursion_limit: 32,
    tstate_recursion_remaining: 28,
    tstate_tracing: 44,
    // PyInterpreterState.ceval.eval_breaker (an int)
    interp_eval_breaker: Some(368),
    recursion_limit_after_breaker: 8,
    tstate_eval_breaker: None,
    // PyLongObject / PyFloatObject / _PyRangeIterObject
    long_tag: 16,
    long_digit: 24,
    float_value: 16,
    range_iter_start: 16,
    range_iter_step: 24,
    range_iter_len: 32,
    // PyListObject / PyTupleObject / their iterators
    var_size: 16,
    list_items: 24,
    tuple_items: 24,
    seq_iter_index: 16,
    seq_iter_seq: 24,
    // enumobject (Objects/enumobject.c) and zipobject (Python/bltinmodule.c)
    enum_index: 16,
    enum_iter: 24,
    enum_long_index: 40,
    enum_result: 32,
    zip_size: 16,
    zip_iters: 24,
    zip_strict: 40,
    zip_result: 32,
    // PyCFunctionObject (cpython/methodobject.h): m_ml, m_self
    cfunction_def: 16,
    cfunction_self: 24,
    // PyDictKeysObject (internal/pycore_dict.h): dk_nentries; the
    // PyDictOrValues word three pointers before a managed-dict instance
    // (internal/pycore_object.h, _PyObject_DictOrValuesPointer)
    keys_count: 24,
    instance_values: -24,
    gc_next: -16,
    small_int_stride: 32,
    compare_shift: 4,
    // PyGenObject (cpython/genobject.h), PyThreadState.exc_info,
    // PyInterpreterState.eval_frame
    gen_exc_state: 40,
    gen_frame_state: 67,
    gen_iframe: 72,
    tstate_exc_info: 104,
    interp_eval_frame: 1744,
};
