//! The shape of compiled machine code: what a compiled loop does not do
//! (calls, floats kept in stack slots), read from Cranelift's disassembly.

use super::tests::{compile_text, RANGE_FLOAT};

/// The part of the disassembly from the loop header's label to the jump back to
/// it: the first jump to a block printed earlier (exits only jump forward).
/// Cranelift prints blocks as `blockN:` and jump targets as `labelN`.
fn loop_body(disasm: &str) -> Option<&str> {
    let mut offset = 0;
    for line in disasm.lines() {
        if let Some(target) = line.trim().strip_prefix("jmp").map(str::trim) {
            let block = format!("{}:", target.replace("label", "block"));
            if let Some(start) = disasm[..offset].find(&block) {
                return Some(&disasm[start..offset]);
            }
        }
        offset += line.len() + 1;
    }
    None
}

#[test]
fn float_loop_body_makes_no_calls() {
    let ct = compile_text(RANGE_FLOAT);
    let disasm = ct.disasm.as_deref().expect("asked for a disassembly");
    let body = loop_body(disasm).unwrap_or_else(|| panic!("no loop found in\n{disasm}"));
    assert!(!body.contains("call"), "call in the loop:\n{body}");
    assert!(body.contains("vmulsd") || body.contains("mulsd"), "not the loop:\n{body}");
    assert!(ct.code_size > 0);
    // The check does see calls: with `x = x // 0.5 + i` the body calls a helper.
    let with_call = RANGE_FLOAT.replace("%31 f64 fmul %21 %16", "%31 f64 ffloordiv %21 %16 #2");
    let ct = compile_text(&with_call);
    let disasm = ct.disasm.as_deref().unwrap();
    assert!(loop_body(disasm).is_some_and(|b| b.contains("call")), "{disasm}");
}

/// Mandelbrot's tree as hotloop makes it (`hotloop dump`): the inner loop,
/// its exit through the middle loop, and that loop's end through the outer
/// one, which calls into the runtime to make the next row's iterator and sets
/// `zr = zi = 0.0`. Its loop keeps every float in a register.
#[test]
fn mandelbrot_s_loop_keeps_its_floats_in_registers_past_its_bridges_calls() {
    let ct = compile_text(include_str!("testdata/mandelbrot_tree.ir"));
    let disasm = ct.disasm.as_deref().expect("asked for a disassembly");
    assert!(disasm.contains("call"), "the bridges call:\n{disasm}");
    let body = loop_body(disasm).unwrap_or_else(|| panic!("no loop found in\n{disasm}"));
    assert!(body.contains("mulsd"), "not the loop:\n{body}");
    let float_slots: Vec<&str> = body.lines().filter(|l| l.contains("rsp") && l.contains("xmm")).collect();
    assert!(float_slots.is_empty(), "floats in stack slots in the loop: {float_slots:?}\n{body}");
}
