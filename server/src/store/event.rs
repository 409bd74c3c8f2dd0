//! What the store needs to know about an event: Rasa's event name and its timestamp.
//!
//! The store is generic over [`EventRecord`]: it holds the engine's typed [`Event`] (the
//! default) or raw JSON, with the same schema, since both serialise to Rasa's JSON
//! (`{"event": "user", "timestamp": 1733080000.5, ...}`).

use bela_engine::dialogue::events::Event;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// An event the tracker store can persist.
pub trait EventRecord: Serialize + DeserializeOwned + Send + Sync + 'static {
    /// Rasa's event name (`user`, `bot`, `action`, `slot`, `session_started`, ...), or why
    /// the event has none.
    fn type_name(&self) -> Result<&str, String>;

    /// Seconds since the Unix epoch, or why the event has no valid timestamp.
    fn timestamp(&self) -> Result<f64, String>;
}

/// The engine's events: the name comes from the variant, the timestamp must be finite.
impl EventRecord for Event {
    fn type_name(&self) -> Result<&str, String> {
        Ok(Event::type_name(self))
    }

    fn timestamp(&self) -> Result<f64, String> {
        if self.timestamp.is_finite() {
            Ok(self.timestamp)
        } else {
            Err(format!(
                "field `timestamp` is out of range: {}",
                self.timestamp
            ))
        }
    }
}

/// Raw Rasa JSON: an object with a string `event` and a numeric `timestamp`.
impl EventRecord for Value {
    fn type_name(&self) -> Result<&str, String> {
        let object = self
            .as_object()
            .ok_or_else(|| format!("an event must be a JSON object, not `{self}`"))?;
        match object.get("event") {
            Some(Value::String(name)) if !name.is_empty() => Ok(name),
            Some(other) => Err(format!(
                "field `event` must be a non-empty string, not `{other}`"
            )),
            None => Err("missing field `event` (e.g. \"user\", \"bot\", \"action\")".into()),
        }
    }

    fn timestamp(&self) -> Result<f64, String> {
        match self.get("timestamp") {
            Some(Value::Number(n)) => n
                .as_f64()
                .filter(|t| t.is_finite())
                .ok_or_else(|| format!("field `timestamp` is out of range: {n}")),
            Some(other) => Err(format!(
                "field `timestamp` must be a number of seconds since 1970, not `{other}`"
            )),
            None => Err("missing field `timestamp`".into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_name_and_timestamp_of_a_rasa_event() {
        let e = json!({"event": "user", "timestamp": 1733080000.25, "text": "oi"});
        assert_eq!(e.type_name(), Ok("user"));
        assert_eq!(e.timestamp(), Ok(1733080000.25));
    }

    #[test]
    fn typed_events_give_their_rasa_name() {
        let e: Event =
            serde_json::from_value(json!({"event": "bot", "timestamp": 5.5, "text": "oi"}))
                .expect("a bot event");
        assert_eq!(EventRecord::type_name(&e), Ok("bot"));
        assert_eq!(EventRecord::timestamp(&e), Ok(5.5));
        let mut bad = e.clone();
        bad.timestamp = f64::NAN;
        assert!(EventRecord::timestamp(&bad).is_err());
    }

    #[test]
    fn explains_what_is_missing_or_wrong() {
        let no_name = json!({"timestamp": 1.0});
        assert!(
            no_name
                .type_name()
                .unwrap_err()
                .contains("missing field `event`")
        );
        let bad_name = json!({"event": 3, "timestamp": 1.0});
        assert!(
            bad_name
                .type_name()
                .unwrap_err()
                .contains("non-empty string")
        );
        let text_time = json!({"event": "bot", "timestamp": "ontem"});
        assert!(
            text_time
                .timestamp()
                .unwrap_err()
                .contains("must be a number")
        );
        assert!(json!({"event": "bot"}).timestamp().is_err());
        assert!(
            json!(["user"])
                .type_name()
                .unwrap_err()
                .contains("JSON object")
        );
    }
}
