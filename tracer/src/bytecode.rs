//! CPython bytecode as data: decoding `co_code` into instructions with their full
//! (EXTENDED_ARG-extended) argument, the offset of the next instruction after the
//! inline caches, and jump targets.
//!
//! Opcode numbers and cache sizes differ between CPython versions, so they are not
//! written here: `src/cpython/v3_*.rs` supplies a `BytecodeFormat` (checked against
//! the running interpreter's `dis` at import). This module only knows the *names*
//! of the instructions the recorder understands.

/// The instructions the recorder knows by meaning. Everything else is `Other`
/// and ends a recording with `NYI: <name>`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Opcode {
    Nop,
    LoadFast,
    LoadFastCheck,
    LoadFastAndClear,
    StoreFast,
    DeleteFast,
    LoadConst,
    PopTop,
    Copy,
    Swap,
    BinaryOp,
    CompareOp,
    UnaryNegative,
    UnaryNot,
    UnaryInvert,
    PopJumpIfFalse,
    PopJumpIfTrue,
    PopJumpIfNone,
    PopJumpIfNotNone,
    JumpForward,
    JumpBackward,
    ForIter,
    BinarySubscr,
    StoreSubscr,
    UnpackSequence,
    IsOp,
    ReturnValue,
    ReturnConst,
    Resume,
    PushNull,
    LoadGlobal,
    LoadName,
    StoreName,
    LoadAttr,
    Call,
    ExtendedArg,
    ContainsOp,
    BinarySlice,
    BuildSlice,
    StoreSlice,
    StoreAttr,
    KwNames,
    BuildTuple,
    BuildList,
    ListExtend,
    BuildString,
    FormatValue,
    ListAppend,
    MapAdd,
    SetAdd,
    YieldValue,
    LoadDeref,
    StoreDeref,
    BeforeWith,
    GetIter,
    Other,
}

impl Opcode {
    pub fn from_name(name: &str) -> Opcode {
        use Opcode::*;
        match name {
            "NOP" => Nop,
            "LOAD_FAST" => LoadFast,
            "LOAD_FAST_CHECK" => LoadFastCheck,
            "LOAD_FAST_AND_CLEAR" => LoadFastAndClear,
            "STORE_FAST" => StoreFast,
            "DELETE_FAST" => DeleteFast,
            "LOAD_CONST" => LoadConst,
            "POP_TOP" => PopTop,
            "COPY" => Copy,
            "SWAP" => Swap,
            "BINARY_OP" => BinaryOp,
            "COMPARE_OP" => CompareOp,
            "UNARY_NEGATIVE" => UnaryNegative,
            "UNARY_NOT" => UnaryNot,
            "UNARY_INVERT" => UnaryInvert,
            "POP_JUMP_IF_FALSE" => PopJumpIfFalse,
            "POP_JUMP_IF_TRUE" => PopJumpIfTrue,
            "POP_JUMP_IF_NONE" => PopJumpIfNone,
            "POP_JUMP_IF_NOT_NONE" => PopJumpIfNotNone,
            "JUMP_FORWARD" => JumpForward,
            "JUMP_BACKWARD" => JumpBackward,
            "FOR_ITER" => ForIter,
            "BINARY_SUBSCR" => BinarySubscr,
            "STORE_SUBSCR" => StoreSubscr,
            "UNPACK_SEQUENCE" => UnpackSequence,
            "IS_OP" => IsOp,
            "RETURN_VALUE" => ReturnValue,
            "RETURN_CONST" => ReturnConst,
            "RESUME" => Resume,
            "PUSH_NULL" => PushNull,
            "LOAD_GLOBAL" => LoadGlobal,
            "LOAD_NAME" => LoadName,
            "STORE_NAME" => StoreName,
            "LOAD_ATTR" => LoadAttr,
            "CALL" => Call,
            "EXTENDED_ARG" => ExtendedArg,
            "CONTAINS_OP" => ContainsOp,
            "BINARY_SLICE" => BinarySlice,
            "BUILD_SLICE" => BuildSlice,
            "STORE_SLICE" => StoreSlice,
            "STORE_ATTR" => StoreAttr,
            "KW_NAMES" => KwNames,
            "BUILD_TUPLE" => BuildTuple,
            "BUILD_LIST" => BuildList,
            "LIST_EXTEND" => ListExtend,
            "BUILD_STRING" => BuildString,
            "FORMAT_VALUE" => FormatValue,
            "LIST_APPEND" => ListAppend,
            "MAP_ADD" => MapAdd,
            "SET_ADD" => SetAdd,
            "YIELD_VALUE" => YieldValue,
            "LOAD_DEREF" => LoadDeref,
            "STORE_DEREF" => StoreDeref,
            "BEFORE_WITH" => BeforeWith,
            "GET_ITER" => GetIter,
            _ => Other,
        }
    }

