//! Load forwarding: commoning loads of memory nothing has written since.
//!
//! What: the emitter (`fold`) commons a `load_field` or `load_elem` with an
//! earlier identical load unless an instruction since may have written its
//! location. Each location has a version, bumped by every write that may hit
//! it, and a load is commoned only with one of the same version. At the loop
//! marker every location the loop writes (its body, and every bridge
//! attached to it) is bumped again, as the back edge brings the last
//! iteration's writes: a load in the body is then commoned with its pre-roll
//! twin, that is hoisted out of the loop, exactly when nothing in the loop
//! writes its location. Invariant attribute loads (with the guards on what
//! they load), list sizes and item arrays, and a range iterator's step leave
//! the loop this way.
//!
//! Locations are coarse, so that no analysis of which objects may be the
//! same is needed: one field of any object (`range.start` of every range
//! iterator is one location), the elements of every object-pointer array
//! (list items, instance values and `__slots__` members together), or of every
//! tuple. One refinement: a store to a constant index of an array address
//! leaves the other constant indexes of that same address (`p.x = ...` leaves
//! `p.v`, another slot of one instance's values). A `generic` instruction may
//! run Python code, which may write anything, the fields only Python changes
//! included (`ob_type`, a type's version). A helper that may free an object
//! (whose `__del__` may run), grow a container or call a method writes every
//! location but those.
//!
//! Store forwarding: after a store of an unboxed number into an element, a
//! load of that element at the same version is the int or float stored, so
//! the guards on it pass and its unboxing is the number (`fold`). The load
//! itself stays where an exit needs the object.
//!
//! Rejected: telling objects apart otherwise (two values may be one object,
//! and proving they are not needs allocation sites the trace seldom has);
//! carrying a stored element round the loop in a register (scalar
//! replacement), which would need the element's object at every exit.

use crate::ir::{Elems, Field, Inst, PyType, Ref};

/// The elements of every object-pointer array.
const ARRAY: Location = Location::Elems(Elems::Array);
use hashbrown::{HashMap, HashSet};

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Location {
    Field(Field),
    Elems(Elems),
}

impl Location {
    /// Whether only Python code writes it (see `Field::only_python_changes`).
    fn only_python_writes(self) -> bool {
        matches!(self, Location::Field(f) if f.only_python_changes())
    }

    /// Whether nothing writes it once its object exists: a range iterator's
    /// step, what a `zip` or `enumerate` draws from.
    fn never_written(self) -> bool {
        use Field::*;
        matches!(self, Location::Field(RangeIterStep | ZipSize | ZipIters | ZipStrict | EnumIter))
    }
}

/// What one instruction may write.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Write {
    Nothing,
    One(Location),
    /// One element of an object-pointer array: the array's address, and the
    /// index when it is a constant. It may be any element of any array, but
    /// not another constant index of the same address.
    Element(Ref, Option<i64>),
    /// Every location but those only Python code writes.
    Memory,
    /// Every location.
    Everything,
}

/// The location a load reads.
pub fn reads(inst: &Inst) -> Option<Location> {
    match *inst {
        Inst::LoadField(_, f) => Some(Location::Field(f)),
        Inst::LoadElem(_, _, elems) => Some(Location::Elems(elems)),
        _ => None,
    }
}

/// What `inst` may write. A `release` writes `Memory` unless the caller knows
/// the object is of a type whose freeing runs no code (`FREED_QUIETLY`).
pub fn writes(inst: &Inst) -> Write {
    use Inst::*;
    match *inst {
        Generic(..) => Write::Everything,
        StoreField(_, f, _) => Write::One(Location::Field(f)),
        // The emitter narrows it to one element where the index is constant.
        StoreElem(..) => Write::One(ARRAY),
        // The items of a result tuple no trace reads; what it frees holds
        // nothing.
        RefillResult(..) => Write::One(Location::Elems(Elems::Tuple)),
        // Grows its first operand in place when nothing else holds it.
        StrAppend(..) => Write::One(Location::Field(Field::StrLength)),
        ListAppend(..) | DictSet(..) | SetAdd(..) | CallMethod(..) | Release(_) | ForIterEnd(..) | GetIter(..)
        | BuildSeq(..) | DictIterNext(..) => Write::Memory,
        // `release_slot` leaves instead of freeing; strs made are new objects.
        _ => Write::Nothing,
    }
}

