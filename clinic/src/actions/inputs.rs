//! What the actions read from a conversation: the latest message's entities, falling
//! back to the slots, and the clinic's clock.

use bela_engine::dialogue::actions::{ActionResult, Reply};
use bela_engine::dialogue::events::EventKind;
use bela_engine::dialogue::tracker::Tracker;
use bela_engine::nlu::ParsedEntity;
use jiff::tz::TimeZone;
use jiff::{Timestamp, Zoned};
use serde_json::Value;

/// The latest message's entities called `entity`.
pub(crate) fn latest_entities<'t>(
    tracker: &'t Tracker,
    entity: &'t str,
) -> impl Iterator<Item = &'t ParsedEntity> + 't {
    tracker
        .latest_message()
        .into_iter()
        .flat_map(|m| &m.parse_data.entities)
        .filter(move |e| e.entity == entity)
}

/// The text values of `name`: the latest message's `name` entities when it has any
/// (what the patient just said wins), otherwise the slot `name` (a text or a list of
/// texts). Repeated values are kept once, in order.
pub(crate) fn values(tracker: &Tracker, name: &str) -> Vec<String> {
    let mut out: Vec<String> = latest_entities(tracker, name)
        .filter_map(|e| e.value.as_str().map(str::to_owned))
        .collect();
    if out.is_empty() {
        out = slot_values(tracker, name);
    }
    let mut seen = Vec::with_capacity(out.len());
    out.retain(|v| {
        let new = !seen.contains(v);
        if new {
            seen.push(v.clone());
        }
        new
    });
    out
}

/// The text values of the slot `name` (a text or a list of texts).
pub(crate) fn slot_values(tracker: &Tracker, name: &str) -> Vec<String> {
    match tracker.slot(name) {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    }
}

/// `now` (Unix seconds) in the clinic's time zone.
pub(crate) fn clinic_now(now: f64, tz: &TimeZone) -> Zoned {
    // Sub-second precision does not matter for slots or voucher dates.
    Timestamp::from_second(now as i64)
        .unwrap_or(Timestamp::UNIX_EPOCH)
        .to_zoned(tz.clone())
}

/// A result that only says `text`.
pub(crate) fn say(text: impl Into<String>) -> ActionResult {
    ActionResult {
        replies: vec![Reply::text(text)],
        events: Vec::new(),
    }
}

/// A result that only sends `reply`.
pub(crate) fn send(reply: Reply) -> ActionResult {
    ActionResult {
        replies: vec![reply],
        events: Vec::new(),
    }
}

/// True when a `slot` event for `name` came after the latest user message: the message
/// (or the form's extraction of it) gave that slot, so a validation must look at it.
pub(crate) fn set_this_turn(tracker: &Tracker, name: &str) -> bool {
    tracker
        .applied_events()
        .into_iter()
        .rev()
        .take_while(|e| !matches!(e.kind, EventKind::User(_)))
        .any(|e| matches!(&e.kind, EventKind::Slot { name: n, .. } if n.as_str() == name))
}
