//! Leads: every contact of the clinic, what it showed interest in and how far it got.
//!
//! After each turn is stored, [`Leads::after_turn`] reads the turn's new events
//! ([`TurnFacts`]) and writes them in one upsert: the contact (phone and WhatsApp profile
//! name from the message metadata, first and last contact, the channel it came from), tags
//! from the `procedure` and `concern` entities, and the stage the turn reached. Turns only
//! move a lead forward; [`Leads::set_stage`] (staff, through the API) sets any stage.
//! [`Leads::segment`] answers segment queries by tag, stage and last contact.

mod error;
mod feedback;
mod lead;
pub(crate) mod segment;
mod sql;
mod stage;
mod store;
#[cfg(test)]
mod tests;
mod turn;

pub use error::LeadError;
pub use feedback::satisfaction_tag;
pub use lead::{Lead, LeadTag, TagKind};
pub use segment::Segment;
pub use stage::LeadStage;
pub use store::Leads;
pub use turn::{Contact, Satisfaction, TurnFacts};
