//! The clinic's calendar in the conversations' database: [`SqlCalendar`] implements
//! [`bela_clinic::calendar::Calendar`] on the tracker store's SQLite or PostgreSQL pool
//! (tables `appointments` and `voucher_redemptions`, migration 0004).
//!
//! No slot is ever given twice: every write runs in a transaction that first takes the
//! calendar's write lock — `BEGIN IMMEDIATE` on SQLite (after the store's in-process write
//! turn), `pg_advisory_xact_lock` on PostgreSQL, so also across server processes — then
//! reads the active appointments around the slot, decides with
//! [`bela_clinic::calendar::slot_fits`] and writes.

mod row;
mod serial;
mod sql;
mod sql_calendar;
#[cfg(test)]
mod tests;

pub use sql_calendar::SqlCalendar;
