//! The pure part of Rasa's `action_extract_slots`: the domain's slot mappings applied to
//! the latest user message.

use crate::dialogue::domain::{Domain, Extraction, ExtractionContext, REQUESTED_SLOT};
use crate::dialogue::events::{Event, EventKind};
use crate::dialogue::tracker::Tracker;
use crate::names::SlotName;
use serde_json::Value;

/// The slot events the mappings give for `tracker`'s latest message (only slots whose
/// value changes, coerced to their type), and the extraction with the custom actions
/// still to run.
pub(crate) fn mapped_slots(
    domain: &Domain,
    tracker: &Tracker,
    now: f64,
) -> (Vec<Event>, Extraction) {
    let Some(message) = tracker.latest_message() else {
        return (Vec::new(), Extraction::default());
    };
    let requested = tracker
        .slot(REQUESTED_SLOT)
        .and_then(Value::as_str)
        .map(SlotName::new);
    let slot_value = |name: &SlotName| tracker.slot(name.as_str()).cloned();
    let ctx = ExtractionContext {
        intent: message.intent_name(),
        entities: &message.parse_data.entities,
        text: message.text.as_deref(),
        active_loop: tracker.active_loop_name(),
        requested_slot: requested.as_ref(),
        loop_rejected: tracker.active_loop().is_some_and(|l| l.rejected),
        slot_value: &slot_value,
    };
    let mut extraction = domain.extract_slots(&ctx);
    let events = std::mem::take(&mut extraction.slots)
        .into_iter()
        .filter(|(name, value)| tracker.slots().get(name) != Some(value))
        .map(|(name, value)| {
            let value = domain
                .slot(&name)
                .map_or(value.clone(), |s| s.coerce(value));
            Event::new(EventKind::slot(name, value), now)
        })
        .collect();
    (events, extraction)
}
