//! The action server's JSON: the request Rasa sends and the answers it understands.

use bela_engine::dialogue::actions::{ActionContext, Reply};
use bela_engine::dialogue::events::Event;
use bela_engine::dialogue::tracker::EventVerbosity;
use bela_engine::names::ActionName;
use serde::Deserialize;
use serde_json::{Value, json};

/// Rasa's request body: `{next_action, sender_id, tracker, domain, version}`, the tracker
/// with all its events.
pub(crate) fn request_body(name: &ActionName, ctx: &ActionContext<'_>, version: &str) -> Value {
    json!({
        "next_action": name,
        "sender_id": ctx.tracker.sender_id(),
        "tracker": ctx.tracker.to_json(EventVerbosity::All),
        "domain": ctx.domain.to_json(),
        "version": version,
    })
}

/// A successful answer; both lists may be missing.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Answer {
    #[serde(default)]
    pub events: Vec<Value>,
    #[serde(default)]
    pub responses: Vec<Value>,
}

/// The body of a 400 answer: Rasa SDK's `ActionExecutionRejection`.
#[derive(Debug, Deserialize)]
pub(crate) struct Rejection {
    pub action_name: String,
    #[serde(default)]
    pub error: Option<String>,
}

/// Decodes the answer's events. Rasa SDK sends `"timestamp": null` (Rasa then stamps
/// the event itself), so a missing timestamp becomes `now`. Events Bela cannot read are
/// skipped with a warning, as Rasa does.
pub(crate) fn events(name: &ActionName, raw: Vec<Value>, now: f64) -> Vec<Event> {
    raw.into_iter()
        .filter_map(|mut value| {
            if let Some(object) = value.as_object_mut()
                && !object.get("timestamp").is_some_and(Value::is_number)
            {
                object.insert("timestamp".into(), json!(now));
            }
            decode(name, "event", value)
        })
        .collect()
}

/// Decodes the answer's responses (Rasa SDK's `dispatcher.utter_message` dicts); ones
/// Bela cannot read are skipped with a warning.
pub(crate) fn replies(name: &ActionName, raw: Vec<Value>) -> Vec<Reply> {
    raw.into_iter()
        .filter_map(|mut value| {
            if let Some(object) = value.as_object_mut() {
                drop_empty(object);
            }
            decode(name, "response", value)
        })
        .collect()
}

/// Rasa SDK sends every key (`"template": null, "custom": {}, ...`); Rasa ignores the
/// empty ones (Python-falsy values), and `template` is the old name of `response`.
fn drop_empty(object: &mut serde_json::Map<String, Value>) {
    object.retain(|_, v| !is_falsy(v));
    if !object.contains_key("response")
        && let Some(template) = object.remove("template")
    {
        object.insert("response".into(), template);
    }
    object.remove("template");
}

/// Python's falsiness for JSON values.
fn is_falsy(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
    }
}

fn decode<T: serde::de::DeserializeOwned>(
    name: &ActionName,
    what: &str,
    value: Value,
) -> Option<T> {
    match T::deserialize(&value) {
        Ok(decoded) => Some(decoded),
        Err(e) => {
            tracing::warn!(action = %name, "the action server sent a {what} Bela cannot read ({e}); ignoring it: {value}");
            None
        }
    }
}
