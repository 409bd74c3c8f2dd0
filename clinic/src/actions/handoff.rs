//! `action_handoff_human`: hands the conversation to the clinic's staff. The bot pauses
//! (the processor skips paused conversations) until staff send `{"event": "resume"}` to
//! `POST /conversations/{id}/tracker/events`.

use super::clinic::clinic_action;
use crate::availability::{day_label, weekday_name};
use bela_engine::dialogue::actions::{ActionContext, ActionError, ActionResult, Reply};
use bela_engine::dialogue::events::{Event, EventKind};
use jiff::Zoned;

clinic_action!(
    /// Tells the patient a person will answer — now, or when the clinic opens next — and
    /// pauses the bot for this contact.
    HandoffHuman,
    "action_handoff_human"
);

impl HandoffHuman {
    async fn answer(&self, ctx: &ActionContext<'_>) -> Result<ActionResult, ActionError> {
        let config = &self.clinic.data.config;
        let now = self.clinic.now(ctx);
        let text = if config.is_open(&now) {
            "Vou chamar alguém da nossa equipe para continuar o seu atendimento. \
             Em instantes uma pessoa te responde por aqui! 😊"
                .to_owned()
        } else {
            let back = match config.next_opening(&now) {
                Some(at) => format!("volta a responder {}", relative_day(&now, &at)),
                None => "responde assim que possível".to_owned(),
            };
            format!(
                "Vou chamar alguém da nossa equipe. 😊\n\
                 Estamos fora do horário de atendimento agora; nossa equipe {back}. \
                 Pode deixar sua mensagem por aqui!"
            )
        };
        Ok(ActionResult {
            replies: vec![Reply::text(text)],
            events: vec![Event::new(EventKind::Pause, ctx.now)],
        })
    }
}

/// `at` as said from `now` (same time zone): `hoje às 13:00`, `amanhã às 09:00`,
/// `segunda às 09:00` within the week, `segunda, 04/01 às 09:00` beyond.
pub(crate) fn relative_day(now: &Zoned, at: &Zoned) -> String {
    let time = at.strftime("%H:%M");
    let days = (at.date() - now.date()).get_days();
    match days {
        0 => format!("hoje às {time}"),
        1 => format!("amanhã às {time}"),
        2..=6 => format!("{} às {time}", weekday_name(at.weekday())),
        _ => day_label(at),
    }
}
