//! The slot search itself. Times are handled as Unix seconds: each opening range is
//! converted from the clinic's civil time once, then walked on the slot grid (a range
//! never spans a time-zone transition, which happen at night).

use super::{AvailabilityError, Booking, Grain, SearchWindow, Slot};
use crate::catalogue::Catalogue;
use crate::config::{ClinicConfig, TimeRange};
use jiff::civil::{Date, Time, Weekday};
use jiff::tz::TimeZone;
use jiff::{Timestamp, Zoned};

/// Which starts a search accepts: an interval of instants, and optionally a daily range
/// of start times and a weekday.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Filter {
    from: i64,
    to: i64,
    daily: Option<TimeRange>,
    weekday: Option<Weekday>,
}

/// The calendar's busy intervals, widened by the buffer on both sides, sorted by start.
struct Calendar {
    busy: Vec<(i64, i64)>,
    longest: i64,
    rooms: usize,
}

/// Up to `limit` free slots for `procedure` in `window`, nearest first.
///
/// A slot starts on the slot grid of an opening range (not on a holiday), at least the
/// minimum notice after `now` and before the search horizon, ends by the range's closing
/// time, and keeps the buffer from as many concurrent bookings as leave a room free.
/// When the window asked for has fewer than `limit` free slots, the rest are the nearest
/// alternatives (`exact: false`): first the same part of day / weekday / hours of a
/// one-day interval on later days, then any time from the window's start.
pub fn find_slots(
    config: &ClinicConfig,
    catalogue: &Catalogue,
    procedure: &str,
    window: &SearchWindow,
    bookings: &[Booking],
    now: &Zoned,
    limit: usize,
) -> Result<Vec<Slot>, AvailabilityError> {
    let p = catalogue
        .procedure(procedure)
        .ok_or_else(|| AvailabilityError::UnknownProcedure(procedure.to_owned()))?;
    let search = Search::new(config, bookings, now, i64::from(p.duration_minutes) * 60);
    let exact = search.filter(window)?;
    let mut out = Vec::with_capacity(limit);
    search.run(exact, limit, true, &mut out);
    if out.len() < limit && (exact.daily.is_some() || exact.weekday.is_some()) {
        let later = Filter {
            from: exact.to,
            to: search.horizon,
            ..exact
        };
        search.run(later, limit, false, &mut out);
    }
    let anytime = Filter {
        from: exact.from,
        to: search.horizon,
        daily: None,
        weekday: None,
    };
    if out.len() < limit && anytime != exact {
        search.run(anytime, limit, false, &mut out);
    }
    Ok(out)
}

struct Search<'c> {
    config: &'c ClinicConfig,
    tz: &'c TimeZone,
    calendar: Calendar,
    now: i64,
    today: Date,
    earliest: i64,
    horizon: i64,
    duration: i64,
}

impl<'c> Search<'c> {
    fn new(config: &'c ClinicConfig, bookings: &[Booking], now: &Zoned, duration: i64) -> Self {
        let tz = &config.time_zone;
        let s = &config.scheduling;
        let today = now.with_time_zone(tz.clone()).date();
        let now_s = now.timestamp().as_second();
        let horizon_day = today
            .checked_add(jiff::Span::new().days(i64::from(s.horizon_days)))
            .unwrap_or(today);
        let mut search = Search {
            config,
            tz,
            calendar: Calendar::new(bookings, i64::from(s.buffer_minutes) * 60, s.rooms),
            now: now_s,
            today,
            earliest: now_s + i64::from(s.minimum_notice_minutes) * 60,
            horizon: 0,
            duration,
        };
        search.horizon = search.day_start(horizon_day);
        search
    }

    /// Unix seconds of `date` at `time` in the clinic's zone (a skipped local time moves
    /// forward, as clocks do).
    fn instant(&self, date: Date, time: Time) -> i64 {
        self.tz
            .to_timestamp(date.to_datetime(time))
            .map_or(i64::MAX, |t| t.as_second())
    }

