//! What the clinic's actions share: the clinic's data and calendar, who the patient is,
//! the clinic's clock, and the [`Action`] glue ([`clinic_action!`]) so each action only
//! writes its `answer`.
//!
//! [`Action`]: bela_engine::dialogue::actions::Action

use super::appointments::{Upcoming, upcoming_appointments};
use super::inputs::clinic_now;
use crate::ClinicData;
use crate::calendar::{Appointment, Calendar};
use bela_engine::dialogue::actions::{ActionContext, ActionError};
use jiff::{SignedDuration, Zoned};
use std::fmt::Display;
use std::sync::Arc;

/// The clinic as an action sees it: its data and its calendar.
pub(crate) struct Clinic {
    /// Configuration and catalogue.
    pub(crate) data: Arc<ClinicData>,
    /// Where appointments are.
    pub(crate) calendar: Arc<dyn Calendar>,
}

impl Clinic {
    /// The action's `now` in the clinic's time zone.
    pub(crate) fn now(&self, ctx: &ActionContext<'_>) -> Zoned {
        clinic_now(ctx.now, &self.data.config.time_zone)
    }

    /// The patient's [`upcoming_appointments`]; the calendar failing fails `action`.
    pub(crate) async fn upcoming(
        &self,
        ctx: &ActionContext<'_>,
        action: &str,
    ) -> Result<Upcoming, ActionError> {
        upcoming_appointments(ctx.tracker, ctx.now, &*self.calendar)
            .await
            .map_err(|e| failed(action, e))
    }
}

impl Clinic {
    /// The patient's upcoming appointment `id`, if it is one; the calendar failing fails
    /// `action`.
    pub(crate) async fn upcoming_one(
        &self,
        ctx: &ActionContext<'_>,
        id: &str,
        action: &str,
    ) -> Result<Option<Appointment>, ActionError> {
        let upcoming = self.upcoming(ctx, action).await?;
        Ok(upcoming
            .into_vec()
            .into_iter()
            .find(|a| a.id.as_str() == id))
    }

    /// True when `appointment` starts within the cancellation notice
    /// (`notices.cancellation_hours`), which bars cancelling or moving it here.
    pub(crate) fn within_notice(&self, ctx: &ActionContext<'_>, appointment: &Appointment) -> bool {
        let hours = self.data.config.notices.cancellation_hours;
        let left = appointment
            .start
            .timestamp()
            .duration_since(self.now(ctx).timestamp());
        left < SignedDuration::from_hours(i64::from(hours))
    }
}

/// The patient: the conversation's sender id (the phone number on WhatsApp), which is
/// whom the calendar files appointments under.
pub(crate) fn patient<'a>(ctx: &'a ActionContext<'_>) -> &'a str {
    ctx.tracker.sender_id().as_str()
}

/// `action` failed because of `reason` (the calendar is down, mostly).
pub(crate) fn failed(action: &str, reason: impl Display) -> ActionError {
    ActionError::Failed {
        action: action.into(),
        reason: reason.to_string(),
    }
}

/// Declares a clinic action: a struct over a [`Clinic`] named `$name` in the domain,
/// whose inherent `async fn answer(&self, ctx) -> Result<ActionResult, ActionError>`
/// (written next to the declaration) is what it does.
macro_rules! clinic_action {
    ($(#[$doc:meta])* $ty:ident, $name:literal) => {
        $(#[$doc])*
        pub struct $ty {
            clinic: $crate::actions::clinic::Clinic,
        }

        impl $ty {
            /// The action's name in the domain.
            pub const NAME: &'static str = $name;

            /// The action over the clinic's data and calendar.
            pub fn new(
                data: std::sync::Arc<$crate::ClinicData>,
                calendar: std::sync::Arc<dyn $crate::calendar::Calendar>,
            ) -> Self {
                Self {
                    clinic: $crate::actions::clinic::Clinic { data, calendar },
                }
            }
        }

        impl bela_engine::dialogue::actions::Action for $ty {
            fn name(&self) -> &str {
                Self::NAME
            }

            fn run<'a>(
                &'a self,
                ctx: &'a bela_engine::dialogue::actions::ActionContext<'a>,
            ) -> bela_engine::dialogue::actions::BoxFuture<
                'a,
                Result<
                    bela_engine::dialogue::actions::ActionResult,
                    bela_engine::dialogue::actions::ActionError,
                >,
            > {
                Box::pin(self.answer(ctx))
            }
        }
    };
}
pub(crate) use clinic_action;
