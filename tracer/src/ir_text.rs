//! The trace IR's text form: `Display` for traces, snapshots and
//! instructions, and `parse_trace`, its inverse. `hotloop dump` prints it and
//! the pass tests are written in it.

use super::*;
use std::fmt;

impl fmt::Display for Ref {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&format!("%{}", self.0))
    }
}

impl fmt::Display for Slot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(shadowed) = self.shadowed() {
            return write!(f, "i{shadowed}");
        }
        match (self.name_index(), self.generator_index()) {
            (Some(n), _) => write!(f, "n{n}"),
            (_, Some(g)) => write!(f, "g{g}"),
            _ => write!(f, "s{}", self.0),
        }
    }
}

impl fmt::Display for SnapId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

impl Ty {
    pub fn name(self) -> &'static str {
        match self {
            Ty::Void => "",
            Ty::I64 => "i64",
            Ty::F64 => "f64",
            Ty::Bool => "bool",
            Ty::Obj => "obj",
        }
    }
}

macro_rules! name_table {
    ($ty:ident { $($variant:ident => $text:literal),* $(,)? }) => {
        impl $ty {
            pub fn name(self) -> &'static str {
                match self { $($ty::$variant => $text),* }
            }
            pub fn from_name(s: &str) -> Option<$ty> {
                match s { $($text => Some($ty::$variant),)* _ => None }
            }
        }
    };
}

name_table!(PyType {
    Int => "int", Float => "float", Bool => "bool", NoneType => "NoneType", RangeIter => "range_iterator",
    List => "list", Tuple => "tuple", ListIter => "list_iterator",
    ListRevIter => "list_reverseiterator", StrIter => "str_iterator", TupleIter => "tuple_iterator",
    Enumerate => "enumerate", Zip => "zip", Dict => "dict", Str => "str",
    DictKeyIter => "dict_keyiterator", DictValueIter => "dict_valueiterator", DictItemIter => "dict_itemiterator",
    Generator => "generator", Set => "set", Cell => "cell",
});
name_table!(Elems { Array => "array", Tuple => "tuple" });
name_table!(Cmp { Lt => "lt", Le => "le", Eq => "eq", Ne => "ne", Gt => "gt", Ge => "ge" });
name_table!(MathFn { Sqrt => "sqrt", Exp => "exp", Log => "log", Log10 => "log10", Sin => "sin", Cos => "cos", Tan => "tan", Atan => "atan" });
name_table!(Rounding { Trunc => "trunc", Floor => "floor", Ceil => "ceil" });
name_table!(Field {
    RangeIterStart => "range.start", RangeIterStep => "range.step", RangeIterLen => "range.len",
    SeqSize => "seq.size", ListItems => "list.items", SeqIterIndex => "seqiter.index", SeqIterSeq => "seqiter.seq",
    EnumIndex => "enum.index", EnumIter => "enum.iter", EnumLongIndex => "enum.longindex",
    ZipSize => "zip.size", ZipIters => "zip.iters", ZipStrict => "zip.strict",
    ObType => "ob.type", TypeVersion => "type.version", InstanceValues => "instance.values",
    CachedKeys => "type.cached_keys", KeysCount => "keys.count", FuncVersion => "func.version",
    CFunctionDef => "cfunc.def", CFunctionSelf => "cfunc.self", StrLength => "str.length", SetUsed => "set.used", DictUsed => "dict.used",
    GenCode => "gen.code", GenState => "gen.state", GenPrevInstr => "gen.prev_instr",
});