    fn day_start(&self, date: Date) -> i64 {
        self.instant(date, Time::midnight())
    }

    fn local(&self, z: &Zoned) -> Zoned {
        z.with_time_zone(self.tz.clone())
    }

    fn part(&self, name: &str) -> Result<TimeRange, AvailabilityError> {
        self.config
            .scheduling
            .part_of_day(name)
            .ok_or_else(|| AvailabilityError::UnknownPartOfDay(name.to_owned()))
    }

    /// The window asked for, as a filter.
    fn filter(&self, window: &SearchWindow) -> Result<Filter, AvailabilityError> {
        let span = |from: i64, to: i64| Filter {
            from,
            to,
            daily: None,
            weekday: None,
        };
        let day = |date: Date| {
            span(
                self.day_start(date),
                self.day_start(date.tomorrow().unwrap_or(date)),
            )
        };
        Ok(match window {
            SearchWindow::Any => span(self.now, self.horizon),
            SearchWindow::Instant { at, grain } => {
                let local = self.local(at);
                let date = local.date();
                let start = |days: i64| {
                    let end = date
                        .checked_add(jiff::Span::new().days(days))
                        .unwrap_or(date);
                    span(self.day_start(date), self.day_start(end))
                };
                match grain {
                    Grain::Minute => {
                        span(at.timestamp().as_second(), at.timestamp().as_second() + 1)
                    }
                    Grain::Hour => {
                        let into_hour = i64::from(local.minute()) * 60 + i64::from(local.second());
                        let hour = local.timestamp().as_second() - into_hour;
                        span(hour, hour + 3600)
                    }
                    Grain::Day => start(1),
                    Grain::Week => start(7),
                    Grain::Month => {
                        let next = date
                            .first_of_month()
                            .checked_add(jiff::Span::new().months(1));
                        span(
                            self.day_start(date),
                            next.map_or(self.horizon, |d| self.day_start(d)),
                        )
                    }
                }
            }
            SearchWindow::Interval { from, to } => Filter {
                // "amanhã à tarde" arrives as an interval: its hours are the pattern to
                // look for on later days when that afternoon is full.
                daily: from
                    .as_ref()
                    .zip(to.as_ref())
                    .and_then(|(f, t)| self.daily(f, t)),
                ..span(
                    from.as_ref()
                        .map_or(self.now, |z| z.timestamp().as_second()),
                    to.as_ref()
                        .map_or(self.horizon, |z| z.timestamp().as_second()),
                )
            },
            SearchWindow::PartOfDay { date, part } => Filter {
                daily: Some(self.part(part)?),
                ..date.map_or(span(self.now, self.horizon), day)
            },
            SearchWindow::Weekday { weekday, part } => {
                let date = if self.today.weekday() == *weekday {
                    self.today
                } else {
                    self.today.nth_weekday(1, *weekday).unwrap_or(self.today)
                };
                Filter {
                    daily: part.as_deref().map(|p| self.part(p)).transpose()?,
                    weekday: Some(*weekday),
                    ..day(date)
                }
            }
        })
    }

    /// The hours of an interval within one day (up to the next midnight), if it is one.
    fn daily(&self, from: &Zoned, to: &Zoned) -> Option<TimeRange> {
        let (from, to) = (self.local(from), self.local(to));
        let end = if to.date() == from.date() {
            to.time()
        } else if Some(to.date()) == from.date().tomorrow().ok() && to.time() == Time::midnight() {
            Time::MAX
        } else {
            return None;
        };
        (from.time() < end).then_some(TimeRange {
            start: from.time(),
            end,
        })
    }

