//! hotloop-tracer: the part of hotloop that knows CPython bytecode as data but
//! never calls CPython. It turns a recorded loop iteration into typed IR,
//! optimizes it and compiles it with Cranelift. Everything it needs from the live
//! runtime arrives through `abi::Abi`.

pub mod abi;
pub mod abort;
pub mod bytecode;
pub mod codegen;
pub mod ir;
pub mod methods;
pub mod opt;
pub mod record;