impl Inst {
    /// The mnemonic used in the text form.
    pub fn mnemonic(&self) -> &'static str {
        use Inst::*;
        match self {
            ConstI64(_) => "const",
            ConstF64(_) => "fconst",
            ConstBool(_) => "bconst",
            ConstObj(_) => "oconst",
            Null => "null",
            LoadSlot(_) => "load_slot",
            ReleaseSlot(..) => "release_slot",
            ForIterEnd(..) => "for_iter_end",
            GetIter(..) => "get_iter",
            LoadName(..) => "load_name",
            GuardType(..) => "guard_type",
            GuardNotNull(..) => "guard_not_null",
            GuardTrue(..) => "guard_true",
            GuardFalse(..) => "guard_false",
            UnboxInt(..) => "unbox_int",
            UnboxFloat(_) => "unbox_float",
            UnboxBool(_) => "unbox_bool",
            IAddOv(..) => "add_ov",
            ISubOv(..) => "sub_ov",
            IMulOv(..) => "mul_ov",
            INegOv(..) => "neg_ov",
            IFloorDiv(..) => "floordiv",
            IMod(..) => "mod",
            IPow(..) => "pow",
            IShl(..) => "shl",
            IShr(..) => "shr",
            IAnd(..) => "and",
            IAdd(..) => "add",
            ISub(..) => "sub",
            IOr(..) => "or",
            IXor(..) => "xor",
            IInvert(_) => "invert",
            ICmp(..) => "icmp",
            FAdd(..) => "fadd",
            FSub(..) => "fsub",
            FMul(..) => "fmul",
            FDiv(..) => "fdiv",
            FFloorDiv(..) => "ffloordiv",
            FMod(..) => "fmod",
            FPow(..) => "fpow",
            FNeg(_) => "fneg",
            FCmp(..) => "fcmp",
            IToF(_) => "itof",
            IToFExact(..) => "itof_exact",
            BoolToI(_) => "btoi",
            BNot(_) => "bnot",
            ITruth(_) => "itruth",
            FTruth(_) => "ftruth",
            ObjIs(..) => "is",
            IModKeeps(..) => "mod_keeps",
            IShrKeeps(..) => "shr_keeps",
            IAbsOv(..) => "abs_ov",
            FAbs(_) => "fabs",
            IMin(..) => "min",
            IMax(..) => "max",
            FMin(..) => "fmin",
            FMax(..) => "fmax",
            FMath(..) => "fmath",
            FToI(..) => "ftoi",
            LoadField(..) => "load_field",
            LoadElem(..) => "load_elem",
            StoreElem(..) => "store_elem",
            DictGet(..) => "dict_get",
            DictSet(..) => "dict_set",
            Contains(PyType::Set, ..) => "set_contains",
            Contains(PyType::List, ..) => "list_contains",
            Contains(..) => "tuple_contains",
            SetAdd(..) => "set_add",
            StrChar(..) => "str_char",
            StrCharNew(..) => "str_char_new",
            DictIterNext(..) => "dict_iter_next",
            StrConcat(..) => "str_concat",
            StrAppend(..) => "str_append",
            Slice(PyType::List, ..) => "list_slice",
            Slice(..) => "str_slice",
            IntToStr(..) => "int_to_str",
            StrContains(..) => "str_contains",
            StrCmp(..) => "str_cmp",
            CallMethod(..) => "call_method",
            BuildSeq(PyType::Tuple, ..) => "build_tuple",
            BuildSeq(..) => "build_list",
            RefillResult(..) => "refill_result",
            Release(_) => "release",
            NewRef(_) => "new_ref",
            Fresh(_) => "fresh",
            Select(..) => "select",
            ListAppend(..) => "list_append",
            Generic(out, _) => out.name(),
            GenericBelow(_) => "generic_below",
            StoreField(..) => "store_field",
            Loop => "loop",
            Phi(..) => "phi",
            Side(_) => "side",
            SideBack(..) => "side_back",
            Reenter(_) => "reenter",
        }
    }
}

fn fmt_f64(v: f64) -> String {
    if v.is_nan() || v.is_infinite() {
        format!("{v}")
    } else {
        format!("{v:?}")
    }
}

