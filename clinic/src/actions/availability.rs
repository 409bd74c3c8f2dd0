//! `action_check_availability`: up to three free slots for the procedure, in the window
//! the patient's time expression names, offered as buttons that send the slot back as
//! `/inform{"time": "<ISO start>"}`.

use super::bookable::{OFFERED, free_slots, latest_time, offer, window_of};
use super::clinic::clinic_action;
use super::inputs::{say, values};
use super::lookup::not_in_catalogue;
use crate::{ClinicData, SearchWindow};
use bela_engine::dialogue::actions::{ActionContext, ActionError, ActionResult};
use bela_engine::dialogue::tracker::Tracker;

clinic_action!(
    /// Searches free slots for the `procedure` slot (or entity) in the latest message's
    /// `time` (or the `time` slot), reading the calendar from a [`Calendar`].
    CheckAvailability,
    "action_check_availability"
);

impl CheckAvailability {
    async fn answer(&self, ctx: &ActionContext<'_>) -> Result<ActionResult, ActionError> {
        let ClinicData { config, catalogue } = &*self.clinic.data;
        let Some(id) = values(ctx.tracker, "procedure").into_iter().next() else {
            return Ok(say("Para qual procedimento você quer ver os horários?"));
        };
        let Some(procedure) = catalogue.procedure(&id) else {
            return Ok(ActionResult {
                replies: vec![not_in_catalogue(catalogue, &[id])],
                events: Vec::new(),
            });
        };
        let window = window(&self.clinic.data, ctx.tracker);
        let horizon_days = config.scheduling.horizon_days;
        let slots = free_slots(
            &self.clinic.data,
            &*self.clinic.calendar,
            &id,
            &window,
            ctx.now,
            OFFERED,
        )
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

/// The window of the latest message's `time` entity, else of the `time` slot; any time
/// when there is none.
fn window(data: &ClinicData, tracker: &Tracker) -> SearchWindow {
    let latest = latest_time(data, tracker);
    window_of(data, latest.as_ref().or_else(|| tracker.slot("time")))
}