/// Objects of these types hold no references and have no `__del__`: freeing
/// one runs no code.
pub const FREED_QUIETLY: [PyType; 5] = [PyType::Int, PyType::Float, PyType::Bool, PyType::NoneType, PyType::Str];

/// The locations a stretch of code writes.
#[derive(Clone, Default, Debug, PartialEq)]
pub struct Written {
    locations: HashSet<Location>,
    elements: HashSet<(Ref, Option<i64>)>,
    memory: bool,
    everything: bool,
}

impl Written {
    pub fn add(&mut self, write: Write) {
        match write {
            Write::Nothing => {}
            Write::One(location) => {
                self.locations.insert(location);
            }
            Write::Element(base, index) => {
                self.elements.insert((base, index));
            }
            Write::Memory => self.memory = true,
            Write::Everything => self.everything = true,
        }
    }

    /// Whether everything this writes `other` writes too.
    pub fn within(&self, other: &Written) -> bool {
        (!self.everything || other.everything)
            && (!self.memory || other.memory || other.everything)
            && self
                .locations
                .iter()
                .all(|&l| other.locations.contains(&l) || other.everything || (other.memory && !l.only_python_writes()))
            && self.elements.iter().all(|&(base, index)| {
                let any_element = other.memory || other.everything || other.locations.contains(&ARRAY);
                any_element || other.elements.contains(&(base, index)) || other.elements.contains(&(base, None))
            })
    }

    /// The same writes with every element write widened to all elements:
    /// what another trace's writes mean here (its values are not ours).
    pub fn widened(&self) -> Written {
        let mut out = self.clone();
        if !out.elements.is_empty() {
            out.elements.clear();
            out.locations.insert(ARRAY);
        }
        out
    }

    pub fn union(&mut self, other: &Written) {
        self.locations.extend(other.locations.iter().copied());
        self.elements.extend(other.elements.iter().copied());
        self.memory |= other.memory;
        self.everything |= other.everything;
    }
}

/// The version of every location at the current point of emission.
#[derive(Clone, Default, Debug)]
pub struct Versions {
    clock: u32,
    last: HashMap<Location, u32>,
    /// Element writes: (array, constant index, when).
    elements: Vec<(Ref, Option<i64>, u32)>,
    memory: u32,
    everything: u32,
    /// Everything written so far.
    pub written: Written,
}

impl Versions {
    pub fn version(&self, location: Location) -> u32 {
        let own = self.last.get(&location).copied().unwrap_or(0);
        let broad = if location.never_written() {
            0
        } else if location.only_python_writes() {
            self.everything
        } else {
            self.memory.max(self.everything)
        };
        own.max(broad)
    }

    /// The version of element `index` (if constant) of the array at `base`:
    /// that of all array elements, or later if an element write since may
    /// have hit this one.
    pub fn element_version(&self, base: Ref, index: Option<i64>) -> u32 {
        let distinct = |b: Ref, i: Option<i64>| b == base && matches!((i, index), (Some(i), Some(j)) if i != j);
        let latest = self.elements.iter().filter(|&&(b, i, _)| !distinct(b, i)).map(|e| e.2).max();
        self.version(ARRAY).max(latest.unwrap_or(0))
    }

    pub fn apply(&mut self, write: Write) {
        if write == Write::Nothing {
            return;
        }
        self.clock += 1;
        match write {
            Write::Nothing => {}
            Write::One(location) => {
                self.last.insert(location, self.clock);
            }
            Write::Element(base, index) => self.elements.push((base, index, self.clock)),
            Write::Memory => self.memory = self.clock,
            Write::Everything => self.everything = self.clock,
        }
        self.written.add(write);
    }

