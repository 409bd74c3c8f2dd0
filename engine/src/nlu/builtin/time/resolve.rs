//! Finds the moment a [`TimeForm`] means, relative to now (see the module docs for the
//! future-leaning rules).

use super::{Hour, Point, TimeForm, TimeNode};
use crate::nlu::builtin::values::Grain;
use jiff::ToSpan;
use jiff::civil::{Date, DateTime, Time};

/// A resolved time: a point, or an interval with optional ends.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(in crate::nlu::builtin) enum Resolved {
    /// A point.
    Instant(Point),
    /// An interval, `to` exclusive.
    Interval(Option<Point>, Option<Point>),
}

impl Resolved {
    /// Where it starts.
    pub fn start(&self) -> Option<Point> {
        match self {
            Self::Instant(p) => Some(*p),
            Self::Interval(from, _) => *from,
        }
    }

    /// Where it ends (exclusive), with the grain of its last part.
    pub fn end(&self) -> Option<Point> {
        match self {
            Self::Instant(p) => Some(Point::new(p.end()?, p.grain)),
            Self::Interval(_, to) => *to,
        }
    }
}

/// Years searched ahead (or back) for a date without a year: 29 February recurs within 8.
const YEARS_SEARCHED: i16 = 8;

/// Resolves a time node against `now`.
pub(in crate::nlu::builtin) fn resolve(node: &TimeNode, now: DateTime) -> Option<Resolved> {
    match node {
        TimeNode::Form(f) => resolve_form(f, now),
        TimeNode::After(f) => Some(Resolved::Interval(resolve_form(f, now)?.start(), None)),
        TimeNode::Before(f) => Some(Resolved::Interval(None, resolve_form(f, now)?.start())),
        TimeNode::Between(a, b) => {
            let from = resolve_form(a, now)?.start()?;
            let to = resolve_form(b, from.at)?.end()?;
            (to.at > from.at).then_some(Resolved::Interval(Some(from), Some(to)))
        }
        TimeNode::Interval(from, to) => Some(Resolved::Interval(*from, *to)),
    }
}

/// Resolves a form: a point, or an interval for a part of a day without an hour.
pub(in crate::nlu::builtin) fn resolve_form(f: &TimeForm, now: DateTime) -> Option<Resolved> {
    let Some(pod) = f.pod else {
        return resolve_point(f, now).map(Resolved::Instant);
    };
    let mut rest = f.clone();
    rest.pod = None;
    if let Some(hour) = f.hour {
        // "3 da tarde": the part of the day settles which half of the clock.
        let h = if hour.ambiguous && pod.is_pm() && hour.h < 12 {
            hour.h + 12
        } else {
            hour.h
        };
        rest.hour = Some(Hour {
            h,
            ambiguous: false,
        });
        return resolve_point(&rest, now).map(Resolved::Instant);
    }
    let (from_h, to_h) = pod.hours();
    let at_hours = |day: DateTime, h: i8| day.checked_add(i64::from(h).hours()).ok();
    let day = if rest.has_date() || rest.anchor.is_some() {
        let day = resolve_point(&rest, now)?;
        (day.grain == Grain::Day).then_some(day.at)?
    } else {
        // A bare part of the day: today's unless it is over.
        let today = now.date().to_datetime(Time::midnight());
        if at_hours(today, to_h)? > now {
            today
        } else {
            today.checked_add(1.day()).ok()?
        }
    };
    Some(Resolved::Interval(
        Some(Point::new(at_hours(day, from_h)?, Grain::Hour)),
        Some(Point::new(at_hours(day, to_h)?, Grain::Hour)),
    ))
}

/// The search for the first moment matching a form's calendar and clock fields.
struct Search<'f> {
    form: &'f TimeForm,
    grain: Grain,
    /// Candidates must start in `[from, to)`.
    from: DateTime,
    to: DateTime,
    /// No window was given: the first candidate after now (or before, searching back) wins.
    strict: bool,
    backwards: bool,
    now: DateTime,
    fallback: Option<DateTime>,
}

