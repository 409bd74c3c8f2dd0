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

/// The parts of the day as the built-in extractor reads them (Duckling's hours), and the
/// clinic configuration's names for them.
const EXTRACTOR_PARTS: [(i8, i8, &str); 3] =
    [(4, 12, "manha"), (12, 19, "tarde"), (18, 24, "noite")];

/// The search window a `time` value (slot or entity JSON) names. A part of the day the
/// extractor read ("amanhã à tarde": 12–19 h, as Duckling) becomes the clinic's own part
/// of that name (`scheduling.parts_of_day`, e.g. 12–18 h) when the configuration has it.
pub(crate) fn window_of(data: &ClinicData, value: Option<&Value>) -> SearchWindow {
    let window = value
        .and_then(|v| time_value(v, &data.config.time_zone))
        .map_or(SearchWindow::Any, |t| SearchWindow::from_time(&t));
    clinic_part_of_day(data, &window).unwrap_or(window)
}

fn clinic_part_of_day(data: &ClinicData, window: &SearchWindow) -> Option<SearchWindow> {
    let SearchWindow::Interval {
        from: Some(from),
        to: Some(to),
    } = window
    else {
        return None;
    };
    let tz = &data.config.time_zone;
    let (from, to) = (
        from.with_time_zone(tz.clone()),
        to.with_time_zone(tz.clone()),
    );
    let whole_hour = |z: &Zoned| z.minute() == 0 && z.second() == 0;
    if !whole_hour(&from) || !whole_hour(&to) {
        return None;
    }
    let end_hour = if to.date() == from.date() {
        to.hour()
    } else if from.date().tomorrow().ok() == Some(to.date()) && to.hour() == 0 {
        24
    } else {
        return None;
    };
    let (_, _, part) = EXTRACTOR_PARTS
        .into_iter()
        .find(|(start, end, _)| *start == from.hour() && *end == end_hour)?;
    data.config.scheduling.part_of_day(part)?;
    Some(SearchWindow::PartOfDay {
        date: Some(from.date()),
        part: part.to_owned(),
    })
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::data;
    use serde_json::json;

    #[test]
    fn the_extractors_afternoon_is_the_clinics() {
        let data = data();
        let afternoon = json!({"type": "interval",
            "from": {"value": "2026-12-02T12:00:00.000-03:00", "grain": "hour"},
            "to": {"value": "2026-12-02T19:00:00.000-03:00", "grain": "hour"}});
        let date: jiff::civil::Date = "2026-12-02".parse().expect("date");
        assert_eq!(
            window_of(&data, Some(&afternoon)),
            SearchWindow::PartOfDay {
                date: Some(date),
                part: "tarde".into()
            }
        );
        let night = json!({"type": "interval",
            "from": {"value": "2026-12-02T18:00:00.000-03:00", "grain": "hour"},
            "to": {"value": "2026-12-03T00:00:00.000-03:00", "grain": "hour"}});
        assert!(matches!(
            window_of(&data, Some(&night)),
            SearchWindow::PartOfDay { part, .. } if part == "noite"
        ));
        // Any other interval stays as it was.
        let other = json!({"type": "interval",
            "from": {"value": "2026-12-02T14:00:00.000-03:00", "grain": "hour"},
            "to": {"value": "2026-12-02T16:00:00.000-03:00", "grain": "hour"}});
        assert!(matches!(
            window_of(&data, Some(&other)),
            SearchWindow::Interval { .. }
        ));
    }
}