    /// The back edge: everything `written` is written again.
    pub fn clobber(&mut self, written: &Written) {
        let before = self.written.clone();
        if written.everything {
            self.apply(Write::Everything);
        }
        if written.memory {
            self.apply(Write::Memory);
        }
        for &location in &written.locations {
            self.apply(Write::One(location));
        }
        for &(base, index) in &written.elements {
            self.apply(Write::Element(base, index));
        }
        // The back edge repeats writes already counted; it adds none.
        self.written = before;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_write_bumps_its_location_and_broad_writes_bump_all_they_cover() {
        let mut v = Versions::default();
        let start = Location::Field(Field::RangeIterStart);
        let ty = Location::Field(Field::ObType);
        let items = Location::Elems(Elems::Array);
        v.apply(Write::One(start));
        assert!(v.version(start) > v.version(items));
        let (ty_before, items_before) = (v.version(ty), v.version(items));
        v.apply(Write::Memory);
        assert_eq!(v.version(ty), ty_before, "only Python code changes a type");
        assert!(v.version(items) > items_before);
        v.apply(Write::Everything);
        assert!(v.version(ty) > ty_before);
        assert!(v.written.everything && v.written.memory && v.written.locations.contains(&start));
    }

    /// The body of `s0 += len(s1)` peeled, with `extra` at the end of the
    /// recorded iteration.
    fn peeled_body(extra: &str) -> String {
        use crate::ir::{Ref, Slot};
        let text = format!(
            "trace header=0 depth=0 nlocalsplus=2
            %0 obj  load_slot s0
            %1      guard_type %0 int #0
            %2 i64  unbox_int %0 #0
            %3 obj  load_slot s1
            %4      guard_type %3 list #0
            %5 i64  load_field %3 seq.size
            %6 i64  add_ov %2 %5 #0
            {extra}
            #0 pc=0 depth=0 []"
        );
        loop_body(&text, vec![(Slot(0), Ref(6))])
    }

    #[test]
    fn a_load_nothing_in_the_loop_writes_is_hoisted_and_one_it_writes_is_not() {
        let body = peeled_body("");
        assert!(!body.contains("load_field") && body.contains("add_ov"), "{body}");
        let body = peeled_body("%7      store_elem %5 %2 %2 #0");
        assert!(!body.contains("load_field"), "storing an element leaves the size:\n{body}");
        let body = peeled_body("%7      list_append %3 %2 #0");
        assert!(body.contains("load_field %3 seq.size"), "an append changes it:\n{body}");
    }

    /// The body of `p.x = p.x + p.v` (element 0 and 1 of the values array
    /// `%2`), peeled.
    fn attribute_body() -> String {
        let text = "trace header=0 depth=0 nlocalsplus=1
            %0 obj  load_slot s0
            %1 i64  const 0
            %2 i64  load_field %0 instance.values
            %3 i64  const 1
            %4 obj  load_elem %2 %1 array
            %5      guard_type %4 float #0
            %6 f64  unbox_float %4
            %7 obj  load_elem %2 %3 array
            %8      guard_type %7 float #0
            %9 f64  unbox_float %7
            %10 f64 fadd %6 %9
            %11     store_elem %2 %1 %10 #0
            %12 obj load_elem %2 %1 array
            %13     guard_type %12 float #0
            %14 f64 unbox_float %12
            %15 bool fcmp gt %14 %9
            %16     guard_false %15 #0
            #0 pc=0 depth=0 []";
        loop_body(text, Vec::new())
    }

    fn loop_body(text: &str, carried: Vec<(crate::ir::Slot, crate::ir::Ref)>) -> String {
        crate::opt::peel::tests::loop_body(text, carried, 0)
    }

    #[test]
    fn a_store_to_one_element_leaves_another_of_the_same_array_and_is_forwarded_to_its_own_loads() {
        let body = attribute_body();
        // Element 1 is never stored: loaded once, before the loop. Element 0 is
        // loaded once per turn; after the store, its float is the one stored.
        assert_eq!(body.matches("load_elem").count(), 1, "{body}");
        assert!(body.contains("load_elem %2 %1 array"), "{body}");
        assert_eq!(body.matches("guard_type").count(), 1, "{body}");
        assert!(body.contains("store_elem") && body.contains("fcmp gt"), "{body}");
    }

    #[test]
    fn clobbering_bumps_what_was_written_and_adds_nothing_to_it() {
        let mut v = Versions::default();
        let mut loop_writes = Written::default();
        loop_writes.add(Write::One(Location::Elems(Elems::Array)));
        let step = Location::Field(Field::RangeIterStep);
        let (step_before, items_before) = (v.version(step), v.version(Location::Elems(Elems::Array)));
        v.clobber(&loop_writes);
        assert_eq!(v.version(step), step_before);
        assert!(v.version(Location::Elems(Elems::Array)) > items_before);
        assert_eq!(v.written, Written::default());
    }
}