fn resolve_point(f: &TimeForm, now: DateTime) -> Option<Point> {
    let grain = if f.minute.is_some() {
        Grain::Minute
    } else if f.hour.is_some() {
        Grain::Hour
    } else if f.day.is_some() || f.weekday.is_some() {
        Grain::Day
    } else if f.month.is_some() {
        Grain::Month
    } else if let Some(y) = f.year {
        return Some(Point::new(
            Date::new(y, 1, 1).ok()?.to_datetime(Time::midnight()),
            Grain::Year,
        ));
    } else {
        return f.anchor;
    };
    let (from, to, strict) = match (&f.anchor, f.year) {
        (Some(a), _) if a.grain <= grain => return None,
        (Some(a), _) => (a.at, a.end()?, false),
        (None, Some(y)) => (
            Date::new(y, 1, 1).ok()?.to_datetime(Time::midnight()),
            Date::new(y.checked_add(1)?, 1, 1)
                .ok()?
                .to_datetime(Time::midnight()),
            false,
        ),
        (None, None) if f.past => (
            now.checked_sub(i64::from(YEARS_SEARCHED + 1).years())
                .ok()?,
            now,
            true,
        ),
        (None, None) => (
            now,
            now.checked_add(i64::from(YEARS_SEARCHED + 1).years())
                .ok()?,
            true,
        ),
    };
    let mut search = Search {
        form: f,
        grain,
        from,
        to,
        strict,
        backwards: strict && f.past,
        now,
        fallback: None,
    };
    search
        .run()
        .or(search.fallback)
        .map(|at| Point::new(at, grain))
}

impl Search<'_> {
    /// Walks years, months, days and hours in time order (reverse when searching back).
    fn run(&mut self) -> Option<DateTime> {
        let mut years: Vec<i16> = (self.from.year()..=self.to.year()).collect();
        let mut months: Vec<i8> = match self.form.month {
            Some(m) => vec![m],
            None => (1..=12).collect(),
        };
        if self.backwards {
            years.reverse();
            months.reverse();
        }
        for &y in &years {
            for &m in &months {
                let Ok(first) = Date::new(y, m, 1) else {
                    continue;
                };
                let start = first.to_datetime(Time::midnight());
                let end = start.checked_add(1.month()).ok()?;
                if end <= self.from || start >= self.to {
                    continue;
                }
                if self.grain == Grain::Month {
                    if let Some(found) = self.check(start) {
                        return Some(found);
                    }
                    continue;
                }
                if let Some(found) = self.days(first) {
                    return Some(found);
                }
            }
        }
        None
    }

    fn days(&mut self, first: Date) -> Option<DateTime> {
        let mut days: Vec<i8> = match self.form.day {
            Some(d) => vec![d],
            None => (1..=first.days_in_month()).collect(),
        };
        if self.backwards {
            days.reverse();
        }
        for d in days {
            let Ok(date) = Date::new(first.year(), first.month(), d) else {
                continue;
            };
            if self.form.weekday.is_some_and(|w| w != date.weekday()) {
                continue;
            }
            if self.grain == Grain::Day {
                if let Some(found) = self.check(date.to_datetime(Time::midnight())) {
                    return Some(found);
                }
                continue;
            }
            let Some(hour) = self.form.hour else {
                continue;
            };
            let mut hours = vec![hour.h];
            if hour.ambiguous && (1..12).contains(&hour.h) {
                hours.push(hour.h + 12);
            }
            if self.backwards {
                hours.reverse();
            }
            for h in hours {
                let Ok(time) = Time::new(h, self.form.minute.unwrap_or(0), 0, 0) else {
                    continue;
                };
                if let Some(found) = self.check(date.to_datetime(time)) {
                    return Some(found);
                }
            }
        }
        None
    }

    /// `Some` when `at` ends the search.
    fn check(&mut self, at: DateTime) -> Option<DateTime> {
        if at < self.from || at >= self.to {
            return None;
        }
        if self.backwards {
            let end = Point::new(at, self.grain).end()?;
            return (end <= self.now).then_some(at);
        }
        if at >= self.now {
            return Some(at);
        }
        if !self.strict && self.fallback.is_none() {
            self.fallback = Some(at);
        }
        None
    }
}
