//! The methods of builtin types, and the builtin functions of one such
//! value (`ord`, `chr`), that compiled code calls directly.
//!
//! What: a call such as `s.upper()`, `line.split(",")`, `",".join(parts)` or
//! `word.startswith("x")` on an exact str calls the method's C implementation
//! from the trace (`Inst::CallMethod`, through the method descriptor's
//! vectorcall), instead of a generic `CALL` that writes the whole frame first.
//!
//! Why that is exact: each method listed here runs no Python code, and changes
//! nothing but its receiver (the list methods), when its receiver and arguments
//! are of the exact builtin types the recorder guards (str, int, float, bool,
//! None, tuple, list): no `__index__`,
//! `__eq__`, `__hash__`, codec lookup or `__format__` of a user's object. So
//! nothing can see that the frame was not written, and a call that fails
//! (`s.index(x)` not finding `x`, `pop` of an empty list, a wrong argument
//! type) has changed nothing:
//! the trace clears the error and leaves before the `CALL`, and the interpreter
//! makes the same call and raises the same exception.
//!
//! Rejected: calling through `PyObject_Vectorcall` on any C function the
//! program names (`list.index` compares items with `__eq__`, `str.format`
//! calls `__format__`, `str.encode` may import a codec: Python code that would
//! need the frame written); a per-method helper written in Rust for each
//! (CPython's own code is the reference behaviour, so calling it is exact by
//! construction).

use crate::ir::PyType;

/// Index into `METHODS`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct MethodId(pub u16);

/// What a method returns, and how the trace holds it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum MethodResult {
    /// An object of this exact type: a new reference the trace owns (it may be
    /// the receiver itself, as `s.strip()` of a string with nothing to strip).
    Object(PyType),
    /// An int (small enough for an i64 whenever the receiver fits in memory).
    Int,
    /// True or False.
    Bool,
    /// An object of any type (`list.pop()`): a new reference the trace owns.
    AnyObject,
    /// None (a method that changes its receiver).
    Nothing,
}

pub struct Method {
    pub owner: PyType,
    pub name: &'static str,
    /// How many arguments after the receiver the trace passes: at least, at most.
    pub args: (u8, u8),
    pub result: MethodResult,
    /// Whether it changes its receiver (a list method).
    pub mutates: bool,
    /// A builtin function called on a value of type `owner` (`ord(c)`), not
    /// a method of `owner`.
    pub function: bool,
    /// Whether the items of its argument, a list, must all be exact ints or
    /// floats (`sum(xs)`, `max(xs)`): adding or comparing any others could run
    /// Python code, so the call leaves before it where one is not.
    pub numbers_only: bool,
}

const fn str_method(name: &'static str, args: (u8, u8), result: MethodResult) -> Method {
    Method { owner: PyType::Str, name, args, result, mutates: false, function: false, numbers_only: false }
}

const fn list_method(name: &'static str, args: (u8, u8), result: MethodResult, mutates: bool) -> Method {
    Method { owner: PyType::List, name, args, result, mutates, function: false, numbers_only: false }
}

const fn builtin_function(name: &'static str, argument: PyType, result: MethodResult) -> Method {
    Method { owner: argument, name, args: (0, 0), result, mutates: false, function: true, numbers_only: false }
}

const fn over_numbers(name: &'static str) -> Method {
    Method {
        owner: PyType::List,
        name,
        args: (0, 0),
        result: AnyObject,
        mutates: false,
        function: true,
        numbers_only: true,
    }
}

use MethodResult::{AnyObject, Bool, Int, Nothing, Object};
const STR: MethodResult = Object(PyType::Str);
const LIST: MethodResult = Object(PyType::List);
const TUPLE: MethodResult = Object(PyType::Tuple);

