//! The dialogue layer: the domain, dialogue training data (stories, rules, test stories),
//! the event-sourced tracker, policies and actions. Like the NLU half it knows nothing of
//! HTTP or databases: the server persists trackers and runs actions' I/O.
//!
//! - [`domain`] and [`stories`] read Rasa's files; [`traces`] turns stories into events.
//! - [`events`] and [`tracker`]: a conversation is its events.
//! - [`policy`] predicts the next action; [`model`] is the trained, saved form.
//! - [`actions`] run; [`processor`] drives one message through all of it.

pub mod actions;
pub mod check;
pub mod domain;
pub mod events;
pub mod interpreter;
pub mod model;
pub mod payload;
pub mod policy;
pub mod processor;
pub mod stories;
pub mod testing;
pub mod traces;
pub mod tracker;
