//! Whether a time the patient gave is a slot that can be booked, and the free slots to
//! offer when it is not: the availability rules shared by the booking form, the
//! reschedule form and the booking itself.

use super::inputs::{clinic_now, latest_entities};
use super::time_json::time_value;
use crate::calendar::{Calendar, CalendarError};
use crate::{ClinicData, Grain, SearchWindow, Slot, find_slots};
use bela_engine::dialogue::actions::Reply;
use bela_engine::dialogue::events::Button;
use bela_engine::dialogue::tracker::Tracker;
use bela_engine::nlu::builtin::values::format_zoned;
use jiff::{SignedDuration, Timestamp, Zoned};
use serde_json::Value;

/// How many slots are offered at once (WhatsApp shows three reply buttons).
pub(crate) const OFFERED: usize = 3;

/// Why no answer about the calendar could be given.
#[derive(Debug, thiserror::Error)]
pub(crate) enum SlotError {
    /// The calendar could not be read.
    #[error(transparent)]
    Calendar(#[from] CalendarError),
    /// The search itself failed (an unknown procedure or part of day).
    #[error(transparent)]
    Search(#[from] crate::availability::AvailabilityError),
}

/// The search window a `time` value (slot or entity JSON) names.
pub(crate) fn window_of(data: &ClinicData, value: Option<&Value>) -> SearchWindow {
    value
        .and_then(|v| time_value(v, &data.config.time_zone))
        .map_or(SearchWindow::Any, |t| SearchWindow::from_time(&t))
}

/// Up to `limit` free slots for `procedure` in `window`, nearest first.
pub(crate) async fn free_slots(
    data: &ClinicData,
    calendar: &dyn Calendar,
    procedure: &str,
    window: &SearchWindow,
    now: f64,
    limit: usize,
) -> Result<Vec<Slot>, SlotError> {
    let now = clinic_now(now, &data.config.time_zone);
    let horizon = i64::from(data.config.scheduling.horizon_days) + 1;
    // A day beyond the horizon covers bookings that started before it ends.
    let until = now
        .timestamp()
        .checked_add(SignedDuration::from_hours(24 * horizon))
        .unwrap_or(Timestamp::MAX);
    let bookings = calendar.bookings(now.timestamp(), until).await?;
    let found = find_slots(
        &data.config,
        &data.catalogue,
        procedure,
        window,
        &bookings,
        &now,
        limit,
    )?;
    Ok(found)
}

/// The free slot `value` names for `procedure`: a minute ("15h30", a button's instant)
/// that is free, or the first free start within an hour ("às 15h"). `None` for a wider
/// or busy time, which calls for offering slots instead.
pub(crate) async fn bookable_slot(
    data: &ClinicData,
    calendar: &dyn Calendar,
    procedure: &str,
    value: &Value,
    now: f64,
) -> Result<Option<Slot>, SlotError> {
    let window = window_of(data, Some(value));
    let SearchWindow::Instant { at, grain } = &window else {
        return Ok(None);
    };
    if !matches!(grain, Grain::Minute | Grain::Hour) {
        return Ok(None);
    }
    let first = free_slots(data, calendar, procedure, &window, now, 1).await?;
    Ok(first.into_iter().next().filter(|slot| {
        slot.exact && (*grain == Grain::Hour || slot.start.timestamp() == at.timestamp())
    }))
}

/// The slot's value for the `time` slot and buttons: its ISO start.
pub(crate) fn slot_value(start: &Zoned) -> Value {
    Value::from(format_zoned(start))
}

/// One button per slot, sending it back as `/inform{"time": "<ISO start>"}`.
pub(crate) fn slot_buttons(slots: &[Slot]) -> Vec<Button> {
    slots
        .iter()
        .map(|s| Button {
            title: s.label(),
            payload: format!("/inform{{\"time\": {}}}", slot_value(&s.start)),
            extra: serde_json::Map::new(),
        })
        .collect()
}

/// The message offering `slots` for the procedure called `name`, as buttons: the ones
/// asked for, the nearest ones when the time asked for is full, or none within the
/// horizon of `horizon_days`.
pub(crate) fn offer(name: &str, horizon_days: u32, slots: &[Slot]) -> Reply {
    let text = if slots.is_empty() {
        format!(
            "Não encontrei horários livres para {name} nos próximos {horizon_days} dias. \
             Quer falar com a nossa equipe para ver outras opções?"
        )
    } else if slots.iter().any(|s| s.exact) {
        format!("Tenho estes horários para {name}:")
    } else {
        format!("Nesse período não tenho horário livre para {name}; os mais próximos são:")
    };
    let mut reply = Reply::text(text);
    reply.data.buttons = slot_buttons(slots);
    reply
}

/// The latest message's first readable `time` entity as JSON: Duckling's full value
/// (with its grain) when the extractor kept it, else the entity's value.
pub(crate) fn latest_time(data: &ClinicData, tracker: &Tracker) -> Option<Value> {
    let tz = &data.config.time_zone;
    latest_entities(tracker, "time").find_map(|e| {
        [e.additional_info.as_ref(), Some(&e.value)]
            .into_iter()
            .flatten()
            .find(|v| time_value(v, tz).is_some())
            .cloned()
    })
}
