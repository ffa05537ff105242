use pyo3::prelude::*;
#[pymodule]
fn _hotloop(_m: &Bound<'_, PyModule>) -> PyResult<()> { Ok(()) }
