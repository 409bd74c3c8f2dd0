//! `action_recommend_procedures`: the procedures that fit the patient's concerns and
//! body areas, best first, leaving out those their conditions rule out.

use super::inputs::{say, values};
use crate::recommend::recommend;
use crate::{BodyAreaId, ClinicData, ConcernId, ConditionId};
use bela_engine::dialogue::actions::{
    Action, ActionContext, ActionError, ActionResult, BoxFuture, Reply,
};
use bela_engine::dialogue::events::Button;
use std::fmt::Write;
use std::sync::Arc;

/// How many procedures a recommendation lists: more reads as a catalogue, not advice.
const SHOWN: usize = 3;

/// Recommends from the `concern` and `body_area` entities (or slots), screening with the
/// `condition` entities (or slot).
pub struct RecommendProcedures {
    data: Arc<ClinicData>,
}

impl RecommendProcedures {
    /// The action's name in the domain.
    pub const NAME: &'static str = "action_recommend_procedures";

    /// The action over the clinic's data.
    pub fn new(data: Arc<ClinicData>) -> Self {
        Self { data }
    }

    fn answer(&self, ctx: &ActionContext<'_>) -> ActionResult {
        let tracker = ctx.tracker;
        let concerns: Vec<ConcernId> = ids(values(tracker, "concern"));
        let areas: Vec<BodyAreaId> = ids(values(tracker, "body_area"));
        let conditions: Vec<ConditionId> = ids(values(tracker, "conditions"));
        if concerns.is_empty() && areas.is_empty() {
            return say(
                "Me conta o que você gostaria de melhorar (por exemplo rugas, manchas ou \
                 flacidez) e em qual região, que eu indico os procedimentos mais adequados.",
            );
        }
        let catalogue = &self.data.catalogue;
        let found = recommend(catalogue, &concerns, &areas, &conditions);
        let mut text = String::new();
        if !found.ranked.is_empty() {
            text.push_str("Pelo que você me contou, estas são as opções mais indicadas:");
            for (i, r) in found.ranked.iter().take(SHOWN).enumerate() {
                let _ = write!(text, "\n{}. {}", i + 1, r.reason);
            }
        }
        for e in &found.excluded {
            if !text.is_empty() {
                text.push('\n');
            }
            text.push_str(&e.reason);
        }
        if found.ranked.is_empty() {
            if !text.is_empty() {
                text.push('\n');
            }
            text.push_str(
                "Para o seu caso, o ideal é uma avaliação presencial com a nossa equipe. \
                 Quer agendar?",
            );
        }
        let buttons = found
            .ranked
            .iter()
            .take(SHOWN)
            .filter_map(|r| catalogue.procedure(r.procedure.as_str()))
            .map(|p| Button {
                title: p.name.clone(),
                payload: format!(
                    "/ask_procedure_info{{\"procedure\": {}}}",
                    serde_json::Value::from(p.id.as_str())
                ),
                extra: serde_json::Map::new(),
            })
            .collect();
        let mut reply = Reply::text(text);
        reply.data.buttons = buttons;
        ActionResult {
            replies: vec![reply],
            events: Vec::new(),
        }
    }
}

impl Action for RecommendProcedures {
    fn name(&self) -> &str {
        Self::NAME
    }

    fn run<'a>(
        &'a self,
        ctx: &'a ActionContext<'a>,
    ) -> BoxFuture<'a, Result<ActionResult, ActionError>> {
        Box::pin(async move { Ok(self.answer(ctx)) })
    }
}

fn ids<Id: From<String>>(values: Vec<String>) -> Vec<Id> {
    values.into_iter().map(Id::from).collect()
}
