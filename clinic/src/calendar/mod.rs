//! The clinic's calendar: appointments as the actions book, move, cancel and confirm
//! them. [`Calendar`] is the one interface; [`InMemoryCalendar`] serves tests and the
//! shell, and the server implements it on SQLite/PostgreSQL. Every implementation decides
//! whether a slot is still free with the same pure rule, [`slot_fits`], inside whatever
//! serialises its writes, so two patients confirming one slot at the same moment can
//! never both get it.

mod appointment;
pub mod conformance;
mod memory;
#[cfg(test)]
mod tests;

pub use appointment::{Appointment, AppointmentId, AppointmentStatus, NewAppointment};
pub use memory::InMemoryCalendar;

use crate::Booking;
use crate::config::Scheduling;
use bela_engine::dialogue::actions::BoxFuture;
use jiff::{Timestamp, Zoned};

/// How many appointments may overlap and how far apart they must be: the part of the
/// clinic's scheduling rules a calendar enforces when it writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capacity {
    /// Appointments allowed at the same time.
    pub rooms: u32,
    /// Minutes kept free before and after each appointment in a room.
    pub buffer_minutes: u32,
}

impl From<&Scheduling> for Capacity {
    fn from(s: &Scheduling) -> Self {
        Self {
            rooms: s.rooms,
            buffer_minutes: s.buffer_minutes,
        }
    }
}

/// Why a calendar operation did not happen.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    /// The slot has no room left (someone else took it first).
    #[error("the slot starting at {0} is no longer free")]
    SlotTaken(Timestamp),
    /// No appointment has that id (or it belongs to another patient).
    #[error("no appointment {0}")]
    NotFound(AppointmentId),
    /// The voucher reached its use limit.
    #[error("the voucher {0} reached its use limit")]
    VoucherUsedUp(String),
    /// The storage failed (database down, corrupt row).
    #[error("the calendar could not be read or written: {0}")]
    Storage(String),
}

/// The clinic's calendar as the actions see it.
pub trait Calendar: Send + Sync {
    /// The active (booked or confirmed) appointments that overlap `[from, to)`, as the
    /// availability search needs them.
    fn bookings(
        &self,
        from: Timestamp,
        to: Timestamp,
    ) -> BoxFuture<'_, Result<Vec<Booking>, CalendarError>>;

    /// Stores `new` unless its slot is full under `capacity` ([`slot_fits`] over the
    /// active appointments around it), atomically with respect to every other writer.
    fn book(
        &self,
        new: NewAppointment,
        capacity: Capacity,
    ) -> BoxFuture<'_, Result<Appointment, CalendarError>>;

    /// Moves appointment `id` of `patient` to `[start, end)` under the same rule (the
    /// appointment itself does not count against its new slot).
    fn reschedule<'a>(
        &'a self,
        patient: &'a str,
        id: &'a AppointmentId,
        start: Zoned,
        end: Zoned,
        capacity: Capacity,
    ) -> BoxFuture<'a, Result<Appointment, CalendarError>>;

    /// Sets the status of appointment `id` of `patient` (cancel, confirm, attended).
    fn set_status<'a>(
        &'a self,
        patient: &'a str,
        id: &'a AppointmentId,
        status: AppointmentStatus,
    ) -> BoxFuture<'a, Result<Appointment, CalendarError>>;

    /// The patient's active appointments that end after `from`, earliest first.
    fn upcoming<'a>(
        &'a self,
        patient: &'a str,
        from: Timestamp,
    ) -> BoxFuture<'a, Result<Vec<Appointment>, CalendarError>>;

    /// How many times the voucher `code` (upper-cased) was already redeemed.
    fn voucher_uses<'a>(&'a self, code: &'a str) -> BoxFuture<'a, Result<u32, CalendarError>>;

    /// Records one more use of `code` by `patient`, refused with
    /// [`CalendarError::VoucherUsedUp`] when `max_uses` is reached.
    fn redeem_voucher<'a>(
        &'a self,
        code: &'a str,
        patient: &'a str,
        max_uses: Option<u32>,
    ) -> BoxFuture<'a, Result<u32, CalendarError>>;
}

/// True when an appointment `[start, end)` fits among `bookings` (the active ones around
/// it): fewer than `rooms` of them, each widened by the buffer on both sides, are ever
/// running at once. The availability search uses the same rule.
pub fn slot_fits(bookings: &[Booking], start: &Zoned, end: &Zoned, capacity: Capacity) -> bool {
    crate::availability::fits(
        bookings,
        i64::from(capacity.buffer_minutes) * 60,
        capacity.rooms,
        start.timestamp().as_second(),
        end.timestamp().as_second(),
    )
}
