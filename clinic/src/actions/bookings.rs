//! Where the actions read the calendar and voucher uses from. Only an in-memory source
//! exists for now; the persistent one belongs to the server.

use crate::Booking;
use bela_engine::dialogue::actions::BoxFuture;
use jiff::Timestamp;
use std::collections::HashMap;
use std::sync::RwLock;

/// Why the calendar could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the calendar could not be read: {0}")]
pub struct BookingSourceError(pub String);

/// The clinic's calendar as the actions see it.
pub trait BookingSource: Send + Sync {
    /// The bookings that overlap `[from, to)`.
    fn bookings(
        &self,
        from: Timestamp,
        to: Timestamp,
    ) -> BoxFuture<'_, Result<Vec<Booking>, BookingSourceError>>;

    /// How many times the voucher `code` (upper-cased) was already redeemed.
    fn voucher_uses<'a>(&'a self, code: &'a str) -> BoxFuture<'a, Result<u32, BookingSourceError>>;
}

/// A calendar held in memory (tests, demos, a single process without a database).
#[derive(Debug, Default)]
pub struct InMemoryBookings {
    bookings: RwLock<Vec<Booking>>,
    voucher_uses: RwLock<HashMap<String, u32>>,
}

impl InMemoryBookings {
    /// A calendar holding `bookings`.
    pub fn new(bookings: Vec<Booking>) -> Self {
        Self {
            bookings: RwLock::new(bookings),
            voucher_uses: RwLock::default(),
        }
    }

    /// Adds a booking.
    pub fn add(&self, booking: Booking) {
        // A poisoned lock still holds a consistent Vec: pushing cannot half-fail.
        let mut all = self.bookings.write().unwrap_or_else(|e| e.into_inner());
        all.push(booking);
    }

    /// Records that `code` was redeemed once more.
    pub fn redeem(&self, code: &str) {
        let mut uses = self.voucher_uses.write().unwrap_or_else(|e| e.into_inner());
        *uses.entry(code.to_uppercase()).or_default() += 1;
    }
}

impl BookingSource for InMemoryBookings {
    fn bookings(
        &self,
        from: Timestamp,
        to: Timestamp,
    ) -> BoxFuture<'_, Result<Vec<Booking>, BookingSourceError>> {
        let all = self.bookings.read().unwrap_or_else(|e| e.into_inner());
        let found = all
            .iter()
            .filter(|b| b.start.timestamp() < to && from < b.end.timestamp())
            .cloned()
            .collect();
        Box::pin(std::future::ready(Ok(found)))
    }

    fn voucher_uses<'a>(&'a self, code: &'a str) -> BoxFuture<'a, Result<u32, BookingSourceError>> {
        let uses = self.voucher_uses.read().unwrap_or_else(|e| e.into_inner());
        let n = uses.get(&code.to_uppercase()).copied().unwrap_or(0);
        Box::pin(std::future::ready(Ok(n)))
    }
}
