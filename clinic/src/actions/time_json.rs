//! A `time` entity's value back from JSON: Duckling's full value (the entity's
//! `additional_info`: `{"type":"value","value","grain"}` or `{"type":"interval","from",
//! "to"}`), or the simple value Rasa keeps in `value` and slots (an ISO string, or
//! `{"from","to"}` of ISO strings). Instants are read in the clinic's time zone.

use bela_engine::nlu::builtin::{Grain, TimePoint, TimeValue};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use serde_json::Value;

/// The time value `json` holds, or `None` when it holds none.
///
/// A bare ISO string (a button's `/inform{"time": ...}` or a slot) has no grain and is
/// read as that minute; an interval end without a grain takes the hour's.
pub fn time_value(json: &Value, tz: &TimeZone) -> Option<TimeValue> {
    match json {
        Value::String(s) => Some(TimeValue::Instant(point(s, Grain::Minute, tz)?)),
        Value::Object(m) => {
            if m.get("type").and_then(Value::as_str) != Some("interval")
                && let Some(value) = m.get("value")
            {
                return Some(TimeValue::Instant(grained(value, m.get("grain"), tz)?));
            }
            let end = |key: &str| match m.get(key) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::Object(p)) => p
                    .get("value")
                    .and_then(|v| grained(v, p.get("grain"), tz))
                    .map(Some)
                    .ok_or(()),
                Some(Value::String(s)) => point(s, Grain::Hour, tz).map(Some).ok_or(()),
                Some(_) => Err(()),
            };
            let (from, to) = (end("from").ok()?, end("to").ok()?);
            (from.is_some() || to.is_some()).then_some(TimeValue::Interval { from, to })
        }
        _ => None,
    }
}

fn grained(value: &Value, grain: Option<&Value>, tz: &TimeZone) -> Option<TimePoint> {
    let grain = match grain.and_then(Value::as_str) {
        None => Grain::Minute,
        Some(name) => grain_named(name)?,
    };
    point(value.as_str()?, grain, tz)
}

fn point(text: &str, grain: Grain, tz: &TimeZone) -> Option<TimePoint> {
    let at: Timestamp = text.trim().parse().ok()?;
    Some(TimePoint {
        value: at.to_zoned(tz.clone()),
        grain,
    })
}

fn grain_named(name: &str) -> Option<Grain> {
    [
        Grain::Second,
        Grain::Minute,
        Grain::Hour,
        Grain::Day,
        Grain::Week,
        Grain::Month,
        Grain::Quarter,
        Grain::Year,
    ]
    .into_iter()
    .find(|g| g.as_str() == name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn tz() -> TimeZone {
        TimeZone::get("America/Sao_Paulo").expect("tzdata")
    }

    fn instant(v: &Value) -> (String, Grain) {
        match time_value(v, &tz()) {
            Some(TimeValue::Instant(p)) => (p.value.strftime("%FT%T%:z").to_string(), p.grain),
            other => panic!("not an instant: {other:?}"),
        }
    }

    #[test]
    fn duckling_values_keep_their_grain() {
        let v = json!({"type": "value", "value": "2026-12-04T15:00:00.000-03:00", "grain": "hour",
                       "values": []});
        assert_eq!(
            instant(&v),
            ("2026-12-04T15:00:00-03:00".to_owned(), Grain::Hour)
        );
    }

    #[test]
    fn iso_strings_are_minutes_in_the_clinics_zone() {
        let v = json!("2026-12-04T18:00:00Z");
        assert_eq!(
            instant(&v),
            ("2026-12-04T15:00:00-03:00".to_owned(), Grain::Minute)
        );
    }

    #[test]
    fn intervals_keep_open_ends() {
        let v = json!({"type": "interval", "from": {"value": "2026-12-04T12:00:00.000-03:00",
                       "grain": "hour"}});
        let Some(TimeValue::Interval { from, to }) = time_value(&v, &tz()) else {
            panic!("an interval")
        };
        assert_eq!(from.map(|p| p.value.hour()), Some(12));
        assert_eq!(to, None);
        let rasa =
            json!({"from": "2026-12-04T12:00:00.000-03:00", "to": "2026-12-04T18:00:00.000-03:00"});
        assert!(matches!(
            time_value(&rasa, &tz()),
            Some(TimeValue::Interval {
                from: Some(_),
                to: Some(_)
            })
        ));
    }

    #[test]
    fn anything_else_is_no_time() {
        for v in [
            json!(15),
            json!("amanhã"),
            json!({"type": "value", "value": "2026-12-04T15:00:00-03:00", "grain": "fortnight"}),
            json!({"from": null, "to": null}),
            json!({"from": 3}),
        ] {
            assert_eq!(time_value(&v, &tz()), None, "{v}");
        }
    }
}
