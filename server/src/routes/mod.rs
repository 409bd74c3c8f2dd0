//! Request handlers, one file per resource.

pub mod appointments;
pub mod body;
pub mod campaigns;
pub mod conversation;
pub mod domain;
pub mod leads;
pub mod openapi;
pub mod parse;
pub mod status;
pub mod tracker;
pub mod webhook;
