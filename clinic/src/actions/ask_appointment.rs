//! `action_ask_appointment`: the form's question for the `appointment` slot — which of
//! the patient's upcoming appointments, one button each.

use super::appointments::{Upcoming, choice_button};
use super::choose::nothing_to_choose;
use super::clinic::clinic_action;
use bela_engine::dialogue::actions::{ActionContext, ActionError, ActionResult, Reply};

clinic_action!(
    /// Asks which upcoming appointment the cancel or reschedule form is about; buttons
    /// send `/inform{"appointment": "<id>"}`. With none upcoming it says so and ends
    /// the form as the validation would.
    AskAppointment,
    "action_ask_appointment"
);

impl AskAppointment {
    async fn answer(&self, ctx: &ActionContext<'_>) -> Result<ActionResult, ActionError> {
        let (text, all) = match self.clinic.upcoming(ctx, Self::NAME).await? {
            // The engine asks only after validation ran; this covers a form activated
            // without it (the slot was not pre-filled, so nothing was validated yet).
            Upcoming::None => {
                return Ok(nothing_to_choose(ctx.now));
            }
            Upcoming::One(a) => ("É sobre este agendamento?", vec![a]),
            Upcoming::Several(all) => ("Qual dos seus agendamentos?", all),
        };
        let mut reply = Reply::text(text);
        reply.data.buttons = all
            .iter()
            .map(|a| choice_button(&self.clinic.data, a))
            .collect();
        Ok(ActionResult {
            replies: vec![reply],
            events: Vec::new(),
        })
    }
}
