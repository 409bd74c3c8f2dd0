//! Cancelling: `validate_cancel_form` picks the appointment (see
//! [`validate_appointment`]), `action_cancel_appointment` cancels it once the form is
//! done, unless it is too close to its start under the clinic's cancellation notice.

use super::appointments::{APPOINTMENT, chosen_id, intent_button, summary};
use super::choose::validate_appointment;
use super::clinic::{clinic_action, failed, patient};
use crate::calendar::{AppointmentStatus, CalendarError};
use bela_engine::dialogue::actions::{ActionContext, ActionError, ActionResult, Reply};
use bela_engine::dialogue::events::{Event, EventKind};
use serde_json::Value;

clinic_action!(
    /// Validates `cancel_form`'s one required slot, `appointment`.
    ValidateCancelForm,
    "validate_cancel_form"
);

impl ValidateCancelForm {
    async fn answer(&self, ctx: &ActionContext<'_>) -> Result<ActionResult, ActionError> {
        let choice = validate_appointment(ctx, &*self.clinic.calendar, Self::NAME).await?;
        Ok(choice.result)
    }
}

clinic_action!(
    /// Cancels the appointment `cancel_form` chose, then clears the `appointment` slot.
    /// Inside the cancellation notice (`notices.cancellation_hours` before its start) it
    /// keeps the appointment, explains the rule and offers the team. Says nothing when
    /// the form ended without an appointment (it already said there was none).
    CancelAppointment,
    "action_cancel_appointment"
);

impl CancelAppointment {
    async fn answer(&self, ctx: &ActionContext<'_>) -> Result<ActionResult, ActionError> {
        let Some(id) = chosen_id(ctx.tracker) else {
            return Ok(ActionResult::default());
        };
        let data = &*self.clinic.data;
        let clear = vec![Event::new(
            EventKind::slot(APPOINTMENT, Value::Null),
            ctx.now,
        )];
        let Some(appointment) = self.clinic.upcoming_one(ctx, &id, Self::NAME).await? else {
            return Ok(ActionResult {
                replies: vec![gone()],
                events: clear,
            });
        };
        let hours = data.config.notices.cancellation_hours;
        let reply = if self.clinic.within_notice(ctx, &appointment) {
            let mut reply = Reply::text(format!(
                "Seu horário de {} está muito próximo. 😕\n\
                 Cancelamentos precisam ser feitos com pelo menos {hours} horas de \
                 antecedência, então não consigo cancelar por aqui.\n\
                 Quer falar com a nossa equipe?",
                summary(data, &appointment)
            ));
            reply.data.buttons = vec![intent_button("Falar com a equipe", "/talk_to_human")];
            reply
        } else {
            match self
                .clinic
                .calendar
                .set_status(patient(ctx), &appointment.id, AppointmentStatus::Cancelled)
                .await
            {
                Ok(_) => Reply::text(format!(
                    "Pronto, cancelei seu horário de {}. ✅\n\
                     Quando quiser remarcar, é só me chamar!",
                    summary(data, &appointment)
                )),
                // Cancelled or moved by the clinic in the meantime.
                Err(CalendarError::NotFound(_)) => gone(),
                Err(e) => return Err(failed(Self::NAME, e)),
            }
        };
        Ok(ActionResult {
            replies: vec![reply],
            events: clear,
        })
    }
}

/// The chosen appointment is no longer an upcoming one.
fn gone() -> Reply {
    Reply::text("Esse agendamento não está mais ativo, então não há nada para cancelar.")
}