    fn jump(self) -> Option<JumpKind> {
        use Opcode::*;
        match self {
            JumpBackward => Some(JumpKind::Backward),
            JumpForward | PopJumpIfFalse | PopJumpIfTrue | PopJumpIfNone | PopJumpIfNotNone | ForIter => {
                Some(JumpKind::Forward)
            }
            _ => None,
        }
    }
}

enum JumpKind {
    Forward,
    Backward,
}

/// What one CPython version's bytecode looks like.
#[derive(Clone, Debug)]
pub struct BytecodeFormat {
    /// `dis.opname`, padded to 256 entries.
    pub names: Vec<String>,
    pub opcodes: Vec<Opcode>,
    /// Inline cache entries (code units) after each opcode.
    pub caches: Vec<u8>,
    /// `COMPARE_OP`'s oparg holds the comparison in its bits from here up
    /// (4 on 3.12, 5 on 3.13).
    pub compare_shift: u32,
    loops_back: Vec<bool>,
}

impl BytecodeFormat {
    pub fn new(mut names: Vec<String>, mut caches: Vec<u8>, compare_shift: u32) -> BytecodeFormat {
        names.resize(256, "<unknown>".to_string());
        caches.resize(256, 0);
        let opcodes = names.iter().map(|n| Opcode::from_name(n)).collect();
        let loops_back = names.iter().map(|n| n == "JUMP_BACKWARD" || n == "INSTRUMENTED_JUMP_BACKWARD").collect();
        BytecodeFormat { names, opcodes, caches, compare_shift, loops_back }
    }

    /// Whether `op` is a backward jump, plain or instrumented.
    pub fn loops_back(&self, op: u8) -> bool {
        self.loops_back[op as usize]
    }
}

/// One decoded instruction.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Instr {
    /// Offset of the first EXTENDED_ARG prefix, or of the instruction itself.
    pub start: u32,
    /// Byte offset of the opcode.
    pub offset: u32,
    pub opcode: Opcode,
    /// The raw opcode number, for names in abort reasons.
    pub op: u8,
    pub arg: u32,
    /// Offset of the next instruction (after the inline caches).
    pub next: u32,
}

impl Instr {
    /// Where a jump goes when taken (for `FOR_ITER`, where an exhausted iterator goes).
    pub fn jump_target(&self) -> Option<u32> {
        match self.opcode.jump()? {
            JumpKind::Forward => Some(self.next + 2 * self.arg),
            JumpKind::Backward => self.next.checked_sub(2 * self.arg),
        }
    }
}

/// A decoded code object.
#[derive(Clone, Debug, Default)]
pub struct Decoded {
    instrs: Vec<Instr>,
    /// For each code unit, 1 + the index of the instruction covering it (0: a cache).
    index_of_unit: Vec<u32>,
}

impl Decoded {
    pub fn decode(code: &[u8], format: &BytecodeFormat) -> Decoded {
        let units = code.len() / 2;
        let mut decoded = Decoded { instrs: Vec::new(), index_of_unit: vec![0; units] };
        let mut unit = 0;
        let mut start = None;
        let mut ext: u32 = 0;
        while unit < units {
            let op = code[2 * unit];
            let arg = ext << 8 | code[2 * unit + 1] as u32;
            let opcode = format.opcodes[op as usize];
            let first = *start.get_or_insert(unit);
            if opcode == Opcode::ExtendedArg {
                ext = arg;
                unit += 1;
                continue;
            }
            let next_unit = unit + 1 + format.caches[op as usize] as usize;
            let offset = (2 * unit) as u32;
            decoded.instrs.push(Instr { start: 2 * first as u32, offset, opcode, op, arg, next: 2 * next_unit as u32 });
            let index = decoded.instrs.len() as u32;
            for u in first..=unit {
                decoded.index_of_unit[u] = index;
            }
            ext = 0;
            start = None;
            unit = next_unit;
        }
        decoded
    }

