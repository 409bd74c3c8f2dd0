//! `action_screen_contraindications`: answers "grávida pode fazer botox?" from the
//! catalogue, for the procedures and conditions the message names. Nothing is stored:
//! a question is not a health record.

use super::clinic::clinic_action;
use super::inputs::{latest_entities, say, values};
use super::lookup::names;
use crate::catalogue::Procedure;
use crate::words::join_pt;
use bela_engine::dialogue::actions::{ActionContext, ActionError, ActionResult, Reply};

clinic_action!(
    /// Says whether the named procedures suit the named conditions, or lists the
    /// procedures' contraindications.
    ScreenContraindications,
    "action_screen_contraindications"
);

impl ScreenContraindications {
    async fn answer(&self, ctx: &ActionContext<'_>) -> Result<ActionResult, ActionError> {
        Ok(self.reply(ctx))
    }

    fn reply(&self, ctx: &ActionContext<'_>) -> ActionResult {
        let catalogue = &self.clinic.data.catalogue;
        let procedures: Vec<&Procedure> = values(ctx.tracker, "procedure")
            .iter()
            .filter_map(|id| catalogue.procedure(id))
            .collect();
        if procedures.is_empty() {
            return say(format!(
                "Sobre qual procedimento é a sua dúvida? Trabalhamos com: {}.",
                names(catalogue)
            ));
        }
        // Only what this message says: conditions are never read from stored slots here.
        let asked: Vec<String> = latest_entities(ctx.tracker, "condition")
            .filter_map(|e| e.value.as_str().map(str::to_owned))
            .collect();
        let label = |id: &str| {
            catalogue
                .condition(id)
                .map_or(id.to_owned(), |c| c.label.clone())
        };
        let replies = procedures
            .into_iter()
            .map(|p| {
                let listed: Vec<String> = p.contraindications.iter().map(|c| label(c.as_str())).collect();
                let ruled_out: Vec<String> = asked
                    .iter()
                    .filter(|a| p.contraindications.iter().any(|c| c.as_str() == a.as_str()))
                    .map(|a| label(a))
                    .collect();
                let text = if !ruled_out.is_empty() {
                    format!(
                        "*{}* não é indicado em caso de {}. Se quiser, marcamos uma avaliação presencial para ver a melhor alternativa para você.",
                        p.name,
                        join_pt(&ruled_out)
                    )
                } else if listed.is_empty() {
                    format!("*{}* não tem contraindicações específicas no nosso protocolo; a especialista confirma tudo na consulta.", p.name)
                } else if !asked.is_empty() {
                    format!(
                        "Isso não impede *{}*. As contraindicações são: {}. A especialista confirma tudo na consulta.",
                        p.name,
                        join_pt(&listed)
                    )
                } else {
                    format!(
                        "*{}* não é indicado em caso de {}. Antes de agendar, eu faço essas perguntas com o seu consentimento.",
                        p.name,
                        join_pt(&listed)
                    )
                };
                Reply::text(text)
            })
            .collect();
        ActionResult {
            replies,
            events: Vec::new(),
        }
    }
}
