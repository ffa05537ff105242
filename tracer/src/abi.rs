//! Runtime facts the code generator needs about the live interpreter: object
//! layouts, type and singleton addresses, and the helpers compiled code calls.
//! `src/cpython/` fills one in for the running CPython; tests build a mock.

use crate::ir::{Elems, Field, PyType};

/// `base[index] = value` for an array of object pointers (a list's items, an
/// instance's values, an object's `__slots__` members), with the value as an
/// object (referenced), an int or a float (boxed): returns 0 and changes
/// nothing unless the element replaced is an exact int, float, bool or None
/// (releasing one of those runs no Python code; NULL is refused too).
pub type StoreElemObj = unsafe extern "C" fn(base: *const u8, index: i64, value: *const u8) -> u8;
pub type StoreElemInt = unsafe extern "C" fn(base: *const u8, index: i64, value: i64) -> u8;
pub type StoreElemFloat = unsafe extern "C" fn(base: *const u8, index: i64, value: f64) -> u8;

/// `dict_get`: the key is an object (`key_is_int` 0) or an i64; writes the
/// value (borrowed, NULL if absent) to `out` and returns 1, or returns 0 where
/// the lookup could run Python code.
pub type DictGet = unsafe extern "C" fn(dict: *const u8, key: u64, key_is_int: u64, out: *mut u64) -> u8;
/// `dict_set`: the key as for `DictGet`, the value an object (`value_kind` 0),
/// an i64 (1) or the bits of an f64 (2); returns 0, changing nothing, where
/// the store could run Python code or the dict is watched.
pub type DictSet = unsafe extern "C" fn(dict: *const u8, key: u64, key_is_int: u64, value: u64, value_kind: u64) -> u8;
/// `set_contains`, and `seq_contains` for an exact list or tuple: keys as
/// for `DictGet`; writes 1 or 0 to `out` and returns 1, or returns 0 where
/// finding out could run Python code.
pub type Contains = unsafe extern "C" fn(set: *const u8, key: u64, key_is_int: u64, out: *mut u64) -> u8;
/// `set_add`: keys as for `DictGet`; returns 0, changing nothing, where the
/// store could run Python code or would store another object than CPython's
/// (an int key, boxed anew, that is not one of CPython's cached small ints).
pub type SetAdd = unsafe extern "C" fn(set: *const u8, key: u64, key_is_int: u64) -> u8;
/// `str_char`: writes the one-character string at `index` to `out` and
/// returns 1, or returns 0 for a character above 255. `str_char_new` writes a
/// new reference for any character, and returns 0 only if memory runs out.
pub type StrChar = unsafe extern "C" fn(s: *const u8, index: i64, out: *mut u64) -> u8;
/// `str_ord`: `ord(s)` of an exact str: writes the code point of its one
/// character to `out` and returns 1, or returns 0 if it is not one character
/// long (where `ord` raises).
pub type StrOrd = unsafe extern "C" fn(s: *const u8, out: *mut u64) -> u8;

/// `dict_iter_next`: advances a dict iterator and writes the address of the
/// entry's key to `out` (the value is the next word), or returns 0, changing
/// nothing, where `__next__` would not simply return an item.
pub type DictIterNext = unsafe extern "C" fn(iter: *const u8, out: *mut u64) -> u8;

/// `for_iter_end`: `FOR_ITER` at the end of the iterator in the frame slot
/// at `slot`, a range iterator (`kind` 0) or a list, tuple or str one (1);
/// returns 0, changing nothing, when it is not at its end or the releases
/// could run Python code (see `Inst::ForIterEnd`).
pub type ForIterEnd = unsafe extern "C" fn(slot: *mut u64, kind: u64) -> u8;
/// `get_iter`: `GET_ITER` into the empty frame slot at `slot` of the object
/// `a0` (`nargs` 1) or of `range(a0, a1, a2)` (`nargs` 3); returns the new
/// iterator (the frame's reference), or NULL, changing nothing and with no
/// exception set, where that raised or the slot is not empty.
pub type GetIter = unsafe extern "C" fn(slot: *mut u64, nargs: u64, a0: u64, a1: u64, a2: u64) -> *const u8;