    /// The instruction whose opcode or EXTENDED_ARG prefix sits at `offset`.
    pub fn at(&self, offset: u32) -> Option<&Instr> {
        let index = *self.index_of_unit.get(offset as usize / 2)?;
        (index > 0 && offset % 2 == 0).then(|| &self.instrs[index as usize - 1])
    }

    pub fn instrs(&self) -> &[Instr] {
        &self.instrs
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The 3.12 numbering of the opcodes these tests use.
    pub fn format_3_12() -> BytecodeFormat {
        let mut names = vec!["<unknown>".to_string(); 256];
        let mut caches = vec![0u8; 256];
        for (name, num, cache) in [
            ("NOP", 9, 0),
            ("LOAD_FAST", 124, 0),
            ("LOAD_FAST_CHECK", 127, 0),
            ("LOAD_FAST_AND_CLEAR", 143, 0),
            ("STORE_FAST", 125, 0),
            ("DELETE_FAST", 126, 0),
            ("LOAD_CONST", 100, 0),
            ("POP_TOP", 1, 0),
            ("COPY", 120, 0),
            ("SWAP", 99, 0),
            ("BINARY_OP", 122, 1),
            ("COMPARE_OP", 107, 1),
            ("UNARY_NEGATIVE", 11, 0),
            ("UNARY_NOT", 12, 0),
            ("UNARY_INVERT", 15, 0),
            ("POP_JUMP_IF_FALSE", 114, 0),
            ("POP_JUMP_IF_TRUE", 115, 0),
            ("POP_JUMP_IF_NONE", 129, 0),
            ("POP_JUMP_IF_NOT_NONE", 128, 0),
            ("JUMP_FORWARD", 110, 0),
            ("JUMP_BACKWARD", 140, 0),
            ("FOR_ITER", 93, 1),
            ("EXTENDED_ARG", 144, 0),
            ("END_FOR", 4, 0),
            ("LOAD_GLOBAL", 116, 4),
            ("CALL", 171, 3),
            ("RETURN_VALUE", 83, 0),
            ("UNPACK_SEQUENCE", 92, 1),
            ("IS_OP", 117, 0),
            ("LOAD_NAME", 101, 0),
            ("STORE_NAME", 90, 0),
            ("LOAD_ATTR", 106, 9),
            ("STORE_ATTR", 95, 4),
            ("GET_ITER", 68, 0),
        ] {
            names[num] = name.to_string();
            caches[num] = cache;
        }
        BytecodeFormat::new(names, caches, 4)
    }

    /// Assemble `(name, arg)` pairs into 3.12 bytecode, inserting cache units.
    pub fn assemble(format: &BytecodeFormat, program: &[(&str, u32)]) -> Vec<u8> {
        let mut code = Vec::new();
        for &(name, arg) in program {
            let op = format.names.iter().position(|n| n == name).expect("known opcode");
            if arg > 255 {
                code.extend([144, (arg >> 8) as u8]);
            }
            code.extend([op as u8, arg as u8]);
            code.extend(std::iter::repeat_n(0u8, 2 * format.caches[op] as usize));
        }
        code
    }

    #[test]
    fn decodes_caches_extended_args_and_jumps() {
        let format = format_3_12();
        let code = assemble(
            &format,
            &[("LOAD_FAST", 0), ("LOAD_CONST", 300), ("BINARY_OP", 0), ("JUMP_BACKWARD", 5), ("FOR_ITER", 2)],
        );
        let decoded = Decoded::decode(&code, &format);
        let offsets: Vec<(u32, u32, Opcode, u32)> =
            decoded.instrs().iter().map(|i| (i.start, i.offset, i.opcode, i.arg)).collect();
        assert_eq!(
            offsets,
            vec![
                (0, 0, Opcode::LoadFast, 0),
                (2, 4, Opcode::LoadConst, 300),
                (6, 6, Opcode::BinaryOp, 0),
                (10, 10, Opcode::JumpBackward, 5),
                (12, 12, Opcode::ForIter, 2),
            ]
        );
        assert_eq!(decoded.at(2).map(|i| i.offset), Some(4), "EXTENDED_ARG maps to its instruction");
        assert_eq!(decoded.at(8), None, "a cache unit is no instruction");
        assert_eq!(decoded.at(10).unwrap().jump_target(), Some(2));
        assert_eq!(decoded.at(12).unwrap().jump_target(), Some(16 + 4));
    }
}
