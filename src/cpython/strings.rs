//! The string helpers compiled code calls (see `abi::StrBinary` and the rest).
//! Each returns a new reference, or NULL with no exception set and nothing
//! changed, when memory runs out: the trace then leaves, and the interpreter
//! runs the instruction again and raises.
//!
//! The in-place append reads the str object's state through pyo3's accessors,
//! which follow the layout of the CPython pyo3 was built for.

use pyo3::ffi;

type Obj = *mut ffi::PyObject;

/// NULL on failure, with the error cleared.
unsafe fn made(obj: Obj) -> *const u8 {
    if obj.is_null() {
        ffi::PyErr_Clear();
    }
    obj as *const u8
}

pub unsafe extern "C" fn str_concat(a: *const u8, b: *const u8) -> *const u8 {
    made(ffi::PyUnicode_Concat(a as Obj, b as Obj))
}

/// `a + b` taking over the reference to `a`: grown in place under the
/// conditions CPython's own `PyUnicode_Append` uses (nothing else holds `a`,
/// its hash was never taken, it is not interned, and `b` fits its character
/// width), so that a loop of `s += t` is linear, not quadratic. On failure the
/// reference to `a` stays with the caller.
pub unsafe extern "C" fn str_append(a: *const u8, b: *const u8) -> *const u8 {
    let (left, right) = (a as Obj, b as Obj);
    let (left_len, right_len) = (ffi::PyUnicode_GET_LENGTH(left), ffi::PyUnicode_GET_LENGTH(right));
    // `s + s` reads the right operand from the block the resize may move.
    if right_len > 0 && left_len > 0 && left != right && grows_in_place(left, right) {
        let mut grown = left;
        if ffi::PyUnicode_Resize(&mut grown, left_len + right_len) < 0 {
            ffi::PyErr_Clear();
            return std::ptr::null();
        }
        if ffi::PyUnicode_CopyCharacters(grown, left_len, right, 0, right_len) < 0 {
            unreachable!("a str of a width that fits copies into a str it owns alone");
        }
        return grown as *const u8;
    }
    let joined = str_concat(a, b);
    if !joined.is_null() {
        ffi::Py_DECREF(left);
    }
    joined
}

unsafe fn grows_in_place(left: Obj, right: Obj) -> bool {
    let state = &*(left as *const ffi::PyASCIIObject);
    let modifiable = ffi::Py_REFCNT(left) == 1
        && state.hash == -1
        && state.interned() == ffi::SSTATE_NOT_INTERNED
        && ffi::PyUnicode_CheckExact(left) != 0;
    let ascii_gets_wider = ffi::PyUnicode_IS_ASCII(left) != 0 && ffi::PyUnicode_IS_ASCII(right) == 0;
    modifiable && ffi::PyUnicode_KIND(right) <= ffi::PyUnicode_KIND(left) && !ascii_gets_wider
}

/// `s[start:stop]` of an exact str or list, the bounds as Python takes them.
pub unsafe extern "C" fn slice(s: *const u8, start: i64, stop: i64) -> *const u8 {
    let s = s as Obj;
    let is_str = ffi::PyUnicode_CheckExact(s) != 0;
    let len = if is_str { ffi::PyUnicode_GET_LENGTH(s) } else { ffi::PyList_Size(s) } as i64;
    let clamp = |i: i64| if i < 0 { (i + len).max(0) } else { i.min(len) };
    let (start, stop) = (clamp(start) as isize, clamp(stop).max(clamp(start)) as isize);
    made(if is_str { ffi::PyUnicode_Substring(s, start, stop) } else { ffi::PyList_GetSlice(s, start, stop) })
}

/// `str(i)`: a new object every time, as CPython's `long_to_decimal_string`
/// makes (`PyUnicode_FromStringAndSize` would give the shared one-character
/// strings, which `is` and `sys.getrefcount` could tell apart).
pub unsafe extern "C" fn int_to_str(i: i64) -> *const u8 {
    let mut digits = [0u8; 20];
    let text = decimal(i, &mut digits);
    let s = ffi::PyUnicode_New(text.len() as isize, 127);
    if !s.is_null() {
        std::ptr::copy_nonoverlapping(text.as_ptr(), ffi::PyUnicode_DATA(s) as *mut u8, text.len());
    }
    made(s)
}

/// `i` in decimal, written at the end of `digits`. By hand: `format!` and
/// its padding logic took a quarter of str_build's compiled loop.
fn decimal(i: i64, digits: &mut [u8; 20]) -> &[u8] {
    let mut rest = i.unsigned_abs();
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    if i < 0 {
        start -= 1;
        digits[start] = b'-';
    }
    &digits[start..]
}

/// `abi::StrOrd`: what `builtin_ord` returns for an exact str, without
/// boxing the result or calling through `ord`.
pub unsafe extern "C" fn str_ord(s: *const u8, out: *mut u64) -> u8 {
    let s = s as Obj;
    if ffi::PyUnicode_GET_LENGTH(s) != 1 {
        return 0;
    }
    let data = ffi::PyUnicode_DATA(s);
    *out = match ffi::PyUnicode_KIND(s) {
        ffi::PyUnicode_1BYTE_KIND => u64::from(*(data as *const u8)),
        ffi::PyUnicode_2BYTE_KIND => u64::from(*(data as *const u16)),
        _ => u64::from(*(data as *const u32)),
    };
    1
}

pub unsafe extern "C" fn str_contains(needle: *const u8, hay: *const u8) -> u8 {
    (ffi::PyUnicode_Contains(hay as Obj, needle as Obj) == 1) as u8
}

/// Compared as `PyUnicode_Compare` orders them; `op` is `Py_LT`..`Py_GE`.
pub unsafe extern "C" fn str_compare(a: *const u8, b: *const u8, op: i64) -> u8 {
    if a == b && (op == ffi::Py_EQ as i64 || op == ffi::Py_NE as i64) {
        return (op == ffi::Py_EQ as i64) as u8;
    }
    let order = ffi::PyUnicode_Compare(a as Obj, b as Obj);
    let holds = match op as i32 {
        ffi::Py_LT => order < 0,
        ffi::Py_LE => order <= 0,
        ffi::Py_EQ => order == 0,
        ffi::Py_NE => order != 0,
        ffi::Py_GT => order > 0,
        _ => order >= 0,
    };
    holds as u8
}

pub unsafe extern "C" fn release(obj: *const u8) -> u8 {
    ffi::Py_DECREF(obj as Obj);
    0
}

#[cfg(test)]
mod tests {
    use super::decimal;

    #[test]
    fn decimal_writes_what_format_writes() {
        for i in [0, 7, -7, 10, -10, 99, 100, 12345, -98765, i64::MAX, i64::MIN, i64::MIN + 1] {
            let mut digits = [0u8; 20];
            assert_eq!(decimal(i, &mut digits), i.to_string().as_bytes(), "{i}");
        }
    }
}
