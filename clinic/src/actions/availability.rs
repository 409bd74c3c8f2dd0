//! `action_check_availability`: up to three free slots for the procedure, in the window
//! the patient's time expression names, offered as buttons that send the slot back as
//! `/inform{"time": "<ISO start>"}`.

use super::bookable::{OFFERED, free_slots, latest_time, offer, window_of};
use super::inputs::{say, values};
use super::lookup::not_in_catalogue;
use crate::calendar::Calendar;
use crate::{ClinicData, SearchWindow};
use bela_engine::dialogue::actions::{Action, ActionContext, ActionError, ActionResult, BoxFuture};
use bela_engine::dialogue::tracker::Tracker;
use std::sync::Arc;

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
        let window = window(&self.data, ctx.tracker);
        let horizon_days = config.scheduling.horizon_days;
        let slots = free_slots(&self.data, &*self.bookings, &id, &window, ctx.now, OFFERED)
            .await
            .map_err(|e| ActionError::Failed {
                action: Self::NAME.into(),
                reason: e.to_string(),
            })?;
        let reply = offer(&procedure.name, horizon_days, &slots);
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

/// The window of the latest message's `time` entity, else of the `time` slot; any time
/// when there is none.
fn window(data: &ClinicData, tracker: &Tracker) -> SearchWindow {
    let latest = latest_time(data, tracker);
    window_of(data, latest.as_ref().or_else(|| tracker.slot("time")))
}