/// `release_slot`: the store about to replace `*slot` (a frame slot) releases
/// the object there now, or returns 0, changing nothing, where that would run
/// Python code (see `Inst::ReleaseSlot`).
pub type ReleaseSlot = unsafe extern "C" fn(slot: *mut u64) -> u8;

/// String helpers (see `Inst::StrConcat` and the rest): a new reference, or
/// NULL, changing nothing and with no exception set, if memory runs out.
/// `str_append` takes over the caller's reference to `a` when it succeeds.
pub type StrBinary = unsafe extern "C" fn(a: *const u8, b: *const u8) -> *const u8;
/// `slice(s, start, stop)`: `s[start:stop]` of an exact str or list.
pub type Slice = unsafe extern "C" fn(s: *const u8, start: i64, stop: i64) -> *const u8;
pub type IntToStr = unsafe extern "C" fn(i: i64) -> *const u8;
/// `str_contains(needle, hay)`, and `str_compare(a, b, op)` with `op` one of
/// CPython's `Py_LT`..`Py_GE`: 1 or 0 (exact strs cannot make them fail).
pub type StrContains = unsafe extern "C" fn(needle: *const u8, hay: *const u8) -> u8;
pub type StrCompare = unsafe extern "C" fn(a: *const u8, b: *const u8, op: i64) -> u8;
/// Release a reference the trace owns (the result means nothing).
pub type Release = unsafe extern "C" fn(obj: *const u8) -> u8;

/// `list.append(value)` for an exact list, the value as an object, an int or a
/// float: returns 0, leaving the list as it was, if memory runs out.
pub type ListAppendObj = unsafe extern "C" fn(list: *const u8, value: *const u8) -> u8;
pub type ListAppendInt = unsafe extern "C" fn(list: *const u8, value: i64) -> u8;
pub type ListAppendFloat = unsafe extern "C" fn(list: *const u8, value: f64) -> u8;

/// `call_method`: calls `callable` (a method descriptor of `methods`) on
/// `nargs` arguments, the receiver first; argument `k` is an object, an i64 or
/// the bits of an f64 as bits `2k..2k+2` of `kinds` say (0, 1, 2). Writes the
/// result to `out` as `result_kind` asks: 0 the new reference, 1 an i64, 2 a
/// bool as 0 or 1, 3 nothing (the result is None). Returns 0, with no exception set, when the call raised or
/// the result is not what was asked for.
pub type CallMethod = unsafe extern "C" fn(
    callable: *const u8,
    result_kind: u64,
    nargs: u64,
    kinds: u64,
    a0: u64,
    a1: u64,
    a2: u64,
    out: *mut u64,
) -> u8;

/// `BUILD_TUPLE` (`list` 0) or `BUILD_LIST` (`list` 1) of `nargs` items, passed
/// as `CallMethod`'s arguments are: a new reference, NULL (no exception set)
/// when memory runs out.
pub type BuildSeq = unsafe extern "C" fn(list: u64, nargs: u64, kinds: u64, a0: u64, a1: u64, a2: u64) -> *const u8;

/// `Inst::RefillResult`: `iter`, an `enumerate` or `zip`, refills its cached
/// result tuple with `nargs` items passed as `CallMethod`'s arguments are.
/// Returns 0, having changed nothing, where releasing the tuple's old items
/// would free an object that is not a number or a str (or memory runs out).
pub type RefillResult = unsafe extern "C" fn(iter: *const u8, nargs: u64, kinds: u64, a0: u64, a1: u64, a2: u64) -> u8;

/// Runs a `generic` instruction: `exit_buf` holds the values of the snapshot of
/// exit `exit`; returns 0 with the result in `exit_buf[0]` (and, for
/// `BEFORE_WITH`, the value under it in `exit_buf[1]`), nonzero to leave.
pub type Generic = unsafe extern "C" fn(exit_buf: *mut u64, exit: u32) -> u32;

/// `dict[key]` for a namespace dict and a `str` key: borrowed, NULL if absent.
pub type LoadName = unsafe extern "C" fn(dict: *const u8, key: *const u8) -> *const u8;