    /// Appends free slots accepted by `filter` (skipping starts already in `out`) until
    /// `out` holds `limit`.
    fn run(&self, filter: Filter, limit: usize, exact: bool, out: &mut Vec<Slot>) {
        let from = filter.from.max(self.earliest);
        let to = filter.to.min(self.horizon);
        if from >= to {
            return;
        }
        let step = i64::from(self.config.scheduling.slot_minutes.max(1)) * 60;
        let Ok(first) = Timestamp::from_second(from) else {
            return;
        };
        let mut date = first.to_zoned(self.tz.clone()).date();
        while out.len() < limit && self.day_start(date) < to {
            if self.open_on(date, filter.weekday) {
                for range in self.config.opening_hours.on(date.weekday()) {
                    let starts = match filter.daily {
                        Some(d) => TimeRange {
                            start: range.start.max(d.start),
                            end: range.end.min(d.end),
                        },
                        None => *range,
                    };
                    if starts.start >= starts.end {
                        continue;
                    }
                    let grid = self.instant(date, range.start);
                    let close = self.instant(date, range.end);
                    let lo = from.max(self.instant(date, starts.start));
                    let hi = to.min(self.instant(date, starts.end));
                    // First grid point at or after `lo`.
                    let mut start = grid + (lo - grid).max(0).div_euclid(step) * step;
                    if start < lo {
                        start += step;
                    }
                    while start < hi && start + self.duration <= close && out.len() < limit {
                        let end = start + self.duration;
                        if self.calendar.fits(start, end)
                            && !out.iter().any(|s| s.start.timestamp().as_second() == start)
                        {
                            out.extend(self.slot(start, end, exact));
                        }
                        start += step;
                    }
                }
            }
            let Some(next) = date.tomorrow().ok() else {
                return;
            };
            date = next;
        }
    }

    fn open_on(&self, date: Date, weekday: Option<Weekday>) -> bool {
        weekday.is_none_or(|w| w == date.weekday()) && !self.config.is_holiday(date)
    }

    fn slot(&self, start: i64, end: i64, exact: bool) -> Option<Slot> {
        let zoned = |s: i64| {
            Timestamp::from_second(s)
                .ok()
                .map(|t| t.to_zoned(self.tz.clone()))
        };
        Some(Slot {
            start: zoned(start)?,
            end: zoned(end)?,
            exact,
        })
    }
}

/// True when `[start, end)` (Unix seconds) fits among `bookings` widened by `buffer`
/// seconds with `rooms` rooms: the rule behind both the search and every calendar write.
pub(crate) fn fits(bookings: &[Booking], buffer: i64, rooms: u32, start: i64, end: i64) -> bool {
    Calendar::new(bookings, buffer, rooms).fits(start, end)
}

impl Calendar {
    fn new(bookings: &[Booking], buffer: i64, rooms: u32) -> Self {
        let mut busy: Vec<(i64, i64)> = bookings
            .iter()
            .map(|b| {
                (
                    b.start.timestamp().as_second(),
                    b.end.timestamp().as_second(),
                )
            })
            .filter(|(s, e)| s < e)
            .map(|(s, e)| (s - buffer, e + buffer))
            .collect();
        busy.sort_unstable();
        let longest = busy.iter().map(|(s, e)| e - s).max().unwrap_or(0);
        Calendar {
            busy,
            longest,
            rooms: usize::try_from(rooms).unwrap_or(usize::MAX),
        }
    }

    /// True when fewer than `rooms` bookings are ever running at once during
    /// [`start`, `end`): rooms are assigned on the day, so bookings may change room.
    fn fits(&self, start: i64, end: i64) -> bool {
        let lo = self.busy.partition_point(|b| b.0 < start - self.longest);
        let hi = self.busy.partition_point(|b| b.0 < end);
        let overlapping = || self.busy[lo..hi].iter().filter(|b| b.1 > start);
        if overlapping().count() < self.rooms {
            return true;
        }
        // Concurrency peaks where an overlapping booking begins (or at `start`).
        overlapping().all(|b| {
            let at = b.0.max(start);
            overlapping().filter(|o| o.0 <= at && at < o.1).count() < self.rooms
        })
    }
}
