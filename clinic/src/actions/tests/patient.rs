//! Conversations of the fixture patient (the sender id the shared `conversation` uses)
//! and their appointments, for the actions on the patient's own bookings and data.

use super::*;
use crate::calendar::Capacity;

/// The sender id of every test conversation.
pub(super) const PATIENT: &str = "5511999990000";

/// A conversation: `before` set, then a message of `intent`, then `after` set (as the
/// form's extraction does for the message).
pub(super) fn said(intent: &str, before: &[(&str, Value)], after: &[(&str, Value)]) -> Tracker {
    let t = now() - 10.0;
    let slot = |(name, value): &(&str, Value)| Event::new(EventKind::slot(*name, value.clone()), t);
    let parse_data: ParseData = match serde_json::from_value(json!({
        "intent": {"name": intent, "confidence": 1.0}, "entities": []
    })) {
        Ok(p) => p,
        Err(e) => panic!("{e}"),
    };
    let message = UserUttered {
        text: Some("mensagem".into()),
        parse_data,
        input_channel: None,
        message_id: None,
    };
    let mut events: Vec<Event> = before.iter().map(slot).collect();
    events.push(Event::new(EventKind::User(message), t));
    events.extend(after.iter().map(slot));
    Tracker::from_events(SenderId::new(PATIENT), Arc::default(), events)
}

/// Books `procedure` for `patient` at `start` (local São Paulo time, one hour).
pub(super) async fn book_for(
    calendar: &InMemoryCalendar,
    patient: &str,
    procedure: &str,
    start: &str,
) -> Appointment {
    let start = zoned(start);
    let new = NewAppointment {
        patient: patient.to_owned(),
        patient_name: "Maria".to_owned(),
        procedure: ProcedureId::new(procedure),
        end: start
            .checked_add(jiff::SignedDuration::from_hours(1))
            .unwrap_or_else(|e| panic!("{e}")),
        start,
    };
    let rooms = Capacity {
        rooms: 5,
        buffer_minutes: 0,
    };
    match calendar.book(new, rooms).await {
        Ok(a) => a,
        Err(e) => panic!("{e}"),
    }
}

/// Books `procedure` for [`PATIENT`] at `start`.
pub(super) async fn book(calendar: &InMemoryCalendar, procedure: &str, start: &str) -> Appointment {
    book_for(calendar, PATIENT, procedure, start).await
}

/// The patient's active appointments from the start of the fixture's day.
pub(super) async fn active(calendar: &InMemoryCalendar) -> Vec<Appointment> {
    match calendar
        .upcoming(PATIENT, zoned("2026-12-01T00:00").timestamp())
        .await
    {
        Ok(all) => all,
        Err(e) => panic!("{e}"),
    }
}

/// The slot events of `result`, as (name, value).
pub(super) fn slot_events(result: &ActionResult) -> Vec<(String, Value)> {
    result
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Slot { name, value } => Some((name.to_string(), value.clone())),
            _ => None,
        })
        .collect()
}
