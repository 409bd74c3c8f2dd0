//! The HTTP API, end to end: a real server on 127.0.0.1 (port 0) over a model trained from
//! the test fixture project.

mod auth;
mod builtin;
mod conversations;
mod dialogue_app;
mod helpers;
mod leads;
mod openapi;
mod parse;
mod status;
mod tracker;
mod whatsapp;
