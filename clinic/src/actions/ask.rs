//! How the booking form asks for its slots that need the catalogue or the calendar:
//! `action_ask_time` offers the nearest free slots for what the patient asked
//! (`time_wish`), `action_ask_conditions` lists the procedure's screening questions.

use super::bookable::{OFFERED, free_slots, offer, window_of};
use super::clinic::clinic_action;
use super::inputs::say;
use super::slots::{PROCEDURE, TIME_WISH};
use crate::ClinicData;
use crate::calendar::Calendar;
use crate::catalogue::Procedure;
use bela_engine::dialogue::actions::{ActionContext, ActionError, ActionResult, Reply};
use bela_engine::dialogue::events::Button;
use serde_json::Value;
use std::fmt::Write;

clinic_action!(
    /// Offers up to three free slots (buttons) for the `procedure` slot, near `time_wish`.
    AskTime,
    "action_ask_time"
);

impl AskTime {
    async fn answer(&self, ctx: &ActionContext<'_>) -> Result<ActionResult, ActionError> {
        let procedure = ctx
            .tracker
            .slot(PROCEDURE)
            .and_then(Value::as_str)
            .and_then(|id| self.clinic.data.catalogue.procedure(id));
        let Some(procedure) = procedure else {
            return Ok(say("Para qual procedimento você quer ver os horários?"));
        };
        let reply = offer_times(
            &self.clinic.data,
            &*self.clinic.calendar,
            procedure,
            ctx,
            Self::NAME,
        )
        .await?;
        Ok(ActionResult {
            replies: vec![reply],
            events: Vec::new(),
        })
    }
}

/// The nearest free slots for `procedure` around the `time_wish` slot, as buttons, with
/// an invitation to name another time; the calendar failing fails `action`.
pub(crate) async fn offer_times(
    data: &ClinicData,
    calendar: &dyn Calendar,
    procedure: &Procedure,
    ctx: &ActionContext<'_>,
    action: &str,
) -> Result<Reply, ActionError> {
    let window = window_of(data, ctx.tracker.slot(TIME_WISH));
    let slots = free_slots(
        data,
        calendar,
        procedure.id.as_str(),
        &window,
        ctx.now,
        OFFERED,
    )
    .await
    .map_err(|e| ActionError::Failed {
        action: action.into(),
        reason: e.to_string(),
    })?;
    let mut reply = offer(&procedure.name, data.config.scheduling.horizon_days, &slots);
    if !slots.is_empty()
        && let Some(text) = &mut reply.text
    {
        // "Tenho estes horários para X:" → "... para X. Escolha um, ou ...:"
        if text.ends_with(':') {
            text.pop();
        }
        text.push_str(". Escolha um, ou me diga outro dia e horário:");
    }
    Ok(reply)
}

clinic_action!(
    /// Asks the screening questions of the `procedure` slot's contraindications at once.
    AskConditions,
    "action_ask_conditions"
);

impl AskConditions {
    async fn answer(&self, ctx: &ActionContext<'_>) -> Result<ActionResult, ActionError> {
        Ok(self.ask(ctx))
    }

    fn ask(&self, ctx: &ActionContext<'_>) -> ActionResult {
        let procedure = ctx.tracker.slot(PROCEDURE).and_then(Value::as_str);
        let terms = procedure
            .and_then(|p| self.clinic.data.catalogue.screening(p))
            .unwrap_or_default();
        let mut text = String::from(
            "Antes de agendar, preciso de algumas informações de saúde, para a sua segurança:",
        );
        for term in &terms {
            let question = term.question.clone().unwrap_or_else(|| term.label.clone());
            let _ = write!(text, "\n• {question}");
        }
        text.push_str(
            "\nSe alguma delas se aplica a você, me diga qual. Se nenhuma, responda \"nenhuma\".",
        );
        let mut reply = Reply::text(text);
        reply.data.buttons = vec![Button {
            title: "Nenhuma".into(),
            payload: "/deny".into(),
            extra: serde_json::Map::new(),
        }];
        ActionResult {
            replies: vec![reply],
            events: Vec::new(),
        }
    }
}
