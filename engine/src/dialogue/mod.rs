//! The dialogue layer: the domain, dialogue training data (stories, rules, test stories),
//! the event-sourced tracker, policies and actions. Like the NLU half it knows nothing of
//! HTTP or databases: the server persists trackers and runs actions' I/O.

pub mod actions;
pub mod domain;
pub mod events;
pub mod policy;
pub mod stories;
pub mod tracker;
