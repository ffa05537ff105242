//! Integer bounds from guards: a guard implied by earlier ones is dropped.
//!
//! What: every passing `guard_true`/`guard_false` on a comparison of an
//! integer value with a constant teaches the emitter a bound of that value
//! (`icmp lt %k %size` passing means `size >= k + 1`). A later guard whose
//! comparison those bounds already decide is known to pass and is not emitted.
//! Values are SSA, so a bound learned anywhere holds wherever the guard that
//! taught it has run: in the rest of the pre-roll, in the body for a value
//! computed before the loop, in side blocks for what dominates them.
//!
//! Why: indexing one list at constant positions (`b[0]`, `b[1]`, ... `b[6]`)
//! checks each index against the same size; once `6 < size` has passed,
//! `3 < size` cannot fail. The same holds for `len > 0` after `len > 2`, or
//! an `i < 50` loop test seen twice.
//!
//! A passing `a < b` of two values also bounds each by the other's type:
//! `a` is below `i64::MAX`, `b` above `i64::MIN`. So after `while i < n`,
//! `i + 1` cannot overflow: the emitter makes it a plain add (`no_overflow`),
//! and the loop counter carries no overflow check.
//!
//! Rejected for now: strengthening an earlier guard to the strongest later
//! one (exiting earlier is exact, but the earlier snapshot then stands for
//! checks it did not make, and bridges are named by it); bounds through
//! arithmetic (`j = i + 1` bounded by `i`'s), which would need the range of
//! every result.

use crate::ir::{Cmp, Inst, Ref};
use hashbrown::HashMap;

/// What a passing guard says about one value: `lo <= value <= hi`.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Fact {
    lo: i64,
    hi: i64,
    /// The guard that taught it (so that `forget_from` can drop it).
    from: Ref,
}

#[derive(Clone, Default, Debug)]
pub struct Bounds {
    facts: HashMap<Ref, Vec<Fact>>,
}

/// `value cmp k`, for a comparison of a value with a constant in either order,
/// as the condition that holds when the guard passes.
pub struct Condition {
    pub value: Ref,
    pub cmp: Cmp,
    pub k: i64,
}

impl Condition {
    /// The condition `guard` checks when `cond` is `ICmp(c, a, b)` with one
    /// constant side (`constant` gives it), and `holds` is what the guard wants.
    pub fn of(cond: &Inst, holds: bool, constant: impl Fn(Ref) -> Option<i64>) -> Option<Condition> {
        let Inst::ICmp(c, a, b) = *cond else { return None };
        let (value, cmp, k) = match (constant(a), constant(b)) {
            (None, Some(k)) => (a, c, k),
            (Some(k), None) => (b, swap(c), k),
            _ => return None,
        };
        Some(Condition { value, cmp: if holds { cmp } else { negate(cmp) }, k })
    }

    /// The bounds `lo..=hi` the condition puts on its value.
    fn range(&self) -> Option<(i64, i64)> {
        let k = self.k;
        Some(match self.cmp {
            Cmp::Lt => (i64::MIN, k.checked_sub(1)?),
            Cmp::Le => (i64::MIN, k),
            Cmp::Gt => (k.checked_add(1)?, i64::MAX),
            Cmp::Ge => (k, i64::MAX),
            Cmp::Eq => (k, k),
            Cmp::Ne => return None,
        })
    }
}

/// `a c b` as `b c' a`.
fn swap(c: Cmp) -> Cmp {
    match c {
        Cmp::Lt => Cmp::Gt,
        Cmp::Le => Cmp::Ge,
        Cmp::Gt => Cmp::Lt,
        Cmp::Ge => Cmp::Le,
        other => other,
    }
}

fn negate(c: Cmp) -> Cmp {
    match c {
        Cmp::Lt => Cmp::Ge,
        Cmp::Le => Cmp::Gt,
        Cmp::Gt => Cmp::Le,
        Cmp::Ge => Cmp::Lt,
        Cmp::Eq => Cmp::Ne,
        Cmp::Ne => Cmp::Eq,
    }
}

impl Bounds {
    /// The tightest bounds known for `value`.
    fn known(&self, value: Ref) -> (i64, i64) {
        let facts = self.facts.get(&value).map(Vec::as_slice).unwrap_or_default();
        facts.iter().fold((i64::MIN, i64::MAX), |(lo, hi), f| (lo.max(f.lo), hi.min(f.hi)))
    }

    /// Whether what is known makes `condition` hold.
    pub fn implies(&self, condition: &Condition) -> bool {
        let (lo, hi) = self.known(condition.value);
        let k = condition.k;
        match condition.cmp {
            Cmp::Lt => hi < k,
            Cmp::Le => hi <= k,
            Cmp::Gt => lo > k,
            Cmp::Ge => lo >= k,
            Cmp::Eq => lo == k && hi == k,
            Cmp::Ne => k < lo || k > hi,
        }
    }

    /// The guard `from` passed, so `condition` holds from here on.
    pub fn learn(&mut self, condition: &Condition, from: Ref) {
        if let Some((lo, hi)) = condition.range() {
            self.facts.entry(condition.value).or_default().push(Fact { lo, hi, from });
        }
    }

    /// The guard `from` passed `a cmp b` (or its negation, `holds` false) of
    /// two values neither of which is a constant: a strict order bounds each
    /// by the end of the other's range.
    pub fn learn_order(&mut self, cond: &Inst, holds: bool, from: Ref) {
        let Inst::ICmp(c, a, b) = *cond else { return };
        let (low, high) = match if holds { c } else { negate(c) } {
            Cmp::Lt => (a, b),
            Cmp::Gt => (b, a),
            _ => return,
        };
        self.facts.entry(low).or_default().push(Fact { lo: i64::MIN, hi: i64::MAX - 1, from });
        self.facts.entry(high).or_default().push(Fact { lo: i64::MIN + 1, hi: i64::MAX, from });
    }

