//! The clinic's data and its pure business logic.
//!
//! Two files in the project root, edited by the clinic without code: `clinic.yml` (the
//! [`ClinicConfig`]: hours, holidays, rooms, notices, payment, vouchers, packages) and
//! `catalogue.yml` (the [`Catalogue`]: procedures and the conditions, concerns and body
//! areas they refer to). On top of them: free slots ([`find_slots`]), quotes
//! ([`quote()`]), recommendations ([`recommend()`]), screening
//! ([`Catalogue::screening`]), and the custom actions built on them ([`actions`]), which
//! read the calendar through a [`calendar::Calendar`]. No I/O besides reading the two
//! files.

pub mod actions;
pub mod availability;
pub mod calendar;
pub mod catalogue;
pub mod config;
pub mod ids;
pub mod money;
pub mod quote;
mod reader;
pub mod recommend;
mod validate;
mod words;

#[cfg(test)]
mod testing;

pub use availability::{Booking, Grain, SearchWindow, Slot, find_slots};
pub use catalogue::{Catalogue, Procedure};
pub use config::ClinicConfig;
pub use ids::{BodyAreaId, ConcernId, ConditionId, ProcedureId};
pub use money::{Money, Percent};
pub use quote::{Quote, QuoteItem, VoucherUse, quote};
pub use recommend::{Recommendation, recommend};
pub use validate::{ClinicData, validate};
