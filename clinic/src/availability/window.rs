//! From the engine's built-in `time` values to a [`SearchWindow`].

use super::{Grain, SearchWindow};
use bela_engine::nlu::builtin::{Grain as TimeGrain, TimePoint, TimeValue};
use jiff::Span;

impl SearchWindow {
    /// The window a patient's time expression asks for: an instant keeps its grain
    /// (seconds read as minutes; a quarter or a year becomes the interval it spans), an
    /// interval its open or closed ends.
    pub fn from_time(value: &TimeValue) -> SearchWindow {
        match value {
            TimeValue::Instant(point) => from_point(point),
            TimeValue::Interval { from, to } => SearchWindow::Interval {
                from: from.as_ref().map(|p| p.value.clone()),
                to: to.as_ref().map(|p| p.value.clone()),
            },
        }
    }
}

fn from_point(point: &TimePoint) -> SearchWindow {
    let instant = |grain| SearchWindow::Instant {
        at: point.value.clone(),
        grain,
    };
    let spanning = |span: Span| SearchWindow::Interval {
        from: Some(point.value.clone()),
        to: point.value.checked_add(span).ok(),
    };
    match point.grain {
        TimeGrain::Second | TimeGrain::Minute => instant(Grain::Minute),
        TimeGrain::Hour => instant(Grain::Hour),
        TimeGrain::Day => instant(Grain::Day),
        TimeGrain::Week => instant(Grain::Week),
        TimeGrain::Month => instant(Grain::Month),
        TimeGrain::Quarter => spanning(Span::new().months(3)),
        TimeGrain::Year => spanning(Span::new().years(1)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(text: &str, grain: TimeGrain) -> TimePoint {
        match format!("{text}[America/Sao_Paulo]").parse() {
            Ok(value) => TimePoint { value, grain },
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn instants_keep_their_grain() {
        let p = point("2026-12-04T15:00", TimeGrain::Hour);
        assert_eq!(
            SearchWindow::from_time(&TimeValue::Instant(p.clone())),
            SearchWindow::Instant {
                at: p.value,
                grain: Grain::Hour
            }
        );
        let s = point("2026-12-04T15:20:05", TimeGrain::Second);
        assert!(matches!(
            SearchWindow::from_time(&TimeValue::Instant(s)),
            SearchWindow::Instant {
                grain: Grain::Minute,
                ..
            }
        ));
    }

    #[test]
    fn a_quarter_is_the_interval_it_spans() {
        let q = point("2027-01-01T00:00", TimeGrain::Quarter);
        let SearchWindow::Interval { from, to } = SearchWindow::from_time(&TimeValue::Instant(q))
        else {
            panic!("an interval")
        };
        assert_eq!(from.map(|z| z.date()), Some(jiff::civil::date(2027, 1, 1)));
        assert_eq!(to.map(|z| z.date()), Some(jiff::civil::date(2027, 4, 1)));
    }

    #[test]
    fn intervals_keep_open_ends() {
        let from = point("2026-12-04T14:00", TimeGrain::Hour);
        let value = TimeValue::Interval {
            from: Some(from.clone()),
            to: None,
        };
        assert_eq!(
            SearchWindow::from_time(&value),
            SearchWindow::Interval {
                from: Some(from.value),
                to: None
            }
        );
    }
}