#[derive(Clone, Debug)]
pub struct Abi {
    /// Testing the exits: every guard of compiled code fails the first time
    /// it is reached (`HOTLOOP_DEOPT=1`), so each exit path runs at least
    /// once per compiled trace.
    pub deopt_everything: bool,
    /// The most the C library's `pow` (which CPython's `float.__pow__`
    /// calls) may be off, in units in the last place, when known. Small
    /// enough, and `x ** 0.5` and `x ** 2.0` are mostly computed inline
    /// (`lower::pow`).
    pub pow_max_ulps: Option<f64>,
    /// `offsetof(PyObject, ob_type)`.
    pub ob_type: i32,
    /// `offsetof(PyLongObject, long_value.lv_tag)` and `.ob_digit`.
    pub long_tag: i32,
    pub long_digit: i32,
    /// `offsetof(PyFloatObject, ob_fval)`.
    pub float_value: i32,
    pub range_iter_start: i32,
    pub range_iter_step: i32,
    pub range_iter_len: i32,
    /// `ob_size` of variable-size objects (lists, tuples).
    pub var_size: i32,
    /// `PyListObject.ob_item` (the array pointer) and `PyTupleObject.ob_item` (inline).
    pub list_items: i32,
    pub tuple_items: i32,
    /// `enumobject.en_result` and `zipobject.result`, the result tuple each
    /// caches (at the same offset in both).
    pub result_tuple: i32,
    /// `PyGC_Head._gc_next`, before the object: nonzero while the collector
    /// tracks it.
    pub gc_next: i32,
    /// List and tuple iterators: `it_index` and `it_seq`.
    pub seq_iter_index: i32,
    pub seq_iter_seq: i32,
    /// `enumerate` objects: `en_index`, `en_sit`, `en_longindex`.
    pub enum_index: i32,
    pub enum_iter: i32,
    pub enum_long_index: i32,
    /// `zip` objects: `tuplesize`, `ittuple`, `strict` (an int, read with the
    /// padding after it, which allocation zeroes).
    pub zip_size: i32,
    pub zip_iters: i32,
    pub zip_strict: i32,
    /// `PyTypeObject.tp_version_tag`, `PyHeapTypeObject.ht_cached_keys`,
    /// `PyDictKeysObject.dk_nentries`, and where an instance's dict-or-values
    /// word sits relative to the object (negative).
    pub type_version: i32,
    pub cached_keys: i32,
    pub keys_count: i32,
    pub instance_values: i32,
    /// `PyFunctionObject.func_version`.
    pub func_version: i32,
    /// `PyCFunctionObject.m_ml` and `m_self`.
    pub cfunction_def: i32,
    pub cfunction_self: i32,
    pub int_type: u64,
    /// The int 0 among the ints CPython caches (-5 to 256), which lie at
    /// `small_int_stride` bytes from each other.
    pub small_int_zero: u64,
    pub small_int_stride: i64,
    pub float_type: u64,
    pub bool_type: u64,
    pub none_type: u64,
    pub range_iter_type: u64,
    pub list_type: u64,
    pub tuple_type: u64,
    pub list_iter_type: u64,
    pub list_rev_iter_type: u64,
    /// The types of a str's iterator: `PyType::StrIter` is either.
    pub str_iter_type: u64,
    pub str_ascii_iter_type: u64,
    pub tuple_iter_type: u64,
    pub enumerate_type: u64,
    pub zip_type: u64,
    pub dict_type: u64,
    pub str_type: u64,
    pub dict_key_iter_type: u64,
    pub dict_value_iter_type: u64,
    pub dict_item_iter_type: u64,
    pub true_obj: u64,
    pub false_obj: u64,
    pub none_obj: u64,
    /// Where the frame's namespace dict (`f_locals`) sits, relative to `localsplus`.
    pub frame_locals: i32,
    pub load_name: LoadName,
    pub store_elem_obj: StoreElemObj,
    pub store_elem_int: StoreElemInt,
    pub store_elem_float: StoreElemFloat,
    pub list_append_obj: ListAppendObj,
    pub list_append_int: ListAppendInt,
    pub list_append_float: ListAppendFloat,
    pub generic: Generic,
    pub dict_get: DictGet,
    pub dict_set: DictSet,
    pub set_contains: Contains,
    pub seq_contains: Contains,
    pub set_add: SetAdd,
    pub set_type: u64,
    pub cell_type: u64,
    /// `PySetObject.used`.
    pub set_used: i32,
    /// `PyDictObject.ma_used`.
    pub dict_used: i32,
    pub str_char: StrChar,
    pub str_char_new: StrChar,
    pub str_ord: StrOrd,
    pub dict_iter_next: DictIterNext,
    pub release_slot: ReleaseSlot,
    pub for_iter_end: ForIterEnd,
    pub get_iter: GetIter,
    pub str_concat: StrBinary,
    pub str_append: StrBinary,
    pub slice: Slice,
    pub int_to_str: IntToStr,
    pub str_contains: StrContains,
    pub str_compare: StrCompare,
    pub release: Release,
    pub call_method: CallMethod,
    /// `call_method` once every item of the list `a0` is an exact int or
    /// float (`Method::numbers_only`); returns 0 at once where one is not.
    pub call_method_on_numbers: CallMethod,
    pub build_seq: BuildSeq,
    pub refill_result: RefillResult,
    /// The method descriptors, by `MethodId`.
    pub methods: Vec<u64>,
    /// `PyASCIIObject.length`.
    pub str_length: i32,
    pub generator_type: u64,
    /// A generator's `gi_frame_state`, and its embedded frame's `f_code`,
    /// `prev_instr` and `localsplus`, relative to the generator object.
    pub gen_state: i32,
    pub gen_code: i32,
    pub gen_prev_instr: i32,
    pub gen_localsplus: i32,
}