impl fmt::Display for Inst {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use Inst::*;
        write!(f, "{}", self.mnemonic())?;
        match *self {
            ConstI64(v) => write!(f, " {v}")?,
            ConstF64(bits) => write!(f, " {}", fmt_f64(f64::from_bits(bits)))?,
            ConstBool(b) => write!(f, " {}", if b { "true" } else { "false" })?,
            ConstObj(p) => write!(f, " 0x{p:x}")?,
            LoadSlot(s) | ReleaseSlot(s, _) => write!(f, " {s}")?,
            LoadName(s, key) => write!(f, " {s} {key}")?,
            GuardType(a, t, _) => write!(f, " {a} {}", t.name())?,
            ForIterEnd(t, s, _) => write!(f, " {} {s}", t.name())?,
            GetIter(args, s, _) => {
                write!(f, " {s}")?;
                for a in &args {
                    write!(f, " {a}")?;
                }
            }
            ICmp(c, a, b) | FCmp(c, a, b) | StrCmp(c, a, b) => write!(f, " {} {a} {b}", c.name())?,
            LoadField(a, fl) => write!(f, " {a} {}", fl.name())?,
            LoadElem(a, i, e) => write!(f, " {a} {i} {}", e.name())?,
            FMath(m, a, _) => write!(f, " {} {a}", m.name())?,
            FToI(r, a, _) => write!(f, " {} {a}", r.name())?,
            StoreField(a, fl, v) => write!(f, " {a} {} {v}", fl.name())?,
            CallMethod(m, args, _) => {
                write!(f, " {}", m.qualified_name())?;
                for a in &args {
                    write!(f, " {a}")?;
                }
            }
            _ => {
                for a in &self.operands() {
                    write!(f, " {a}")?;
                }
            }
        }
        if let Some(s) = self.snap() {
            write!(f, " {s}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Snapshot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "pc={} depth={}", self.pc, self.depth)?;
        if let Some(g) = self.generator {
            let state = if g.running { "running" } else { "suspended" };
            write!(f, " gen={state}:{}:{}", g.pc, g.depth)?;
        }
        write!(f, " [")?;
        for (i, (slot, r)) in self.entries.iter().enumerate() {
            write!(f, "{}{slot}={r}", if i > 0 { " " } else { "" })?;
        }
        write!(f, "]")
    }
}

impl fmt::Display for Trace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "trace header={} depth={} nlocalsplus={}", self.header_pc, self.header_depth, self.nlocalsplus)?;
        if let Some(g) = self.generator {
            write!(f, " generator={}:{}:{}:{}", g.iterator, g.nlocalsplus, g.suspended.pc, g.suspended.depth)?;
        }
        writeln!(f)?;
        for r in self.refs() {
            let inst = self.inst(r);
            if matches!(inst, Inst::Loop) {
                writeln!(f, "{r:<5} ---- loop ----")?;
                continue;
            }
            if let Inst::Side(guard) = inst {
                writeln!(f, "{r:<5} ---- side {guard} ----")?;
                continue;
            }
            writeln!(f, "{r:<5} {:<4} {inst}", self.ty(r).name())?;
        }
        for (i, s) in self.snaps.iter().enumerate() {
            let marker = if self.loop_snap == Some(SnapId(i as u32)) { " loop" } else { "" };
            writeln!(f, "#{i:<4} {s}{marker}")?;
        }
        if !self.twins.is_empty() {
            let pairs: Vec<String> = self.twins.iter().map(|(a, b)| format!("{a}={b}")).collect();
            writeln!(f, "twins {}", pairs.join(" "))?;
        }
        if !self.proven.is_empty() {
            let guards: Vec<String> = self.proven.iter().map(|g| g.to_string()).collect();
            writeln!(f, "proven {}", guards.join(" "))?;
        }
        if !self.boxed_numbers.is_empty() {
            let numbers: Vec<String> = self
                .boxed_numbers
                .iter()
                .map(|(p, n)| match *n {
                    BoxedNumber::Int(v) => format!("0x{p:x}=int:{v}"),
                    BoxedNumber::Float(v) => format!("0x{p:x}=float:{}", fmt_f64(v)),
                    BoxedNumber::Bool(v) => format!("0x{p:x}=bool:{v}"),
                })
                .collect();
            writeln!(f, "numbers {}", numbers.join(" "))?;
        }
        Ok(())
    }
}

/// Parse the text form written by `Display for Trace`. Types after the ref are
/// ignored (they are derived) so tests may omit them.
pub fn parse_trace(text: &str) -> Result<Trace, String> {
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with(';'));
    let header = lines.next().ok_or("empty trace text")?;
    let mut trace = Trace::new(0, 0, 0);
    for word in header.split_whitespace().skip(1) {
        let (key, val) = word.split_once('=').ok_or_else(|| format!("bad header word {word:?}"))?;
        if key == "generator" {
            // `generator=ITERATOR_SLOT:NLOCALSPLUS:RESUME_PC:DEPTH`
            let parts: Vec<&str> = val.split(':').collect();
            let number = |s: &str| s.parse::<u32>().map_err(|_| format!("bad number in {word:?}"));
            let [iterator, nlocalsplus, pc, depth] = parts[..] else { return Err(format!("bad generator {val:?}")) };
            trace.generator = Some(InlinedGenerator {
                iterator: Slot::parse(iterator).ok_or_else(|| format!("bad slot in {word:?}"))?,
                nlocalsplus: number(nlocalsplus)?,
                suspended: GeneratorPoint { pc: number(pc)?, depth: number(depth)?, running: false },
            });
            continue;
        }
        let v: u32 = val.parse().map_err(|_| format!("bad number in {word:?}"))?;
        match key {
            "header" => trace.header_pc = v,
            "depth" => trace.header_depth = v,
            "nlocalsplus" => trace.nlocalsplus = v,
            _ => return Err(format!("unknown header key {key:?}")),
        }
    }
    for line in lines {
        if line.starts_with('#') {
            parse_snapshot_line(line, &mut trace)?;
        } else if let Some(pairs) = line.strip_prefix("twins ") {
            for pair in pairs.split_whitespace() {
                let (a, b) = pair.split_once('=').ok_or_else(|| format!("bad twin {pair:?}"))?;
                trace.twins.push((parse_ref(a)?, parse_ref(b)?));
            }
        } else if let Some(guards) = line.strip_prefix("proven ") {
            for guard in guards.split_whitespace() {
                trace.proven.push(parse_ref(guard)?);
            }
        } else if let Some(numbers) = line.strip_prefix("numbers ") {
            for word in numbers.split_whitespace() {
                let (address, number) = parse_boxed_number(word).ok_or_else(|| format!("bad number {word:?}"))?;
                trace.boxed_numbers.insert(address, number);
            }
        } else {
            let inst = parse_inst_line(line, trace.insts.len())?;
            trace.insts.push(inst);
        }
    }
    trace.verify().map(|()| trace)
}

