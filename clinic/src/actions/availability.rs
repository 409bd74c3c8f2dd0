//! `action_check_availability`: up to three free slots for the procedure, in the window
//! the patient's time expression names, offered as buttons that send the slot back as
//! `/inform{"time": "<ISO start>"}`.

use super::inputs::{clinic_now, latest_entities, say, values};
use super::lookup::not_in_catalogue;
use super::time_json::time_value;
use crate::calendar::Calendar;
use crate::{ClinicData, SearchWindow, find_slots};
use bela_engine::dialogue::actions::{
    Action, ActionContext, ActionError, ActionResult, BoxFuture, Reply,
};
use bela_engine::dialogue::events::Button;
use bela_engine::dialogue::tracker::Tracker;
use bela_engine::nlu::builtin::values::format_zoned;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use std::sync::Arc;

/// How many slots are offered at once (WhatsApp shows three reply buttons).
const OFFERED: usize = 3;

/// Searches free slots for the `procedure` slot (or entity) in the latest message's
/// `time` (or the `time` slot), reading the calendar from a [`Calendar`].
pub struct CheckAvailability {
    data: Arc<ClinicData>,
    bookings: Arc<dyn Calendar>,
}

impl CheckAvailability {
    /// The action's name in the domain.
    pub const NAME: &'static str = "action_check_availability";

    /// The action over the clinic's data and calendar.
    pub fn new(data: Arc<ClinicData>, bookings: Arc<dyn Calendar>) -> Self {
        Self { data, bookings }
    }

    async fn answer(&self, ctx: &ActionContext<'_>) -> Result<ActionResult, ActionError> {
        let ClinicData { config, catalogue } = &*self.data;
        let Some(id) = values(ctx.tracker, "procedure").into_iter().next() else {
            return Ok(say("Para qual procedimento você quer ver os horários?"));
        };
        let Some(procedure) = catalogue.procedure(&id) else {
            return Ok(ActionResult {
                replies: vec![not_in_catalogue(catalogue, &[id])],
                events: Vec::new(),
            });
        };
        let window = window(ctx.tracker, &config.time_zone);
        let now = clinic_now(ctx.now, &config.time_zone);
        let horizon_days = config.scheduling.horizon_days;
        // A day beyond the horizon covers bookings that started before it ends.
        let until = now
            .timestamp()
            .checked_add(SignedDuration::from_hours(
                24 * (i64::from(horizon_days) + 1),
            ))
            .unwrap_or(Timestamp::MAX);
        let failed = |reason: String| ActionError::Failed {
            action: Self::NAME.into(),
            reason,
        };
        let bookings = self
            .bookings
            .bookings(now.timestamp(), until)
            .await
            .map_err(|e| failed(e.to_string()))?;
        let slots = find_slots(config, catalogue, &id, &window, &bookings, &now, OFFERED)
            .map_err(|e| failed(e.to_string()))?;
        let name = &procedure.name;
        let text = if slots.is_empty() {
            format!(
                "Não encontrei horários livres para {name} nos próximos {horizon_days} dias. \
                 Quer falar com a nossa equipe para ver outras opções?"
            )
        } else if slots.iter().any(|s| s.exact) {
            format!("Tenho estes horários para {name}:")
        } else {
            format!("Nesse período não tenho horário livre para {name}; os mais próximos são:")
        };
        let mut reply = Reply::text(text);
        reply.data.buttons = slots
            .iter()
            .map(|s| Button {
                title: s.label(),
                payload: format!(
                    "/inform{{\"time\": {}}}",
                    serde_json::Value::from(format_zoned(&s.start))
                ),
                extra: serde_json::Map::new(),
            })
            .collect();
        Ok(ActionResult {
            replies: vec![reply],
            events: Vec::new(),
        })
    }
}

impl Action for CheckAvailability {
    fn name(&self) -> &str {
        Self::NAME
    }

    fn run<'a>(
        &'a self,
        ctx: &'a ActionContext<'a>,
    ) -> BoxFuture<'a, Result<ActionResult, ActionError>> {
        Box::pin(self.answer(ctx))
    }
}

/// The window of the latest message's `time` entity (Duckling's full value when the
/// extractor kept it, else the entity's value), else of the `time` slot; any time when
/// there is none.
fn window(tracker: &Tracker, tz: &TimeZone) -> SearchWindow {
    let from_entity = latest_entities(tracker, "time").find_map(|e| {
        e.additional_info
            .as_ref()
            .and_then(|info| time_value(info, tz))
            .or_else(|| time_value(&e.value, tz))
    });
    from_entity
        .or_else(|| tracker.slot("time").and_then(|v| time_value(v, tz)))
        .map_or(SearchWindow::Any, |t| SearchWindow::from_time(&t))
}
