//! Per-module activation: which code objects get JUMP events at all, when
//! `hotloop.enable(modules=[...])` or `hotloop.activate()` names the modules to
//! accelerate (a name covers its submodules too).
//!
//! Most code is decided when it is created or found, by its file: the modules
//! in `sys.modules` loaded from it (`hotloop._select` keeps that index; a
//! module is in `sys.modules` before its code is unmarshalled). Code whose file
//! no module claims (`exec` of a string, a `.pyc` without its source) is
//! decided at its first back edge by the `__name__` of the globals it runs
//! with, and loses its events there if it is not selected. So loops outside
//! the selection cost nothing, or one callback per code object.
//!
//! Rejected: deciding every code object at its first back edge (a callback per
//! loop of every module, the bar is none); resolving module names to files up
//! front with `importlib.util.find_spec` (it imports parent packages, which the
//! program may not do, or not yet).

use hashbrown::{HashMap, HashSet};
use pyo3::ffi;
use pyo3::prelude::*;

pub struct ModuleFilter {
    names: Vec<String>,
    /// co_filename -> what code from that file gets.
    by_file: HashMap<String, Choice>,
    /// Instrumented code objects waiting for their first back edge.
    undecided: HashSet<usize>,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Choice {
    Selected,
    Skipped,
    Undecided,
}

impl ModuleFilter {
    pub fn new(names: Vec<String>) -> Self {
        ModuleFilter { names, by_file: HashMap::new(), undecided: HashSet::new() }
    }

    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Select `names` too. Code skipped by its file may now be selected.
    pub fn add(&mut self, names: Vec<String>) {
        for name in names {
            if !self.names.contains(&name) {
                self.names.push(name);
            }
        }
        self.by_file.retain(|_, choice| *choice != Choice::Skipped);
    }

    pub fn selects(&self, module: &str) -> bool {
        self.names
            .iter()
            .any(|name| module.strip_prefix(name.as_str()).is_some_and(|rest| rest.is_empty() || rest.starts_with('.')))
    }

    /// What `code` gets, by the modules loaded from its file.
    pub fn choose(&mut self, py: Python<'_>, code: *mut ffi::PyObject) -> Choice {
        let choice = self.choose_by_file(py, code).unwrap_or_else(|err| {
            log::debug!("cannot tell the module of code {code:#x?} by its file: {err}");
            Choice::Undecided
        });
        if choice == Choice::Undecided {
            self.undecided.insert(code as usize);
        }
        choice
    }

    fn choose_by_file(&mut self, py: Python<'_>, code: *mut ffi::PyObject) -> PyResult<Choice> {
        // SAFETY: `code` is a live code object (the caller holds it).
        let code = unsafe { Bound::from_borrowed_ptr(py, code) };
        let filename: String = code.getattr("co_filename")?.extract()?;
        if let Some(&choice) = self.by_file.get(&filename) {
            return Ok(choice);
        }
        let modules: Vec<String> =
            py.import("hotloop._select")?.call_method1("modules_of_file", (&filename,))?.extract()?;
        let choice = if modules.iter().any(|m| self.selects(m)) {
            Choice::Selected
        } else if modules.is_empty() {
            Choice::Undecided
        } else {
            Choice::Skipped
        };
        self.by_file.insert(filename, choice);
        Ok(choice)
    }

    /// Whether `code` still waits for its first back edge.
    pub fn is_undecided(&self, code: usize) -> bool {
        self.undecided.contains(&code)
    }

    /// Decide undecided `code` at its first back edge, by the `__name__` of the
    /// globals of the running frame.
    pub fn decide_running(&mut self, code: usize) -> bool {
        self.undecided.remove(&code);
        // SAFETY: called from a monitoring callback, so a Python frame runs, and
        // with the GIL held; the dict lookup runs no Python code for a str key.
        let name = unsafe {
            let globals = ffi::PyEval_GetGlobals();
            if globals.is_null() {
                return false;
            }
            let name = ffi::PyDict_GetItemString(globals, c"__name__".as_ptr());
            if name.is_null() || ffi::PyUnicode_Check(name) == 0 {
                return false;
            }
            let mut size: ffi::Py_ssize_t = 0;
            let utf8 = ffi::PyUnicode_AsUTF8AndSize(name, &mut size);
            if utf8.is_null() {
                ffi::PyErr_Clear();
                return false;
            }
            std::slice::from_raw_parts(utf8.cast::<u8>(), size as usize)
        };
        std::str::from_utf8(name).is_ok_and(|name| self.selects(name))
    }

    /// A code object died: its address may come back as another one.
    pub fn forget(&mut self, code: usize) {
        self.undecided.remove(&code);
    }
}
