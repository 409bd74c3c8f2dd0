//! `action_list_appointments`: the patient's upcoming appointments, with whether each is
//! confirmed.

use super::appointments::{Upcoming, line_with_status, no_upcoming};
use super::clinic::clinic_action;
use super::inputs::send;
use bela_engine::dialogue::actions::{ActionContext, ActionError, ActionResult, Reply};

clinic_action!(
    /// Lists the patient's upcoming appointments (procedure, day and time, status);
    /// with none, says so and offers to book.
    ListAppointments,
    "action_list_appointments"
);

impl ListAppointments {
    async fn answer(&self, ctx: &ActionContext<'_>) -> Result<ActionResult, ActionError> {
        let all = match self.clinic.upcoming(ctx, Self::NAME).await? {
            Upcoming::None => return Ok(send(no_upcoming())),
            other => other.into_vec(),
        };
        let heading = if all.len() == 1 {
            "Seu próximo agendamento:"
        } else {
            "Seus próximos agendamentos:"
        };
        let lines: Vec<String> = all
            .iter()
            .map(|a| line_with_status(&self.clinic.data, a))
            .collect();
        Ok(send(Reply::text(format!(
            "{heading}\n{}",
            lines.join("\n")
        ))))
    }
}
