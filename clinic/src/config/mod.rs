//! The clinic's configuration (`clinic.yml`): who and where it is, when it opens, how it
//! books, what it charges. Edited by the clinic without code.

mod hours;
mod load;
#[cfg(test)]
mod tests;

pub use load::CONFIG_FILE;
pub(crate) use load::{hm, read};

use crate::ids::ProcedureId;
use crate::money::{Money, Percent};
use jiff::civil::{Date, Time, Weekday};
use jiff::tz::TimeZone;

/// A half-open time-of-day range `start`–`end` (`09:00-12:00`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeRange {
    /// First minute inside the range.
    pub start: Time,
    /// First minute after it.
    pub end: Time,
}

impl TimeRange {
    /// True when the two ranges share a minute.
    pub fn overlaps(&self, other: &TimeRange) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// True when `t` is inside the range.
    pub fn contains(&self, t: Time) -> bool {
        self.start <= t && t < self.end
    }
}

/// The whole configuration file.
#[derive(Debug, Clone)]
pub struct ClinicConfig {
    /// The clinic's name as patients see it.
    pub name: String,
    /// Street address, as one line.
    pub address: String,
    /// How to get there / parking, shown with the address.
    pub directions: Option<String>,
    /// Phone number for patients.
    pub phone: Option<String>,
    /// IANA name of the time zone (`America/Sao_Paulo`).
    pub time_zone_name: String,
    /// The time zone every date and time of the clinic is in.
    pub time_zone: TimeZone,
    /// Opening hours per weekday.
    pub opening_hours: WeeklyHours,
    /// Days the clinic is closed, sorted by date.
    pub holidays: Vec<Holiday>,
    /// Booking rules.
    pub scheduling: Scheduling,
    /// Cancellation, reminder and follow-up timings.
    pub notices: Notices,
    /// Payment options.
    pub payment: Payment,
    /// Discount codes.
    pub vouchers: Vec<Voucher>,
    /// Package discounts.
    pub packages: Vec<Package>,
}

/// Opening ranges for each weekday (Monday first); an empty list means closed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WeeklyHours([Vec<TimeRange>; 7]);

impl WeeklyHours {
    /// The opening ranges of `day`, sorted.
    pub fn on(&self, day: Weekday) -> &[TimeRange] {
        &self.0[usize::from(day.to_monday_zero_offset().unsigned_abs())]
    }

    /// Sets the ranges of `day` (sorted by start).
    pub fn set(&mut self, day: Weekday, mut ranges: Vec<TimeRange>) {
        ranges.sort_by_key(|r| r.start);
        self.0[usize::from(day.to_monday_zero_offset().unsigned_abs())] = ranges;
    }
}

/// A day the clinic is closed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holiday {
    /// The day.
    pub date: Date,
    /// Why (`Natal`), for replies.
    pub name: Option<String>,
}

/// Booking rules for availability.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scheduling {
    /// Appointments start on this grid, in minutes from each opening range's start.
    pub slot_minutes: u32,
    /// How many appointments may run at once.
    pub rooms: u32,
    /// Free minutes kept between two appointments in the same room.
    pub buffer_minutes: u32,
    /// How long before its start an appointment can still be booked, in minutes.
    pub minimum_notice_minutes: u32,
    /// How many days ahead availability is searched.
    pub horizon_days: u32,
    /// Named parts of the day (`manha`, `tarde`, `noite`) for "amanhã à tarde".
    pub parts_of_day: Vec<(String, TimeRange)>,
}

impl Scheduling {
    /// The range of the part of day called `name`.
    pub fn part_of_day(&self, name: &str) -> Option<TimeRange> {
        self.parts_of_day
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, r)| *r)
    }
}

/// Timings of messages around an appointment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notices {
    /// A booking can be cancelled free of charge up to this many hours before.
    pub cancellation_hours: u32,
    /// The reminder goes out this many hours before.
    pub reminder_hours: u32,
    /// Follow-up messages this many days after the appointment.
    pub follow_up_days: Vec<u32>,
}

/// Payment options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payment {
    /// Accepted methods (the `payment_method` entity's values).
    pub methods: Vec<String>,
    /// Discount for paying by pix.
    pub pix_discount: Percent,
    /// Most card instalments without interest.
    pub max_instalments: u32,
    /// Smallest instalment; fewer instalments are offered below it.
    pub min_instalment: Money,
}

/// A discount code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Voucher {
    /// The code, upper-cased (`BELA10`).
    pub code: String,
    /// What it takes off.
    pub discount: Discount,
    /// First day it is valid.
    pub valid_from: Date,
    /// Last day it is valid (inclusive).
    pub valid_to: Date,
    /// How many times it can be used in all; `None` for no limit.
    pub max_uses: Option<u32>,
    /// Smallest amount it applies to (after any package discount).
    pub min_value: Option<Money>,
}

/// A discount: a percentage or a fixed amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Discount {
    /// A percentage of the amount.
    Percent(Percent),
    /// A fixed amount (never more than the amount itself).
    Amount(Money),
}

/// A package discount: applies when a quote has the listed procedures, enough distinct
/// procedures, or enough sessions of one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Package {
    /// Shown on the quote (`Combo harmonização`).
    pub name: String,
    /// All of these must be in the quote; the discount applies to their lines. Empty:
    /// any procedure.
    pub procedures: Vec<ProcedureId>,
    /// At least this many distinct procedures in the quote.
    pub min_procedures: Option<u32>,
    /// Lines with at least this many sessions (of the listed procedures, if any).
    pub min_sessions: Option<u32>,
    /// The discount on the covered lines.
    pub percent: Percent,
}
