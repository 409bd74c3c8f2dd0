//! Which of the patient's appointments a form acts on: the `appointment` slot checked
//! against their upcoming bookings, or filled when there is only one. Shared by
//! `validate_cancel_form` and `validate_reschedule_form`.

use super::appointments::{APPOINTMENT, Upcoming, chosen_id, no_upcoming, upcoming_appointments};
use super::clinic::failed;
use super::inputs::set_this_turn;
use crate::calendar::{Appointment, Calendar};
use bela_engine::dialogue::actions::{ActionContext, ActionError, ActionResult, Reply};
use bela_engine::dialogue::domain::REQUESTED_SLOT;
use bela_engine::dialogue::events::{Event, EventKind};
use serde_json::Value;

/// What [`validate_appointment`] decided.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct AppointmentChoice {
    /// Replies and events for the validation action to return (after its own).
    pub(crate) result: ActionResult,
    /// The chosen appointment, when one is chosen and still upcoming: what the rest of
    /// the validation works on (a reschedule's new slot is for its procedure).
    pub(crate) chosen: Option<Appointment>,
}

/// Validates the `appointment` slot of a form acting on one of the patient's upcoming
/// appointments (those of [`upcoming_appointments`]); `action` names the validation
/// action in errors.
///
/// - Set by the latest message (or its extraction): kept, with a slot event re-setting
///   it so the form knows the message filled something, when it is one of them;
///   otherwise cleared (slot event to null) with a reply saying so, and the form asks
///   again.
/// - Set earlier: no event; cleared (without a reply) if it is no longer upcoming.
/// - Not set: no upcoming appointment → [`nothing_to_choose`]: the [`no_upcoming`]
///   reply and `requested_slot` = null (with the active loop set to none), which ends
///   the form (its closing action then finds no `appointment`); exactly one → the slot
///   is filled with it; several → nothing, so the form asks (`action_ask_appointment`).
///
/// Fails only when the calendar cannot be read.
pub(crate) async fn validate_appointment(
    ctx: &ActionContext<'_>,
    calendar: &dyn Calendar,
    action: &str,
) -> Result<AppointmentChoice, ActionError> {
    let tracker = ctx.tracker;
    let upcoming = upcoming_appointments(tracker, ctx.now, calendar)
        .await
        .map_err(|e| failed(action, e))?;
    let set = |value: Value| vec![Event::new(EventKind::slot(APPOINTMENT, value), ctx.now)];
    let Some(id) = chosen_id(tracker) else {
        return Ok(match upcoming {
            Upcoming::None => AppointmentChoice {
                result: nothing_to_choose(ctx.now),
                chosen: None,
            },
            Upcoming::One(only) => AppointmentChoice {
                result: ActionResult {
                    replies: Vec::new(),
                    events: set(Value::from(only.id.as_str())),
                },
                chosen: Some(only),
            },
            Upcoming::Several(_) => AppointmentChoice::default(),
        });
    };
    let chosen = upcoming
        .into_vec()
        .into_iter()
        .find(|a| a.id.as_str() == id);
    let just_given = set_this_turn(tracker, APPOINTMENT);
    let result = match (&chosen, just_given) {
        (Some(a), true) => ActionResult {
            replies: Vec::new(),
            events: set(Value::from(a.id.as_str())),
        },
        (Some(_), false) => ActionResult::default(),
        (None, true) => ActionResult {
            replies: vec![Reply::text(
                "Não encontrei esse agendamento entre os seus próximos horários.",
            )],
            events: set(Value::Null),
        },
        (None, false) => ActionResult {
            replies: Vec::new(),
            events: set(Value::Null),
        },
    };
    Ok(AppointmentChoice { result, chosen })
}

/// Says there is no upcoming appointment and ends the form asking for one: sets
/// `requested_slot` to null and, as well, the active loop to none. Rasa's forms end on
/// either; this engine's form (so far) only on the second, and with both the rule that
/// runs after the form sees it end as it does when every slot is filled.
pub(crate) fn nothing_to_choose(now: f64) -> ActionResult {
    ActionResult {
        replies: vec![no_upcoming()],
        events: vec![
            Event::new(EventKind::slot(REQUESTED_SLOT, Value::Null), now),
            Event::new(EventKind::active_loop(None), now),
        ],
    }
}
