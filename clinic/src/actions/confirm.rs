//! `action_confirm_appointment`: the patient's answer to a reminder confirms their next
//! appointment that is not confirmed yet.

use super::appointments::{Upcoming, no_upcoming, summary};
use super::clinic::{clinic_action, failed, patient};
use super::inputs::{say, send};
use crate::calendar::AppointmentStatus;
use bela_engine::dialogue::actions::{ActionContext, ActionError, ActionResult};

clinic_action!(
    /// Confirms the patient's next upcoming appointment still waiting for confirmation
    /// and says when and where it is; says so when there is none.
    ConfirmAppointment,
    "action_confirm_appointment"
);

impl ConfirmAppointment {
    async fn answer(&self, ctx: &ActionContext<'_>) -> Result<ActionResult, ActionError> {
        let data = &*self.clinic.data;
        let all = match self.clinic.upcoming(ctx, Self::NAME).await? {
            Upcoming::None => return Ok(send(no_upcoming())),
            other => other.into_vec(),
        };
        let Some(next) = all.iter().find(|a| a.status == AppointmentStatus::Booked) else {
            // Everything ahead is confirmed already: a second "confirmo" to a reminder.
            let first = all.first().map(|a| summary(data, a)).unwrap_or_default();
            return Ok(say(format!(
                "Seu horário de {first} já está confirmado. Até lá! 😊"
            )));
        };
        self.clinic
            .calendar
            .set_status(patient(ctx), &next.id, AppointmentStatus::Confirmed)
            .await
            .map_err(|e| failed(Self::NAME, e))?;
        let config = &data.config;
        let mut text = format!(
            "Confirmado! ✅ Seu horário de {} está garantido.\n📍 *{}*: {}",
            summary(data, next),
            config.name,
            config.address
        );
        if let Some(directions) = &config.directions {
            text.push('\n');
            text.push_str(directions);
        }
        text.push_str("\nTe esperamos!");
        Ok(say(text))
    }
}
