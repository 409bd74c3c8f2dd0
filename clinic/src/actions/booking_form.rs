//! `validate_booking_form`: checks what the patient gave the booking form and chooses
//! what to ask next, as rasa_sdk's dynamic forms do. The form's slots are, in order:
//! `procedure`; `health_consent` and `conditions` (only for a procedure with
//! contraindications); `time` (only a free slot stays: anything else is kept in
//! `time_wish`, and `action_ask_time` offers the nearest free slots); `person_name`
//! (taken from the WhatsApp profile when the message carries it). A screening that rules
//! the procedure out, or a refused consent, ends the form, and `action_booking_summary`
//! explains.

use super::bookable::{bookable_slot, latest_time, slot_value};
use super::clinic::clinic_action;
use super::lookup::not_in_catalogue;
use super::slots::{
    CONDITIONS, HEALTH_CONSENT, PERSON_NAME, PROCEDURE, REQUESTED_SLOT, SCREENING, Screening, TIME,
    TIME_WISH,
};
use bela_engine::dialogue::actions::{ActionContext, ActionError, ActionResult, Reply};
use bela_engine::dialogue::events::{Event, EventKind};
use bela_engine::dialogue::tracker::Tracker;
use serde_json::Value;
use std::collections::BTreeMap;

clinic_action!(
    /// Validates the booking form's slots and picks the next one.
    ValidateBookingForm,
    "validate_booking_form"
);

impl ValidateBookingForm {
    async fn answer(&self, ctx: &ActionContext<'_>) -> Result<ActionResult, ActionError> {
        let mut form = Changes::new(ctx.tracker);
        let mut replies = Vec::new();
        let next = self.next_slot(ctx, &mut form, &mut replies).await?;
        form.set(REQUESTED_SLOT, next.map_or(Value::Null, Value::from));
        Ok(ActionResult {
            replies,
            events: form.into_events(ctx.tracker, ctx.now),
        })
    }

    /// Validates slot by slot; the first one still missing is the next to ask (`None`:
    /// the form is done, or ended by the screening).
    async fn next_slot(
        &self,
        ctx: &ActionContext<'_>,
        form: &mut Changes,
        replies: &mut Vec<Reply>,
    ) -> Result<Option<&'static str>, ActionError> {
        let catalogue = &self.clinic.data.catalogue;
        let Some(id) = form.text(PROCEDURE) else {
            return Ok(Some(PROCEDURE));
        };
        let Some(procedure) = catalogue.procedure(&id) else {
            replies.push(not_in_catalogue(catalogue, &[id]));
            form.set(PROCEDURE, Value::Null);
            return Ok(Some(PROCEDURE));
        };
        if procedure.contraindications.is_empty() {
            form.set(SCREENING, Screening::NotNeeded.as_str().into());
        } else {
            match form.get(HEALTH_CONSENT).and_then(Value::as_bool) {
                None => return Ok(Some(HEALTH_CONSENT)),
                Some(false) => {
                    // Without consent no health data is kept.
                    form.set(CONDITIONS, Value::Null);
                    form.set(SCREENING, Screening::NoConsent.as_str().into());
                    return Ok(None);
                }
                Some(true) => {}
            }
            let Some(declared) = form.get(CONDITIONS).map(condition_ids) else {
                return Ok(Some(CONDITIONS));
            };
            let ruled_out = procedure
                .contraindications
                .iter()
                .any(|c| declared.iter().any(|d| d == c.as_str()));
            if ruled_out {
                form.set(SCREENING, Screening::Contraindicated.as_str().into());
                return Ok(None);
            }
            form.set(SCREENING, Screening::Ok.as_str().into());
        }
        let Some(time) = form.get(TIME).cloned() else {
            return Ok(Some(TIME));
        };
        let slot = bookable_slot(
            &self.clinic.data,
            &*self.clinic.calendar,
            &id,
            &time,
            ctx.now,
        )
        .await
        .map_err(|e| ActionError::Failed {
            action: Self::NAME.into(),
            reason: e.to_string(),
        })?;
        match slot {
            Some(slot) => form.set(TIME, slot_value(&slot.start)),
            None => {
                // Keep what the patient asked for (with its grain when the message had
                // it) so the nearest free slots can be offered.
                let wish = latest_time(&self.clinic.data, ctx.tracker).unwrap_or(time);
                form.set(TIME_WISH, wish);
                form.set(TIME, Value::Null);
                return Ok(Some(TIME));
            }
        }
        if form.text(PERSON_NAME).is_none() {
            match profile_name(ctx.tracker) {
                Some(name) => form.set(PERSON_NAME, Value::from(name)),
                None => return Ok(Some(PERSON_NAME)),
            }
        }
        Ok(None)
    }
}

/// The condition ids a `conditions` slot holds (a list, or one text).
fn condition_ids(value: &Value) -> Vec<String> {
    match value {
        Value::Array(items) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
        Value::String(s) => vec![s.clone()],
        _ => Vec::new(),
    }
}

/// The sender's profile name, when the channel sent it with the message (WhatsApp's
/// `contacts[].profile.name`, as the channel's `name` metadata).
fn profile_name(tracker: &Tracker) -> Option<String> {
    let metadata = tracker.latest_message()?.parse_data.metadata.as_ref()?;
    let name = metadata.get("name")?.as_str()?.trim();
    (!name.is_empty()).then(|| name.to_owned())
}

/// The slot values as the validation leaves them: the tracker's, with the changes made
/// so far on top.
struct Changes {
    current: BTreeMap<String, Value>,
    changed: BTreeMap<String, Value>,
}

impl Changes {
    fn new(tracker: &Tracker) -> Self {
        let current = tracker
            .slots()
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect();
        Self {
            current,
            changed: BTreeMap::new(),
        }
    }

    fn get(&self, name: &str) -> Option<&Value> {
        self.current.get(name).filter(|v| !v.is_null())
    }

    fn text(&self, name: &str) -> Option<String> {
        self.get(name).and_then(Value::as_str).map(str::to_owned)
    }

    fn set(&mut self, name: &str, value: Value) {
        if self.current.get(name) != Some(&value) || name == REQUESTED_SLOT {
            self.changed.insert(name.to_owned(), value.clone());
        }
        self.current.insert(name.to_owned(), value);
    }

    /// The slot events to return: every change, and (as rasa_sdk does) the slots the
    /// latest message filled, confirmed, so the form knows the message answered it.
    fn into_events(mut self, tracker: &Tracker, now: f64) -> Vec<Event> {
        for name in filled_by_latest_message(tracker) {
            if !self.changed.contains_key(&name)
                && let Some(value) = self.current.get(&name)
            {
                self.changed.insert(name, value.clone());
            }
        }
        // `requested_slot` last: the form reads the last one as the next to ask.
        let requested = self.changed.remove(REQUESTED_SLOT);
        self.changed
            .into_iter()
            .chain(requested.map(|v| (REQUESTED_SLOT.to_owned(), v)))
            .map(|(name, value)| Event::new(EventKind::slot(name.as_str(), value), now))
            .collect()
    }
}

/// The slots set since the latest user message (but `requested_slot`).
fn filled_by_latest_message(tracker: &Tracker) -> Vec<String> {
    let events = tracker.events();
    let start = events
        .iter()
        .rposition(|e| matches!(e.kind, EventKind::User(_)))
        .map_or(0, |i| i + 1);
    events[start..]
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Slot { name, .. } if name.as_str() != REQUESTED_SLOT => {
                Some(name.to_string())
            }
            _ => None,
        })
        .collect()
}
