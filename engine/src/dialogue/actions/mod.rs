//! Actions: what the bot does. Responses (`utter_*`), Rasa's default actions and forms
//! are built in; custom actions implement [`Action`] and are registered by name in an
//! [`ActionRegistry`]. Actions never touch the tracker: they return events (bot messages
//! included) that the processor applies.

mod defaults;
mod extract;
mod form;
mod response;

pub use defaults::is_builtin;
pub(crate) use defaults::run_builtin;
pub(crate) use extract::mapped_slots;
pub(crate) use form::run_form;
pub(crate) use response::{bot_event, utter};

use crate::dialogue::domain::Domain;
use crate::dialogue::events::{BotData, Event};
use crate::dialogue::tracker::Tracker;
use crate::names::ActionName;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// A boxed future, so actions can be trait objects.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// What an action may read while it runs.
pub struct ActionContext<'a> {
    /// The conversation so far (read-only).
    pub tracker: &'a Tracker,
    /// The domain.
    pub domain: &'a Domain,
    /// The output channel's name (`rest`, `whatsapp`, `cmdline`), for channel-specific
    /// response variations.
    pub channel: Option<&'a str>,
    /// Seconds since the Unix epoch: the timestamp for the events the action returns.
    pub now: f64,
    /// Chooses among `n` response variations.
    pub picker: &'a (dyn Fn(usize) -> usize + Send + Sync),
}

impl ActionContext<'_> {
    /// Renders response `name` for this conversation as a bot event (`None` when the
    /// domain has no such response or no variation fits).
    pub fn utter(&self, name: &str) -> Option<Event> {
        utter(self, name)
    }
}

/// A message a custom action asks the bot to send: a domain response by name, or
/// literal parts (Rasa's `dispatcher.utter_message`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Reply {
    /// A domain response to render (`utter_booking_confirmed`). Rasa's older key
    /// `template` is accepted too.
    #[serde(default, alias = "template", skip_serializing_if = "Option::is_none")]
    pub response: Option<String>,
    /// Literal text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Buttons, image, custom payload.
    #[serde(flatten)]
    pub data: BotData,
    /// Every other key: variables for the response's template, which win over slots of
    /// the same name (Rasa's `utter_message(response=..., **kwargs)`).
    #[serde(flatten, default, skip_serializing_if = "serde_json::Map::is_empty")]
    pub kwargs: serde_json::Map<String, Value>,
}

impl Reply {
    /// A reply with literal text.
    pub fn text(text: impl Into<String>) -> Self {
        Self {
            text: Some(text.into()),
            ..Self::default()
        }
    }

    /// A reply rendering the domain response `name`.
    pub fn response(name: impl Into<String>) -> Self {
        Self {
            response: Some(name.into()),
            ..Self::default()
        }
    }
}

/// What a custom action returns: messages to send (rendered against the tracker as it
/// was before the action's events, as Rasa does) and events to apply.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ActionResult {
    /// Messages to send.
    pub replies: Vec<Reply>,
    /// Events to apply after the messages.
    pub events: Vec<Event>,
}

/// Why an action could not run.
#[derive(Debug, thiserror::Error)]
pub enum ActionError {
    /// The action refused to run now (Rasa's `ActionExecutionRejection`): policies pick
    /// another action.
    #[error("action {action} rejected its execution: {reason}")]
    Rejected {
        /// The action.
        action: ActionName,
        /// Why.
        reason: String,
    },
    /// The action failed (a remote server down, a timeout, a bug).
    #[error("action {action} failed: {reason}")]
    Failed {
        /// The action.
        action: ActionName,
        /// What went wrong.
        reason: String,
    },
    /// No action of that name exists.
    #[error(
        "no action named {0}: it is not a response, a default action, a form or a registered custom action"
    )]
    Unknown(ActionName),
}

/// A custom action written in Rust.
pub trait Action: Send + Sync {
    /// Its name, as stories and the domain use it.
    fn name(&self) -> &str;

    /// Runs it.
    fn run<'a>(
        &'a self,
        ctx: &'a ActionContext<'a>,
    ) -> BoxFuture<'a, Result<ActionResult, ActionError>>;
}

/// Runs custom actions that are not registered in Rust, by name: Rasa's action server
/// protocol, implemented by the server crate.
pub trait ActionServer: Send + Sync {
    /// Runs `name`.
    fn run<'a>(
        &'a self,
        name: &'a ActionName,
        ctx: &'a ActionContext<'a>,
    ) -> BoxFuture<'a, Result<ActionResult, ActionError>>;
}

/// Custom actions by name, and where to send the others.
#[derive(Clone, Default)]
pub struct ActionRegistry {
    custom: HashMap<ActionName, Arc<dyn Action>>,
    server: Option<Arc<dyn ActionServer>>,
}

impl std::fmt::Debug for ActionRegistry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut names: Vec<&str> = self.custom.keys().map(ActionName::as_str).collect();
        names.sort_unstable();
        f.debug_struct("ActionRegistry")
            .field("custom", &names)
            .field("server", &self.server.is_some())
            .finish()
    }
}

impl ActionRegistry {
    /// An empty registry.
    pub fn new() -> Self {
        Self::default()
    }

    /// Registers `action` under its name (replacing one of the same name).
    pub fn register(&mut self, action: Arc<dyn Action>) -> &mut Self {
        self.custom.insert(ActionName::new(action.name()), action);
        self
    }

    /// Sends actions that are not registered to `server`.
    pub fn with_server(&mut self, server: Arc<dyn ActionServer>) -> &mut Self {
        self.server = Some(server);
        self
    }

    /// Whether `name` is registered in Rust.
    pub fn is_registered(&self, name: &str) -> bool {
        self.custom.contains_key(name)
    }

    /// Whether `name` can run as a custom action (registered, or an action server is
    /// configured).
    pub fn can_run(&self, name: &str) -> bool {
        self.is_registered(name) || self.server.is_some()
    }

    /// Runs the custom action `name`.
    pub async fn run(
        &self,
        name: &ActionName,
        ctx: &ActionContext<'_>,
    ) -> Result<ActionResult, ActionError> {
        if let Some(action) = self.custom.get(name) {
            return action.run(ctx).await;
        }
        match &self.server {
            Some(server) => server.run(name, ctx).await,
            None => Err(ActionError::Unknown(name.clone())),
        }
    }
}

/// The value of `slot` in `ctx`'s tracker, for templates and conditions.
pub(crate) fn slot_value(tracker: &Tracker, slot: &crate::names::SlotName) -> Option<Value> {
    tracker.slot(slot.as_str()).cloned()
}

/// Runs the custom action `name` and turns its result into events: the replies
/// (rendered against the tracker before the action's events), then its events.
pub(crate) async fn run_custom(
    registry: &ActionRegistry,
    name: &ActionName,
    ctx: &ActionContext<'_>,
) -> Result<Vec<Event>, ActionError> {
    let result = registry.run(name, ctx).await?;
    let mut events: Vec<Event> = result
        .replies
        .iter()
        .filter_map(|reply| bot_event(ctx, reply))
        .collect();
    events.extend(result.events);
    Ok(events)
}
