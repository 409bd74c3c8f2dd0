//! The actions scheduled jobs run in the patient's conversation, triggered by an external
//! intent whose message metadata names the appointment: `action_appointment_reminder` (a
//! reminder with Confirmar/Remarcar buttons) and `action_follow_up` (how the patient is
//! after a procedure, with the satisfaction question).

use super::appointments::{intent_button, summary};
use super::clinic::{clinic_action, patient};
use super::inputs::send;
use bela_engine::dialogue::actions::{ActionContext, ActionError, ActionResult, Reply};
use bela_engine::dialogue::tracker::Tracker;
use serde_json::Value;

/// The latest message's metadata field `key`, as text (the job's payload).
pub(crate) fn job_field(tracker: &Tracker, key: &str) -> Option<String> {
    let metadata = tracker.latest_message()?.parse_data.metadata.as_ref()?;
    match metadata.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The patient's first name as booked, for a friendlier opening.
fn greeting(name: Option<String>) -> String {
    match name.as_deref().and_then(|n| n.split_whitespace().next()) {
        Some(first) => format!("Olá, {first}!"),
        None => "Olá!".into(),
    }
}

clinic_action!(
    /// Reminds the patient of the appointment the job names (metadata `appointment`),
    /// asking to confirm or reschedule; says nothing when it is no longer upcoming.
    AppointmentReminder,
    "action_appointment_reminder"
);

impl AppointmentReminder {
    async fn answer(&self, ctx: &ActionContext<'_>) -> Result<ActionResult, ActionError> {
        let Some(id) = job_field(ctx.tracker, "appointment") else {
            return Ok(ActionResult::default());
        };
        let now = self.clinic.now(ctx).timestamp();
        let upcoming = self
            .clinic
            .calendar
            .upcoming(patient(ctx), now)
            .await
            .map_err(|e| super::clinic::failed(Self::NAME, e))?;
        let Some(appointment) = upcoming.iter().find(|a| a.id.as_str() == id) else {
            // Cancelled or moved since the job was made: a stale reminder helps no one.
            return Ok(ActionResult::default());
        };
        let mut reply = Reply::text(format!(
            "{} 😊 Passando para lembrar do seu horário: {}.\n\
             Podemos confirmar sua presença?",
            greeting(Some(appointment.patient_name.clone())),
            summary(&self.clinic.data, appointment)
        ));
        reply.data.buttons = vec![
            intent_button("Confirmar", "/confirm_appointment"),
            intent_button("Remarcar", "/reschedule_appointment"),
        ];
        Ok(send(reply))
    }
}

clinic_action!(
    /// Asks how the patient is after the procedure the job names, then how satisfied
    /// they are (buttons Ótimo/Bom/Ruim, or a score 1–5 in words).
    FollowUp,
    "action_follow_up"
);

impl FollowUp {
    async fn answer(&self, ctx: &ActionContext<'_>) -> Result<ActionResult, ActionError> {
        let tracker = ctx.tracker;
        let procedure = job_field(tracker, "procedure")
            .map(|id| {
                self.clinic
                    .data
                    .catalogue
                    .procedure(&id)
                    .map_or(id.replace('_', " "), |p| p.name.clone())
            })
            .unwrap_or_else(|| "seu procedimento".into());
        let hello = greeting(job_field(tracker, "patient_name"));
        let first = job_field(tracker, "occurrence").is_none_or(|o| o == "0");
        let text = if first {
            format!(
                "{hello} 💜 Como você está se sentindo depois de *{procedure}*? \
                 Se notar algo diferente do esperado, é só responder aqui.\n\
                 E como foi sua experiência com a gente? De 1 a 5, que nota você dá?"
            )
        } else {
            let days = job_field(tracker, "day").unwrap_or_else(|| "alguns".into());
            format!(
                "{hello} 💜 Já faz {days} dias do seu procedimento de *{procedure}*. \
                 Como está o resultado?\n\
                 De 1 a 5, que nota você dá para o resultado e o atendimento?"
            )
        };
        let mut reply = Reply::text(text);
        reply.data.buttons = vec![
            intent_button("Ótimo", "/feedback{\"satisfaction\": \"5\"}"),
            intent_button("Bom", "/feedback{\"satisfaction\": \"4\"}"),
            intent_button("Ruim", "/feedback{\"satisfaction\": \"2\"}"),
        ];
        Ok(send(reply))
    }
}