pub static METHODS: &[Method] = &[
    str_method("upper", (0, 0), STR),
    str_method("lower", (0, 0), STR),
    str_method("casefold", (0, 0), STR),
    str_method("swapcase", (0, 0), STR),
    str_method("title", (0, 0), STR),
    str_method("capitalize", (0, 0), STR),
    str_method("strip", (0, 1), STR),
    str_method("lstrip", (0, 1), STR),
    str_method("rstrip", (0, 1), STR),
    str_method("removeprefix", (1, 1), STR),
    str_method("removesuffix", (1, 1), STR),
    str_method("replace", (2, 2), STR),
    str_method("join", (1, 1), STR),
    str_method("zfill", (1, 1), STR),
    str_method("center", (1, 2), STR),
    str_method("ljust", (1, 2), STR),
    str_method("rjust", (1, 2), STR),
    str_method("expandtabs", (0, 1), STR),
    str_method("split", (0, 2), LIST),
    str_method("rsplit", (0, 2), LIST),
    str_method("splitlines", (0, 1), LIST),
    str_method("partition", (1, 1), TUPLE),
    str_method("rpartition", (1, 1), TUPLE),
    str_method("find", (1, 2), Int),
    str_method("rfind", (1, 2), Int),
    str_method("index", (1, 2), Int),
    str_method("rindex", (1, 2), Int),
    str_method("count", (1, 2), Int),
    str_method("startswith", (1, 2), Bool),
    str_method("endswith", (1, 2), Bool),
    str_method("isdigit", (0, 0), Bool),
    str_method("isalpha", (0, 0), Bool),
    str_method("isalnum", (0, 0), Bool),
    str_method("isspace", (0, 0), Bool),
    str_method("isupper", (0, 0), Bool),
    str_method("islower", (0, 0), Bool),
    str_method("istitle", (0, 0), Bool),
    str_method("isdecimal", (0, 0), Bool),
    str_method("isnumeric", (0, 0), Bool),
    str_method("isidentifier", (0, 0), Bool),
    str_method("isascii", (0, 0), Bool),
    str_method("isprintable", (0, 0), Bool),
    // Lists: `pop` hands its reference to the element over (it frees nothing),
    // `insert` and `extend` only take references, `reverse` only moves them.
    list_method("pop", (0, 1), AnyObject, true),
    list_method("insert", (2, 2), Nothing, true),
    list_method("extend", (1, 1), Nothing, true),
    list_method("reverse", (0, 0), Nothing, true),
    list_method("copy", (0, 0), LIST, false),
    builtin_function("ord", PyType::Str, Int),
    builtin_function("chr", PyType::Int, STR),
    // `int(s)` and `float(s)` of a str: parsed in C; a string that is no
    // number leaves the trace, and the interpreter raises the `ValueError`.
    // (`int(x)` and `float(x)` of numbers are compiled inline.)
    builtin_function("int", PyType::Str, Int),
    builtin_function("float", PyType::Str, Object(PyType::Float)),
    // Of a list of ints and floats (checked first, see `numbers_only`).
    over_numbers("sum"),
    over_numbers("min"),
    over_numbers("max"),
];

impl MethodId {
    pub fn method(self) -> &'static Method {
        &METHODS[self.0 as usize]
    }

    /// The method `name` of `owner`.
    pub fn find(owner: PyType, name: &str) -> Option<MethodId> {
        METHODS.iter().position(|m| m.owner == owner && m.name == name && !m.function).map(|k| MethodId(k as u16))
    }

    /// `str.upper`, or `ord` for a function: the text form's name.
    pub fn qualified_name(self) -> String {
        let m = self.method();
        if m.function {
            return m.name.to_string();
        }
        format!("{}.{}", m.owner.name(), m.name)
    }

    pub fn from_qualified_name(text: &str) -> Option<MethodId> {
        let Some((owner, name)) = text.split_once('.') else {
            return METHODS.iter().position(|m| m.function && m.name == text).map(|k| MethodId(k as u16));
        };
        MethodId::find(PyType::from_name(owner)?, name)
    }
}

/// Argument types a listed method handles without running Python code.
pub fn plain_argument(ty: PyType) -> bool {
    matches!(
        ty,
        PyType::Str | PyType::Int | PyType::Float | PyType::Bool | PyType::NoneType | PyType::Tuple | PyType::List
    )
}