fn parse_snapshot_line(line: &str, trace: &mut Trace) -> Result<(), String> {
    let (id, rest) = line[1..].split_once(char::is_whitespace).ok_or_else(|| format!("bad snapshot {line:?}"))?;
    let id: usize = id.parse().map_err(|_| format!("bad snapshot id in {line:?}"))?;
    if id != trace.snaps.len() {
        return Err(format!("snapshot #{id} out of order"));
    }
    let (fields, rest) = rest.split_once('[').ok_or_else(|| format!("snapshot without [ in {line:?}"))?;
    let (entries, tail) = rest.split_once(']').ok_or_else(|| format!("snapshot without ] in {line:?}"))?;
    let mut snap = Snapshot { pc: 0, depth: 0, entries: Vec::new(), generator: None };
    for word in fields.split_whitespace() {
        match word.split_once('=') {
            Some(("pc", v)) => snap.pc = v.parse().map_err(|_| format!("bad pc in {line:?}"))?,
            Some(("depth", v)) => snap.depth = v.parse().map_err(|_| format!("bad depth in {line:?}"))?,
            Some(("gen", v)) => {
                snap.generator = Some(parse_generator_point(v).ok_or_else(|| format!("bad gen in {line:?}"))?)
            }
            _ => return Err(format!("bad snapshot field {word:?}")),
        }
    }
    for word in entries.split_whitespace() {
        let (slot, r) = word.split_once('=').ok_or_else(|| format!("bad snapshot entry {word:?}"))?;
        let slot = Slot::parse(slot).ok_or_else(|| format!("bad slot {slot:?}"))?;
        snap.entries.push((slot, parse_ref(r)?));
    }
    if tail.trim() == "loop" {
        trace.loop_snap = Some(SnapId(id as u32));
    }
    trace.snaps.push(snap);
    Ok(())
}

/// `0xADDRESS=int:V`, `=float:V` or `=bool:V` (`Trace::boxed_numbers`).
fn parse_boxed_number(word: &str) -> Option<(u64, BoxedNumber)> {
    let (address, number) = word.split_once('=')?;
    let address = u64::from_str_radix(address.strip_prefix("0x")?, 16).ok()?;
    let number = match number.split_once(':')? {
        ("int", v) => BoxedNumber::Int(v.parse().ok()?),
        ("float", v) => BoxedNumber::Float(v.parse().ok()?),
        ("bool", v) => BoxedNumber::Bool(v.parse().ok()?),
        _ => return None,
    };
    Some((address, number))
}

/// `running:PC:DEPTH` or `suspended:PC:DEPTH`.
fn parse_generator_point(text: &str) -> Option<GeneratorPoint> {
    let mut parts = text.split(':');
    let running = match parts.next()? {
        "running" => true,
        "suspended" => false,
        _ => return None,
    };
    let pc = parts.next()?.parse().ok()?;
    let depth = parts.next()?.parse().ok()?;
    parts.next().is_none().then_some(GeneratorPoint { pc, depth, running })
}

fn parse_ref(s: &str) -> Result<Ref, String> {
    s.strip_prefix('%').and_then(|n| n.parse().ok()).map(Ref).ok_or_else(|| format!("bad value reference {s:?}"))
}

fn parse_refs(args: &[&str]) -> Result<Vec<Ref>, String> {
    args.iter().map(|a| parse_ref(a)).collect()
}

fn parse_snap_ref(s: &str) -> Result<SnapId, String> {
    s.strip_prefix('#').and_then(|n| n.parse().ok()).map(SnapId).ok_or_else(|| format!("bad snapshot reference {s:?}"))
}

fn parse_inst_line(line: &str, expected: usize) -> Result<Inst, String> {
    let mut words = line.split_whitespace().peekable();
    let r = parse_ref(words.next().ok_or("empty line")?)?;
    if r.index() != expected {
        return Err(format!("{r} out of order (expected %{expected})"));
    }
    if words.peek() == Some(&"----") {
        let words: Vec<&str> = words.collect();
        return match words.as_slice() {
            ["----", "loop", "----"] => Ok(Inst::Loop),
            ["----", "side", guard, "----"] => Ok(Inst::Side(parse_ref(guard)?)),
            _ => Err(format!("{r}: bad marker line")),
        };
    }
    if words.peek().is_some_and(|w| matches!(*w, "i64" | "f64" | "bool" | "obj")) {
        words.next();
    }
    let mnemonic = words.next().ok_or_else(|| format!("{r}: missing mnemonic"))?;
    let args: Vec<&str> = words.collect();
    parse_inst(mnemonic, &args).map_err(|e| format!("{r}: {e}"))
}

