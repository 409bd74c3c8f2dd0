//! Request handlers, one file per resource.

pub mod parse;
pub mod status;
