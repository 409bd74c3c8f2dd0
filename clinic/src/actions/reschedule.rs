//! Rescheduling: `validate_reschedule_form` picks the appointment (see
//! [`validate_appointment`]) and checks the new time is a free slot for its procedure
//! (else keeps it as `time_wish`), `action_ask_reschedule_form_time` offers free slots,
//! and `action_reschedule_appointment` moves the appointment once the form is done,
//! unless it is inside the cancellation notice.

use super::appointments::{APPOINTMENT, chosen_id, intent_button, summary};
use super::ask::offer_times;
use super::bookable::{bookable_slot, latest_time, slot_value};
use super::choose::validate_appointment;
use super::clinic::{Clinic, clinic_action, failed, patient};
use super::slots::{REQUESTED_SLOT, TIME, TIME_WISH};
use crate::availability::short_label;
use crate::calendar::{Appointment, CalendarError, Capacity};
use bela_engine::dialogue::actions::{ActionContext, ActionError, ActionResult, Reply};
use bela_engine::dialogue::events::{Event, EventKind};
use bela_engine::names::ActionName;
use jiff::Zoned;
use serde_json::Value;

clinic_action!(
    /// Validates `reschedule_form`: `appointment`, then `time` (a free slot for the
    /// appointment's procedure).
    ValidateRescheduleForm,
    "validate_reschedule_form"
);

impl ValidateRescheduleForm {
    async fn answer(&self, ctx: &ActionContext<'_>) -> Result<ActionResult, ActionError> {
        let choice = validate_appointment(ctx, &*self.clinic.calendar, Self::NAME).await?;
        let mut result = choice.result;
        let ended = result.events.iter().any(|e| {
            matches!(&e.kind, EventKind::Slot { name, value } if name.as_str() == REQUESTED_SLOT && value.is_null())
        });
        let (Some(appointment), false) = (choice.chosen, ended) else {
            return Ok(result);
        };
        if self.clinic.within_notice(ctx, &appointment) {
            // No new time to ask for: the form ends and the reschedule action explains.
            result.events.extend([
                Event::new(EventKind::slot(REQUESTED_SLOT, Value::Null), ctx.now),
                Event::new(EventKind::active_loop(None), ctx.now),
            ]);
            return Ok(result);
        }
        let Some(time) = ctx.tracker.slot(TIME).cloned() else {
            return Ok(result);
        };
        let data = &self.clinic.data;
        let slot = bookable_slot(
            data,
            &*self.clinic.calendar,
            appointment.procedure.as_str(),
            &time,
            ctx.now,
        )
        .await
        .map_err(|e| failed(Self::NAME, e))?;
        let set = |name: &str, value: Value| Event::new(EventKind::slot(name, value), ctx.now);
        match slot {
            Some(slot) => result.events.push(set(TIME, slot_value(&slot.start))),
            None => {
                let wish = latest_time(data, ctx.tracker).unwrap_or(time);
                result.events.push(set(TIME_WISH, wish));
                result.events.push(set(TIME, Value::Null));
            }
        }
        Ok(result)
    }
}

clinic_action!(
    /// Offers free slots for the chosen appointment's procedure near `time_wish`.
    AskRescheduleTime,
    "action_ask_reschedule_form_time"
);

impl AskRescheduleTime {
    async fn answer(&self, ctx: &ActionContext<'_>) -> Result<ActionResult, ActionError> {
        let data = &*self.clinic.data;
        let procedure = chosen(&self.clinic, ctx, Self::NAME)
            .await?
            .and_then(|a| data.catalogue.procedure(a.procedure.as_str()));
        let Some(procedure) = procedure else {
            return Ok(ActionResult::default());
        };
        let reply = offer_times(data, &*self.clinic.calendar, procedure, ctx, Self::NAME).await?;
        Ok(ActionResult {
            replies: vec![reply],
            events: Vec::new(),
        })
    }
}

clinic_action!(
    /// Moves the chosen appointment to the `time` slot, then clears the form's slots.
    /// Inside the cancellation notice it keeps the appointment and offers the team; a
    /// slot taken meanwhile sends the patient back to the form for another.
    RescheduleAppointment,
    "action_reschedule_appointment"
);

impl RescheduleAppointment {
    async fn answer(&self, ctx: &ActionContext<'_>) -> Result<ActionResult, ActionError> {
        let data = &*self.clinic.data;
        let Some(appointment) = chosen(&self.clinic, ctx, Self::NAME).await? else {
            return Ok(ActionResult::default());
        };
        let set = |name: &str, value: Value| Event::new(EventKind::slot(name, value), ctx.now);
        let clear: Vec<Event> = [APPOINTMENT, TIME, TIME_WISH]
            .into_iter()
            .map(|s| set(s, Value::Null))
            .collect();
        let hours = data.config.notices.cancellation_hours;
        if self.clinic.within_notice(ctx, &appointment) {
            let mut reply = Reply::text(format!(
                "Seu horário de {} está muito próximo. 😕\nRemarcações precisam ser feitas com pelo menos {hours} horas de antecedência, então não consigo mudar por aqui.\nQuer falar com a nossa equipe?",
                summary(data, &appointment)
            ));
            reply.data.buttons = vec![intent_button("Falar com a equipe", "/talk_to_human")];
            return Ok(ActionResult {
                replies: vec![reply],
                events: clear,
            });
        }
        let start = ctx
            .tracker
            .slot(TIME)
            .and_then(Value::as_str)
            .and_then(|t| t.parse::<jiff::Timestamp>().ok())
            .map(|t| t.to_zoned(data.config.time_zone.clone()));
        let Some(start) = start else {
            return Ok(ActionResult::default());
        };
        let end = new_end(&appointment, &start).map_err(|e| failed(Self::NAME, e))?;
        let capacity = Capacity::from(&data.config.scheduling);
        let moved = self
            .clinic
            .calendar
            .reschedule(patient(ctx), &appointment.id, start.clone(), end, capacity)
            .await;
        match moved {
            Ok(a) => Ok(ActionResult {
                replies: vec![Reply::text(format!(
                    "Pronto, remarquei! ✅ {}.\nAté lá! 💜",
                    summary(data, &a)
                ))],
                events: clear,
            }),
            Err(CalendarError::SlotTaken(_)) => Ok(ActionResult {
                replies: vec![Reply::text(format!(
                    "Poxa, o horário de {} acabou de ser preenchido. Vou te mostrar os próximos livres.",
                    short_label(&start)
                ))],
                events: vec![
                    set(TIME_WISH, slot_value(&start)),
                    set(TIME, Value::Null),
                    Event::new(
                        EventKind::Followup {
                            name: ActionName::new("reschedule_form"),
                        },
                        ctx.now,
                    ),
                ],
            }),
            Err(e) => Err(failed(Self::NAME, e)),
        }
    }
}

/// The appointment's end when it starts at `start` instead (same length).
fn new_end(appointment: &Appointment, start: &Zoned) -> Result<Zoned, jiff::Error> {
    let length = appointment
        .end
        .timestamp()
        .duration_since(appointment.start.timestamp());
    start.checked_add(length)
}

/// The patient's upcoming appointment the `appointment` slot names, if any.
async fn chosen(
    clinic: &Clinic,
    ctx: &ActionContext<'_>,
    action: &str,
) -> Result<Option<Appointment>, ActionError> {
    match chosen_id(ctx.tracker) {
        Some(id) => clinic.upcoming_one(ctx, &id, action).await,
        None => Ok(None),
    }
}
