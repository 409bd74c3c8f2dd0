//! Calendar arithmetic on periods (a start and a grain), all in civil time of the
//! reference zone.

use crate::nlu::builtin::values::Grain;
use jiff::civil::{Date, DateTime};
use jiff::{Span, ToSpan};

/// A point with its grain; the period it names runs from `at` for one grain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::nlu::builtin) struct Point {
    /// Start.
    pub at: DateTime,
    /// Grain.
    pub grain: Grain,
}

/// A fixed period: one grain from `start`.
pub(in crate::nlu::builtin) type Period = Point;

impl Point {
    /// A point.
    pub fn new(at: DateTime, grain: Grain) -> Self {
        Self { at, grain }
    }

    /// The grain-long period that contains `at` ("this week" of a date-time).
    pub fn containing(at: DateTime, grain: Grain) -> Self {
        Self::new(truncate(at, grain), grain)
    }

    /// The end of the period (exclusive).
    pub fn end(&self) -> Option<DateTime> {
        shift(self.at, self.grain, 1)
    }

    /// The period `n` grains later (earlier when negative).
    pub fn shifted(&self, n: i64) -> Option<Self> {
        Some(Self::new(shift(self.at, self.grain, n)?, self.grain))
    }
}

/// The start of the `grain` containing `at` (weeks start on Monday).
pub(in crate::nlu::builtin) fn truncate(at: DateTime, grain: Grain) -> DateTime {
    let d = at.date();
    let day = |date: Date| date.to_datetime(jiff::civil::Time::midnight());
    match grain {
        Grain::Second => at.with().subsec_nanosecond(0).build().unwrap_or(at),
        Grain::Minute => at
            .with()
            .second(0)
            .subsec_nanosecond(0)
            .build()
            .unwrap_or(at),
        Grain::Hour => at
            .with()
            .minute(0)
            .second(0)
            .subsec_nanosecond(0)
            .build()
            .unwrap_or(at),
        Grain::Day => day(d),
        Grain::Week => {
            let back = i64::from(d.weekday().to_monday_zero_offset());
            day(d.checked_sub(back.days()).unwrap_or(d))
        }
        Grain::Month => day(d.first_of_month()),
        Grain::Quarter => {
            let m = (d.month() - 1) / 3 * 3 + 1;
            day(Date::new(d.year(), m, 1).unwrap_or(d))
        }
        Grain::Year => day(Date::new(d.year(), 1, 1).unwrap_or(d)),
    }
}

/// `n` grains from `at`; `None` past the calendar's range.
pub(in crate::nlu::builtin) fn shift(at: DateTime, grain: Grain, n: i64) -> Option<DateTime> {
    at.checked_add(span(grain, n)?).ok()
}

/// `n` grains as a span.
pub(in crate::nlu::builtin) fn span(grain: Grain, n: i64) -> Option<Span> {
    let s = Span::new();
    match grain {
        Grain::Second => s.try_seconds(n),
        Grain::Minute => s.try_minutes(n),
        Grain::Hour => s.try_hours(n),
        Grain::Day => s.try_days(n),
        Grain::Week => s.try_weeks(n),
        Grain::Month => s.try_months(n),
        Grain::Quarter => s.try_months(n.checked_mul(3)?),
        Grain::Year => s.try_years(n),
    }
    .ok()
}