fn parse_inst(m: &str, args: &[&str]) -> Result<Inst, String> {
    use Inst::*;
    let want = |n: usize| {
        if args.len() == n {
            Ok(())
        } else {
            Err(format!("`{m}` takes {n} operands, got {}", args.len()))
        }
    };
    let r = |i: usize| parse_ref(args[i]);
    let s = |i: usize| parse_snap_ref(args[i]);
    let cmp = |i: usize| Cmp::from_name(args[i]).ok_or_else(|| format!("bad condition {:?}", args[i]));
    let field = |i: usize| Field::from_name(args[i]).ok_or_else(|| format!("bad field {:?}", args[i]));
    let unary: Option<fn(Ref) -> Inst> = match m {
        "unbox_float" => Some(UnboxFloat),
        "unbox_bool" => Some(UnboxBool),
        "invert" => Some(IInvert),
        "fneg" => Some(FNeg),
        "fabs" => Some(FAbs),
        "itof" => Some(IToF),
        "btoi" => Some(BoolToI),
        "bnot" => Some(BNot),
        "itruth" => Some(ITruth),
        "ftruth" => Some(FTruth),
        _ => None,
    };
    if let Some(make) = unary {
        want(1)?;
        return Ok(make(r(0)?));
    }
    let unary_exit: Option<fn(Ref, SnapId) -> Inst> = match m {
        "guard_not_null" => Some(GuardNotNull),
        "guard_true" => Some(GuardTrue),
        "guard_false" => Some(GuardFalse),
        "unbox_int" => Some(UnboxInt),
        "neg_ov" => Some(INegOv),
        "itof_exact" => Some(IToFExact),
        "abs_ov" => Some(IAbsOv),
        _ => None,
    };
    if let Some(make) = unary_exit {
        want(2)?;
        return Ok(make(r(0)?, s(1)?));
    }
    let binary: Option<fn(Ref, Ref) -> Inst> = match m {
        "and" => Some(IAnd),
        "add" => Some(IAdd),
        "sub" => Some(ISub),
        "or" => Some(IOr),
        "xor" => Some(IXor),
        "fadd" => Some(FAdd),
        "fsub" => Some(FSub),
        "fmul" => Some(FMul),
        "is" => Some(ObjIs),
        "mod_keeps" => Some(IModKeeps),
        "shr_keeps" => Some(IShrKeeps),
        "min" => Some(IMin),
        "max" => Some(IMax),
        "fmin" => Some(FMin),
        "fmax" => Some(FMax),
        "phi" => Some(Phi),
        "side_back" => Some(SideBack),
        _ => None,
    };
    if let Some(make) = binary {
        want(2)?;
        return Ok(make(r(0)?, r(1)?));
    }
    let binary_exit: Option<fn(Ref, Ref, SnapId) -> Inst> = match m {
        "add_ov" => Some(IAddOv),
        "sub_ov" => Some(ISubOv),
        "mul_ov" => Some(IMulOv),
        "floordiv" => Some(IFloorDiv),
        "mod" => Some(IMod),
        "pow" => Some(IPow),
        "shl" => Some(IShl),
        "shr" => Some(IShr),
        "fdiv" => Some(FDiv),
        "ffloordiv" => Some(FFloorDiv),
        "fmod" => Some(FMod),
        "fpow" => Some(FPow),
        _ => None,
    };
    if let Some(make) = binary_exit {
        want(3)?;
        return Ok(make(r(0)?, r(1)?, s(2)?));
    }
    let number = |i: usize| args[i].parse::<f64>().map_err(|_| format!("bad number {:?}", args[i]));
    match m {
        "const" => {
            want(1)?;
            args[0].parse().map(ConstI64).map_err(|_| format!("bad integer {:?}", args[0]))
        }
        "fconst" => {
            want(1)?;
            number(0).map(|v| ConstF64(v.to_bits()))
        }
        "bconst" => {
            want(1)?;
            match args[0] {
                "true" => Ok(ConstBool(true)),
                "false" => Ok(ConstBool(false)),
                other => Err(format!("bad bool {other:?}")),
            }
        }
        "oconst" => {
            want(1)?;
            let hex = args[0].strip_prefix("0x").ok_or("object constants are written 0x...")?;
            u64::from_str_radix(hex, 16).map(ConstObj).map_err(|e| e.to_string())
        }
        "null" => want(0).map(|()| Null),
        "load_name" => {
            want(2)?;
            let slot = Slot::parse(args[0]).filter(|s| s.name_index().is_some()).ok_or("bad name slot")?;
            Ok(LoadName(slot, r(1)?))
        }
        "load_slot" => {
            want(1)?;
            let n = args[0].strip_prefix('s').and_then(|n| n.parse().ok()).ok_or("bad slot")?;
            Ok(LoadSlot(Slot(n)))
        }
        "release_slot" => {
            want(2)?;
            let n = args[0].strip_prefix('s').and_then(|n| n.parse().ok()).ok_or("bad slot")?;
            Ok(ReleaseSlot(Slot(n), s(1)?))
        }
        "for_iter_end" => {
            want(3)?;
            let ty = PyType::from_name(args[0]).ok_or_else(|| format!("bad type {:?}", args[0]))?;
            let n = args[1].strip_prefix('s').and_then(|n| n.parse().ok()).ok_or("bad slot")?;
            Ok(ForIterEnd(ty, Slot(n), s(2)?))
        }
        "get_iter" => {
            if args.len() != 3 && args.len() != 5 {
                return Err("`get_iter` takes a slot, one or three operands and a snapshot".into());
            }
            let n = args[0].strip_prefix('s').and_then(|n| n.parse().ok()).ok_or("bad slot")?;
            let refs = (1..args.len() - 1).map(r).collect::<Result<Vec<Ref>, String>>()?;
            Ok(GetIter(Operands::from_slice(&refs), Slot(n), s(args.len() - 1)?))
        }
        "guard_type" => {
            want(3)?;
            let ty = PyType::from_name(args[1]).ok_or_else(|| format!("bad type {:?}", args[1]))?;
            Ok(GuardType(r(0)?, ty, s(2)?))
        }
        "icmp" => want(3).and_then(|()| Ok(ICmp(cmp(0)?, r(1)?, r(2)?))),
        "fcmp" => want(3).and_then(|()| Ok(FCmp(cmp(0)?, r(1)?, r(2)?))),
        "load_field" => want(2).and_then(|()| Ok(LoadField(r(0)?, field(1)?))),
        "generic" | "generic_truth" | "generic_void" => {
            want(1)?;
            let out = [OpOut::Obj, OpOut::Truth, OpOut::Nothing].into_iter().find(|o| o.name() == m).expect("matched");
            Ok(Generic(out, s(0)?))
        }
        "list_append" => {
            want(3)?;
            Ok(ListAppend(r(0)?, r(1)?, s(2)?))
        }
        "dict_get" => want(3).and_then(|()| Ok(DictGet(r(0)?, r(1)?, s(2)?))),
        "set_contains" | "list_contains" | "tuple_contains" => {
            want(3)?;
            let ty = match m {
                "set_contains" => PyType::Set,
                "list_contains" => PyType::List,
                _ => PyType::Tuple,
            };
            Ok(Contains(ty, r(0)?, r(1)?, s(2)?))
        }
        "set_add" => want(3).and_then(|()| Ok(SetAdd(r(0)?, r(1)?, s(2)?))),
        "dict_set" => want(4).and_then(|()| Ok(DictSet(r(0)?, r(1)?, r(2)?, s(3)?))),
        "str_char" => want(3).and_then(|()| Ok(StrChar(r(0)?, r(1)?, s(2)?))),
        "str_char_new" => want(3).and_then(|()| Ok(StrCharNew(r(0)?, r(1)?, s(2)?))),
        "dict_iter_next" => want(2).and_then(|()| Ok(DictIterNext(r(0)?, s(1)?))),
        "str_concat" => want(3).and_then(|()| Ok(StrConcat(r(0)?, r(1)?, s(2)?))),
        "str_append" => want(3).and_then(|()| Ok(StrAppend(r(0)?, r(1)?, s(2)?))),
        "str_slice" => want(4).and_then(|()| Ok(Slice(PyType::Str, r(0)?, r(1)?, r(2)?, s(3)?))),
        "list_slice" => want(4).and_then(|()| Ok(Slice(PyType::List, r(0)?, r(1)?, r(2)?, s(3)?))),
        "int_to_str" => want(2).and_then(|()| Ok(IntToStr(r(0)?, s(1)?))),
        "str_contains" => want(2).and_then(|()| Ok(StrContains(r(0)?, r(1)?))),
        "str_cmp" => want(3).and_then(|()| Ok(StrCmp(cmp(0)?, r(1)?, r(2)?))),
        "release" => want(1).and_then(|()| Ok(Release(r(0)?))),
        "new_ref" => want(1).and_then(|()| Ok(NewRef(r(0)?))),
        "fresh" => want(1).and_then(|()| Ok(Fresh(r(0)?))),
        "generic_below" => want(1).and_then(|()| Ok(GenericBelow(r(0)?))),
        "call_method" => {
            // `call_method OWNER.NAME RECEIVER ARGS... SNAP`
            let [name, operands @ .., snap] = args else {
                return Err("`call_method` takes a method and a snapshot".into());
            };
            let method = MethodId::from_qualified_name(name).ok_or_else(|| format!("unknown method {name:?}"))?;
            let refs = parse_refs(operands)?;
            let (least, most) = method.method().args;
            if refs.is_empty() || !(least as usize..=most as usize).contains(&(refs.len() - 1)) {
                return Err(format!("`{name}` takes {least} to {most} arguments after its receiver"));
            }
            Ok(CallMethod(method, Operands::from_slice(&refs), parse_snap_ref(snap)?))
        }
        "build_tuple" | "build_list" => {
            let [items @ .., snap] = args else {
                return Err(format!("`{m}` takes a snapshot"));
            };
            if items.len() > 3 {
                return Err(format!("`{m}` takes at most three items"));
            }
            let refs = parse_refs(items)?;
            let ty = if m == "build_tuple" { PyType::Tuple } else { PyType::List };
            Ok(BuildSeq(ty, Operands::from_slice(&refs), parse_snap_ref(snap)?))
        }
        "refill_result" => {
            let [refs @ .., snap] = args else {
                return Err("`refill_result` takes a snapshot".into());
            };
            if !(2..=3).contains(&refs.len()) {
                return Err("`refill_result` takes an iterator and one or two items".into());
            }
            let refs = parse_refs(refs)?;
            Ok(RefillResult(Operands::from_slice(&refs), parse_snap_ref(snap)?))
        }
        "select" => want(3).and_then(|()| Ok(Select(r(0)?, r(1)?, r(2)?))),
        "store_elem" => {
            want(4)?;
            Ok(StoreElem(r(0)?, r(1)?, r(2)?, s(3)?))
        }
        "load_elem" => {
            want(3)?;
            let elems = Elems::from_name(args[2]).ok_or_else(|| format!("bad element base {:?}", args[2]))?;
            Ok(LoadElem(r(0)?, r(1)?, elems))
        }
        "fmath" => {
            want(3)?;
            let m = MathFn::from_name(args[0]).ok_or_else(|| format!("bad math function {:?}", args[0]))?;
            Ok(FMath(m, r(1)?, s(2)?))
        }
        "ftoi" => {
            want(3)?;
            let how = Rounding::from_name(args[0]).ok_or_else(|| format!("bad rounding {:?}", args[0]))?;
            Ok(FToI(how, r(1)?, s(2)?))
        }
        "store_field" => want(3).and_then(|()| Ok(StoreField(r(0)?, field(1)?, r(2)?))),
        "loop" => want(0).map(|()| Loop),
        "side" => want(1).and_then(|()| Ok(Side(r(0)?))),
        "reenter" => want(1).and_then(|()| Ok(Reenter(s(0)?))),
        _ => Err(format!("unknown instruction `{m}`")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "
        trace header=28 depth=1 nlocalsplus=3
        %0 obj load_slot s3
        %1     guard_type %0 range_iterator #0
        %2 i64 load_field %0 range.len
        %3 i64 const 0
        %4 bool icmp gt %2 %3
        %5     guard_true %4 #0
        %6 obj load_slot s1
        %7     guard_type %6 float #1
        %8 f64 unbox_float %6
        %9 f64 fconst 0.5
        %10 f64 fmul %8 %9
        %11 f64 fconst -0.0
        %12 ---- loop ----
        %13 f64 phi %10 %14
        %14 f64 fadd %13 %11
        #0 pc=28 depth=1 []
        #1 pc=34 depth=1 [s2=%3]
        #2 pc=28 depth=1 [s1=%13] loop
    ";

    #[test]
    fn text_form_round_trips() {
        let trace = parse_trace(SAMPLE).expect("parses");
        assert_eq!(trace.insts.len(), 15);
        assert_eq!(trace.loop_snap, Some(SnapId(2)));
        assert_eq!(trace.ty(Ref(13)), Ty::F64);
        let printed = trace.to_string();
        let again = parse_trace(&printed).expect("printed form parses");
        assert_eq!(trace, again);
        assert!(printed.contains("%11   f64  fconst -0.0"), "{printed}");
    }

    #[test]
    fn ending_and_starting_inner_loops_round_trips() {
        let text = "trace header=0 depth=1 nlocalsplus=1
            %0 obj load_slot s0
            %1     for_iter_end list_iterator s1 #0
            %2 obj get_iter s1 %0 #0
            %3 i64 const 5
            %4 obj get_iter s1 %3 %3 %3 #0
            %5 ---- loop ----
            #0 pc=0 depth=1 [] loop";
        let trace = parse_trace(text).expect("parses");
        assert_eq!(parse_trace(&trace.to_string()).unwrap(), trace);
        assert_eq!(*trace.inst(Ref(1)), Inst::ForIterEnd(PyType::ListIter, Slot(1), SnapId(0)));
        assert_eq!(trace.inst(Ref(4)).operands().as_slice(), [Ref(3); 3]);
        let two = "trace header=0 depth=1 nlocalsplus=1\n%0 i64 const 5\n%1 obj get_iter s1 %0 %0 #0";
        assert!(parse_trace(two).unwrap_err().contains("one or three operands"));
    }

    #[test]
    fn only_a_guard_to_a_type_stores_never_release_protects_an_element() {
        let text = "trace header=0 depth=0 nlocalsplus=1
            %0 obj load_slot s0
            %1 i64 const 0
            %2 obj load_elem %0 %1 array
            %3 obj load_elem %0 %1 array
            %4     guard_type %2 list #0
            %5     guard_type %3 float #0
            %6 ---- loop ----
            #0 pc=0 depth=0 [] loop";
        let trace = parse_trace(text).expect("parses");
        assert!(trace.guarded_unreleasable(Ref(2), trace.refs()), "a list: no store releases one");
        assert!(!trace.guarded_unreleasable(Ref(3), trace.refs()), "a float: a store may replace and free it");
        assert!(!trace.guarded_unreleasable(Ref(2), trace.refs().take(4)), "the guard is not among these");
    }

    #[test]
    fn method_calls_round_trip_with_their_result_types_and_arity() {
        let text = "trace header=0 depth=0 nlocalsplus=1
            %0 obj load_slot s0
            %1 obj call_method str.split %0 %0 #0
            %2 i64 call_method str.find %1 %0 #0
            %3 bool call_method str.isdigit %0 #0
            %4 i64 call_method ord %0 #0
            %5 obj call_method chr %4 #0
            %6 ---- loop ----
            #0 pc=0 depth=0 [] loop";
        let trace = parse_trace(text).expect("parses");
        assert_eq!(parse_trace(&trace.to_string()).unwrap(), trace);
        assert_eq!([trace.ty(Ref(1)), trace.ty(Ref(2)), trace.ty(Ref(3))], [Ty::Obj, Ty::I64, Ty::Bool]);
        assert_eq!([trace.ty(Ref(4)), trace.ty(Ref(5))], [Ty::I64, Ty::Obj]);
        assert_eq!(trace.insts[1].made_type(), Some(PyType::List));
        assert!(trace.insts[1].makes_object() && !trace.insts[2].makes_object());
        let too_many = text.replace("str.isdigit %0", "str.isdigit %0 %0");
        assert!(parse_trace(&too_many).unwrap_err().contains("0 to 0 arguments"));
        let unknown = text.replace("str.find", "str.format");
        assert!(parse_trace(&unknown).unwrap_err().contains("unknown method"));
    }

    #[test]
    fn side_blocks_round_trip_and_see_only_dominating_values() {
        let text = "trace header=0 depth=0 nlocalsplus=1
            %0 const 1
            %1 ---- loop ----
            %2 i64 phi %0 %5
            %3 bool icmp lt %2 %0
            %4 guard_true %3 #0
            %5 i64 add_ov %2 %0 #0
            %6 ---- side %4 ----
            %7 i64 sub_ov %2 %0 #0
            %8 side_back %2 %7
            #0 pc=0 depth=0 [s0=%2] loop";
        let trace = parse_trace(text).expect("parses");
        assert_eq!(parse_trace(&trace.to_string()).unwrap(), trace);
        let bad = text.replace("%7 i64 sub_ov %2 %0 #0", "%7 i64 sub_ov %5 %0 #0");
        assert!(parse_trace(&bad).unwrap_err().contains("not defined before use"), "%5 follows the guard");
    }

    #[test]
    fn verify_rejects_use_before_definition() {
        let bad = "trace header=0 depth=0 nlocalsplus=1\n%0 i64 add_ov %1 %1 #0\n%1 i64 const 1\n#0 pc=0 depth=0 []";
        let err = parse_trace(bad).unwrap_err();
        assert!(err.contains("not defined before use"), "{err}");
    }

    #[test]
    fn verify_rejects_phi_type_mismatch() {
        let bad = "trace header=0 depth=0 nlocalsplus=1\n%0 const 1\n%1 fconst 1.0\n%2 ---- loop ----\n%3 phi %0 %1";
        assert!(parse_trace(bad).unwrap_err().contains("differ in type"));
    }

    #[test]
    fn parse_reports_bad_arity() {
        let bad = "trace header=0 depth=0 nlocalsplus=1\n%0 const 1\n%1 fadd %0";
        assert!(parse_trace(bad).unwrap_err().contains("takes 2 operands"));
    }
}