    /// `add_ov`/`sub_ov` of a value and a constant the bounds keep from
    /// overflowing, as the plain (wrapping) instruction that gives the same.
    pub fn no_overflow(&self, inst: &Inst, constant: impl Fn(Ref) -> Option<i64>) -> Option<Inst> {
        let within = |x: Ref, k: i64| {
            let (lo, hi) = self.known(x);
            if k >= 0 {
                hi.checked_add(k).is_some()
            } else {
                lo.checked_add(k).is_some()
            }
        };
        match *inst {
            Inst::IAddOv(x, y, _) => match (constant(x), constant(y)) {
                (None, Some(k)) if within(x, k) => Some(Inst::IAdd(x, y)),
                (Some(k), None) if within(y, k) => Some(Inst::IAdd(x, y)),
                _ => None,
            },
            Inst::ISubOv(x, y, _) => {
                let k = constant(y)?;
                (constant(x).is_none() && k != i64::MIN && within(x, -k)).then_some(Inst::ISub(x, y))
            }
            _ => None,
        }
    }

    /// Forget what guards from `len` on taught (they were taken back).
    pub fn forget_from(&mut self, len: usize) {
        for facts in self.facts.values_mut() {
            facts.retain(|f| f.from.index() < len);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::ir::{parse_trace, Inst};
    use crate::opt::fold::{Emitted, Emitter};

    /// Emit `text`'s guards again through a fresh emitter, after its other
    /// instructions: the mnemonics of those that survive.
    fn surviving_guards(text: &str) -> Vec<String> {
        let recorded = parse_trace(text).expect("valid trace");
        let mut e = Emitter::new_reusing(recorded.clone(), &[]);
        e.trace.insts.clear();
        let mut kept = Vec::new();
        for r in recorded.refs() {
            let inst = *recorded.inst(r);
            let emitted = if inst.is_guard() { e.emit(inst) } else { Emitted::Value(e.push(inst)) };
            if inst.is_guard() && emitted != Emitted::Nothing {
                kept.push(format!("{r}"));
            } else if inst.is_guard() {
                e.push(Inst::Null); // keeps the numbering of the text
            }
            assert!(!matches!(inst, Inst::Loop));
        }
        kept
    }

    #[test]
    fn a_guard_weaker_than_one_that_passed_is_dropped() {
        // b[6], b[3], b[7], then `len(b) > 3` and `not len(b) <= 9`.
        let kept = surviving_guards(
            "trace header=0 depth=0 nlocalsplus=1
            %0 i64 const 6
            %1 i64 const 3
            %2 i64 const 7
            %3 i64 const 9
            %4 obj load_slot s0
            %5 i64 load_field %4 seq.size
            %6 bool icmp lt %0 %5
            %7      guard_true %6 #0
            %8 bool icmp lt %1 %5
            %9      guard_true %8 #0
            %10 bool icmp lt %2 %5
            %11     guard_true %10 #0
            %12 bool icmp gt %5 %1
            %13     guard_true %12 #0
            %14 bool icmp le %5 %3
            %15     guard_false %14 #0
            #0 pc=0 depth=0 []",
        );
        assert_eq!(kept, ["%7", "%11", "%15"], "3 < size follows from 6 < size; 7 < size and size > 9 do not");
    }

    #[test]
    fn a_counter_below_another_value_is_incremented_without_an_overflow_check() {
        use crate::ir::{Ref, SnapId};
        let text = "trace header=0 depth=0 nlocalsplus=2
            %0 obj load_slot s0
            %1 i64 unbox_int %0 #0
            %2 obj load_slot s1
            %3 i64 unbox_int %2 #0
            %4 i64 const 1
            %5 bool icmp lt %1 %3
            %6      guard_true %5 #0
            #0 pc=0 depth=0 []";
        let mut e = Emitter::new(parse_trace(text).expect("valid trace"));
        // i < n passed: i + 1 and n - 1 cannot overflow; n + 1 and i - 1 may.
        let plain = |e: &mut Emitter, inst| match e.emit(inst) {
            Emitted::Value(r) => matches!(e.trace.inst(r), Inst::IAdd(..) | Inst::ISub(..)),
            other => panic!("{other:?}"),
        };
        assert!(plain(&mut e, Inst::IAddOv(Ref(1), Ref(4), SnapId(0))));
        assert!(plain(&mut e, Inst::ISubOv(Ref(3), Ref(4), SnapId(0))));
        assert!(!plain(&mut e, Inst::IAddOv(Ref(3), Ref(4), SnapId(0))));
        assert!(!plain(&mut e, Inst::ISubOv(Ref(1), Ref(4), SnapId(0))));
    }

    #[test]
    fn bounds_from_both_sides_and_equality_decide_later_tests() {
        let kept = surviving_guards(
            "trace header=0 depth=0 nlocalsplus=1
            %0 i64 const 0
            %1 i64 const 50
            %2 obj load_slot s0
            %3 i64 unbox_int %2 #0
            %4 bool icmp ge %3 %0
            %5      guard_true %4 #0
            %6 bool icmp lt %3 %1
            %7      guard_true %6 #0
            %8 bool icmp eq %3 %1
            %9      guard_false %8 #0
            %10 bool icmp lt %3 %0
            %11     guard_false %10 #0
            #0 pc=0 depth=0 []",
        );
        assert_eq!(kept, ["%5", "%7"], "0 <= i < 50 decides i != 50 and not i < 0");
    }
}