impl Abi {
    pub fn type_addr(&self, ty: PyType) -> u64 {
        match ty {
            PyType::Int => self.int_type,
            PyType::Float => self.float_type,
            PyType::Bool => self.bool_type,
            PyType::NoneType => self.none_type,
            PyType::RangeIter => self.range_iter_type,
            PyType::List => self.list_type,
            PyType::Tuple => self.tuple_type,
            PyType::ListIter => self.list_iter_type,
            PyType::ListRevIter => self.list_rev_iter_type,
            PyType::StrIter => self.str_iter_type,
            PyType::TupleIter => self.tuple_iter_type,
            PyType::Enumerate => self.enumerate_type,
            PyType::Zip => self.zip_type,
            PyType::Dict => self.dict_type,
            PyType::Str => self.str_type,
            PyType::DictKeyIter => self.dict_key_iter_type,
            PyType::DictValueIter => self.dict_value_iter_type,
            PyType::DictItemIter => self.dict_item_iter_type,
            PyType::Generator => self.generator_type,
            PyType::Set => self.set_type,
            PyType::Cell => self.cell_type,
        }
    }

    pub fn field_offset(&self, field: Field) -> i32 {
        match field {
            Field::RangeIterStart => self.range_iter_start,
            Field::RangeIterStep => self.range_iter_step,
            Field::RangeIterLen => self.range_iter_len,
            Field::SeqSize => self.var_size,
            Field::ListItems => self.list_items,
            Field::SeqIterIndex => self.seq_iter_index,
            Field::SeqIterSeq => self.seq_iter_seq,
            Field::EnumIndex => self.enum_index,
            Field::EnumIter => self.enum_iter,
            Field::EnumLongIndex => self.enum_long_index,
            Field::ZipSize => self.zip_size,
            Field::ZipIters => self.zip_iters,
            Field::ZipStrict => self.zip_strict,
            Field::ObType => self.ob_type,
            Field::TypeVersion => self.type_version,
            Field::InstanceValues => self.instance_values,
            Field::CachedKeys => self.cached_keys,
            Field::KeysCount => self.keys_count,
            Field::FuncVersion => self.func_version,
            Field::CFunctionDef => self.cfunction_def,
            Field::CFunctionSelf => self.cfunction_self,
            Field::StrLength => self.str_length,
            Field::SetUsed => self.set_used,
            Field::DictUsed => self.dict_used,
            Field::GenCode => self.gen_code,
            Field::GenState => self.gen_state,
            Field::GenPrevInstr => self.gen_prev_instr,
        }
    }

    /// Byte offset of element 0 from a `load_elem` base.
    pub fn elems_offset(&self, elems: Elems) -> i32 {
        match elems {
            Elems::Array => 0,
            Elems::Tuple => self.tuple_items,
        }
    }
}
