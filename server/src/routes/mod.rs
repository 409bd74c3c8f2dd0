//! Request handlers, one file per resource.

pub mod openapi;
pub mod parse;
pub mod status;
