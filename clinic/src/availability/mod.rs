//! Free appointment slots: from a procedure and the patient's time expression, the
//! nearest starts that fit the opening hours, holidays, rooms, durations, buffers and the
//! minimum notice.

mod search;
#[cfg(test)]
mod tests;
mod window;

pub use search::find_slots;
pub(crate) use search::fits;

use crate::ids::ProcedureId;
use jiff::Zoned;
use jiff::civil::{Date, Weekday};

/// How precise an instant the patient named is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grain {
    /// "às 15h30": that start.
    Minute,
    /// "às 15h": a start within that hour.
    Hour,
    /// "amanhã": that day.
    Day,
    /// "semana que vem": seven days from the instant.
    Week,
    /// "em março": to the end of that month.
    Month,
}

/// When the patient wants the appointment, from their time expression.
#[derive(Debug, Clone, PartialEq)]
pub enum SearchWindow {
    /// No time given: the nearest slots from now.
    Any,
    /// An instant with its grain.
    Instant {
        /// The instant (any time zone; read in the clinic's).
        at: Zoned,
        /// How precise it is.
        grain: Grain,
    },
    /// Between two instants; an open end is now / the search horizon.
    Interval {
        /// Earliest start.
        from: Option<Zoned>,
        /// Starts before this.
        to: Option<Zoned>,
    },
    /// A part of the day (`manha`, `tarde`, `noite` in the configuration), on one day or
    /// on any day.
    PartOfDay {
        /// The day; `None` for the next days.
        date: Option<Date>,
        /// The part's name in the configuration.
        part: String,
    },
    /// The next such weekday ("sexta"), optionally in a part of the day ("sexta à tarde").
    Weekday {
        /// The day of the week.
        weekday: Weekday,
        /// A part of the day's name, if given.
        part: Option<String>,
    },
}

/// An appointment already in the calendar.
#[derive(Debug, Clone, PartialEq)]
pub struct Booking {
    /// When it starts.
    pub start: Zoned,
    /// When it ends.
    pub end: Zoned,
    /// What it is for, if known.
    pub procedure: Option<ProcedureId>,
}

/// A free slot to offer.
#[derive(Debug, Clone, PartialEq)]
pub struct Slot {
    /// Start, in the clinic's time zone.
    pub start: Zoned,
    /// End (start plus the procedure's duration).
    pub end: Zoned,
    /// True when inside the window asked for; false for the nearest alternatives
    /// offered because that window was full.
    pub exact: bool,
}

impl Slot {
    /// The button text in pt-BR, `sex, 04/12 às 15:00`: at most 20 characters, the
    /// limit of a WhatsApp reply button's title.
    pub fn label(&self) -> String {
        short_label(&self.start)
    }
}

/// An instant as patients read it, in its own time zone (give it the clinic's):
/// `sexta, 04/12 às 15:00`.
pub fn day_label(at: &Zoned) -> String {
    format!(
        "{}, {}",
        weekday_name(at.weekday()),
        at.strftime("%d/%m às %H:%M")
    )
}

/// The weekday's short pt-BR name, as patients write it: `segunda`, `sábado`.
pub fn weekday_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Monday => "segunda",
        Weekday::Tuesday => "terça",
        Weekday::Wednesday => "quarta",
        Weekday::Thursday => "quinta",
        Weekday::Friday => "sexta",
        Weekday::Saturday => "sábado",
        Weekday::Sunday => "domingo",
    }
}

/// An instant as a short pt-BR label, `sex, 04/12 às 15:00` (19 characters).
pub fn short_label(at: &Zoned) -> String {
    let day: String = weekday_name(at.weekday()).chars().take(3).collect();
    format!("{day}, {}", at.strftime("%d/%m às %H:%M"))
}

/// Why no search could be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AvailabilityError {
    /// The procedure is not in the catalogue.
    #[error("unknown procedure `{0}`")]
    UnknownProcedure(String),
    /// The part of day is not in the configuration.
    #[error("unknown part of day `{0}`")]
    UnknownPartOfDay(String),
}
