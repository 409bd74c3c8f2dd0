//! The message processor (Rasa's `MessageProcessor`): one user message in, the bot's
//! actions run until it listens again, every step recorded as events on the tracker.

use crate::dialogue::actions::{
    ActionContext, ActionError, ActionRegistry, is_builtin, mapped_slots, run_builtin, run_custom,
    run_form,
};
use crate::dialogue::domain::SESSION_STARTED_METADATA;
use crate::dialogue::events::{BotUttered, Event, EventKind, ParseData, UserUttered};
pub use crate::dialogue::interpreter::Interpreter;
use crate::dialogue::model::DialogueModel;
use crate::dialogue::payload::parse_payload;
use crate::dialogue::policy::{ACTION_LISTEN, Prediction};
use crate::dialogue::tracker::Tracker;
use crate::names::{ActionName, SlotName};
use serde_json::{Value, json};
use std::sync::Arc;

/// Rasa's circuit breaker: at most this many actions follow one user message.
pub const MAX_ACTIONS_PER_MESSAGE: usize = 10;

/// A message from a user, as a channel received it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UserMessage {
    /// What the user wrote (or a `/intent{...}` payload).
    pub text: String,
    /// The channel (`rest`, `whatsapp`, `cmdline`).
    pub input_channel: Option<String>,
    /// The channel's id of the message.
    pub message_id: Option<String>,
    /// Metadata sent with the message.
    pub metadata: Option<Value>,
    /// Already parsed (trigger_intent, tests): the interpreter is skipped.
    pub parse_data: Option<ParseData>,
    /// Seconds since the Unix epoch.
    pub timestamp: f64,
}

/// Runs conversations: the trained dialogue model, the custom actions and the NLU.
#[derive(Clone)]
pub struct Processor {
    model: Arc<DialogueModel>,
    actions: ActionRegistry,
    interpreter: Arc<dyn Interpreter>,
    picker: Arc<dyn Fn(usize) -> usize + Send + Sync>,
}

impl std::fmt::Debug for Processor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Processor")
            .field("actions", &self.actions)
            .finish_non_exhaustive()
    }
}

/// Picks a response variation at random, as Rasa does.
fn random_pick(n: usize) -> usize {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_usize(n);
    (hasher.finish() % n.max(1) as u64) as usize
}

impl Processor {
    /// A processor over `model`, running `actions` and parsing text with `interpreter`.
    pub fn new(
        model: Arc<DialogueModel>,
        actions: ActionRegistry,
        interpreter: Arc<dyn Interpreter>,
    ) -> Self {
        Self {
            model,
            actions,
            interpreter,
            picker: Arc::new(random_pick),
        }
    }

    /// Chooses response variations with `picker` instead of at random (tests, replays).
    pub fn with_picker(mut self, picker: Arc<dyn Fn(usize) -> usize + Send + Sync>) -> Self {
        self.picker = picker;
        self
    }

    /// The dialogue model.
    pub fn model(&self) -> &DialogueModel {
        &self.model
    }

    /// Handles one user message: starts a session when needed, records the message and
    /// the slots it fills, then runs the predicted actions until the bot listens. Returns
    /// what the bot said. A paused conversation records the message and says nothing.
    pub async fn handle_message(
        &self,
        tracker: &mut Tracker,
        message: UserMessage,
    ) -> Vec<BotUttered> {
        let start = tracker.events().len();
        self.log_message(tracker, &message).await;
        if !tracker.is_paused() {
            let slots = self.extract_slots(tracker, message.timestamp).await;
            tracker.extend(slots);
            self.predict_and_run(tracker, message.input_channel.as_deref(), message.timestamp)
                .await;
        }
        bot_messages(&tracker.events()[start..])
    }

    /// Records a user message without acting on it (Rasa's `log_message`, behind
    /// `POST /conversations/{id}/messages`): starts a session when due, then appends the
    /// `user` event with the message's parse (`parse_data` when given).
    pub async fn log_message(&self, tracker: &mut Tracker, message: &UserMessage) {
        self.start_session_if_due(tracker, message).await;
        let parse_data = message
            .parse_data
            .clone()
            .unwrap_or_else(|| self.parse(message));
        let user = UserUttered {
            text: Some(message.text.clone()),
            parse_data: ParseData {
                message_id: message.message_id.clone(),
                metadata: message.metadata.clone(),
                ..parse_data
            },
            input_channel: message.input_channel.clone(),
            message_id: message.message_id.clone(),
        };
        tracker.update(Event::new(EventKind::User(user), message.timestamp));
    }

    /// The parse of a message's text: an intent payload (`/greet`) whose intent the
    /// domain knows, otherwise the interpreter's reading.
    pub fn parse(&self, message: &UserMessage) -> ParseData {
        parse_payload(&message.text)
            .filter(|p| self.knows_intent(p))
            .unwrap_or_else(|| self.interpreter.parse(message))
    }

    /// The text action `name` would say now (responses only), for end-to-end tests.
    pub fn render_text(&self, tracker: &Tracker, name: &ActionName) -> Option<String> {
        let ctx = self.context(tracker, None, 0.0);
        match ctx.utter(name.as_str())?.kind {
            EventKind::Bot(bot) => bot.text,
            _ => None,
        }
    }

    /// Whether a payload's intent is one the domain knows (otherwise the text goes to
    /// the NLU, as in Rasa).
    fn knows_intent(&self, parse: &ParseData) -> bool {
        parse
            .intent
            .as_ref()
            .is_some_and(|i| self.model.domain.intent(&i.name).is_some())
    }

    /// The next action and the policy that picked it, without running anything.
    pub fn predict(&self, tracker: &Tracker) -> Prediction {
        self.model.predict(tracker, &[])
    }

    /// Runs action `name` once (Rasa's `/execute`), records it, then, when `then_predict`,
    /// goes on with predicted actions until the bot listens.
    pub async fn execute_action(
        &self,
        tracker: &mut Tracker,
        name: &ActionName,
        channel: Option<&str>,
        now: f64,
        then_predict: bool,
    ) -> Result<Vec<BotUttered>, ActionError> {
        let start = tracker.events().len();
        let prediction = Prediction {
            action: name.clone(),
            policy: "Manual",
            confidence: 1.0,
            reason: "requested through the API".into(),
        };
        self.run_and_record(tracker, &prediction, channel, now)
            .await?;
        if then_predict && name.as_str() != ACTION_LISTEN {
            self.predict_and_run(tracker, channel, now).await;
        }
        Ok(bot_messages(&tracker.events()[start..]))
    }

    /// Starts a new session when the conversation has none or it expired.
    async fn start_session_if_due(&self, tracker: &mut Tracker, message: &UserMessage) {
        let config = &self.model.domain.session_config;
        let expired = config.sessions_expire()
            && tracker
                .latest_event_time()
                .is_some_and(|t| message.timestamp - t > config.expiration_minutes * 60.0);
        if !tracker.applied_events().is_empty() && !expired {
            return;
        }
        let channel = message.input_channel.as_deref();
        self.start_session(
            tracker,
            channel,
            message.metadata.clone(),
            message.timestamp,
        )
        .await;
    }

    /// Runs `action_session_start` and records the session's metadata.
    pub async fn start_session(
        &self,
        tracker: &mut Tracker,
        channel: Option<&str>,
        metadata: Option<Value>,
        now: f64,
    ) {
        let prediction = Prediction {
            action: ActionName::new("action_session_start"),
            policy: "SessionStart",
            confidence: 1.0,
            reason: "a new session".into(),
        };
        if let Err(e) = self
            .run_and_record(tracker, &prediction, channel, now)
            .await
        {
            tracing::error!(error = %e, "action_session_start failed");
        }
        let metadata = metadata.filter(|m| m.as_object().is_some_and(|o| !o.is_empty()));
        let has_slot = self
            .model
            .domain
            .slot(&SlotName::new(SESSION_STARTED_METADATA))
            .is_some();
        if let Some(metadata) = metadata
            && has_slot
        {
            tracker.update(Event::new(
                EventKind::slot(SESSION_STARTED_METADATA, metadata),
                now,
            ));
        }
    }

    /// What Rasa's `action_extract_slots` does after a user message: the domain's slot
    /// mappings, and the custom actions of `custom` mappings.
    pub async fn extract_slots(&self, tracker: &Tracker, now: f64) -> Vec<Event> {
        let (mut events, extraction) = mapped_slots(&self.model.domain, tracker, now);
        let custom = extraction
            .custom_actions
            .into_iter()
            .chain(extraction.validation_action);
        for action in custom {
            if !self.actions.can_run(action.as_str()) {
                continue;
            }
            let mut view = tracker.clone();
            view.extend(events.iter().cloned());
            let ctx = self.context(&view, tracker.latest_input_channel(), now);
            match run_custom(&self.actions, &action, &ctx).await {
                Ok(more) => events.extend(
                    more.into_iter()
                        .filter(|e| matches!(e.kind, EventKind::Slot { .. } | EventKind::Bot(_))),
                ),
                Err(e) => {
                    tracing::error!(action = %action, error = %e, "slot mapping action failed")
                }
            }
        }
        events
    }

    fn context<'a>(
        &'a self,
        tracker: &'a Tracker,
        channel: Option<&'a str>,
        now: f64,
    ) -> ActionContext<'a> {
        ActionContext {
            tracker,
            domain: &self.model.domain,
            channel,
            now,
            picker: self.picker.as_ref(),
        }
    }

    /// Predicts and runs actions until `action_listen` (or the circuit breaker).
    async fn predict_and_run(&self, tracker: &mut Tracker, channel: Option<&str>, now: f64) {
        for _ in 0..MAX_ACTIONS_PER_MESSAGE {
            let mut excluded: Vec<ActionName> = Vec::new();
            let action = loop {
                let prediction = self.model.predict(tracker, &excluded);
                tracing::debug!(action = %prediction.action, policy = prediction.policy, reason = %prediction.reason, "predicted");
                match self
                    .run_and_record(tracker, &prediction, channel, now)
                    .await
                {
                    Ok(()) => break prediction.action,
                    Err(ActionError::Rejected { action, reason }) => {
                        tracing::debug!(%action, %reason, "action rejected; predicting another");
                        excluded.push(action);
                    }
                    Err(e) => {
                        tracing::error!(error = %e, "action failed; answering with the fallback");
                        self.fail_gracefully(tracker, channel, now);
                        return;
                    }
                }
            };
            // An action whose own events end in `action_listen` (the session start)
            // also hands over to the user.
            let listened = action.as_str() == ACTION_LISTEN
                || matches!(
                    tracker.events().last().map(|e| &e.kind),
                    Some(EventKind::Action(a)) if a.name.as_ref().is_some_and(|n| n.as_str() == ACTION_LISTEN)
                );
            if listened {
                return;
            }
        }
        tracing::warn!(
            sender = %tracker.sender_id(),
            "{MAX_ACTIONS_PER_MESSAGE} actions followed one message; stopping to wait for the user"
        );
        tracker.update(Event::new(
            EventKind::action(ACTION_LISTEN, Some("CircuitBreaker"), 1.0),
            now,
        ));
    }

    /// After a failed action: the domain's `utter_default` (or a plain apology in
    /// pt-BR), then listen.
    fn fail_gracefully(&self, tracker: &mut Tracker, channel: Option<&str>, now: f64) {
        let reply = self
            .context(tracker, channel, now)
            .utter("utter_default")
            .unwrap_or_else(|| {
                Event::new(
                    EventKind::Bot(BotUttered {
                        text: Some(
                            "Desculpe, tive um problema aqui. Pode tentar de novo em instantes?"
                                .into(),
                        ),
                        data: Default::default(),
                    }),
                    now,
                )
            });
        tracker.update(reply);
        tracker.update(Event::new(
            EventKind::action(ACTION_LISTEN, Some("ErrorRecovery"), 1.0),
            now,
        ));
    }

    /// Runs the predicted action and records it: `action` then its events, or
    /// `action_execution_rejected` when it refused.
    async fn run_and_record(
        &self,
        tracker: &mut Tracker,
        prediction: &Prediction,
        channel: Option<&str>,
        now: f64,
    ) -> Result<(), ActionError> {
        let name = &prediction.action;
        let result = {
            let ctx = self.context(tracker, channel, now);
            self.run_action(name, &ctx).await
        };
        match result {
            Ok(events) => {
                let mut executed = Event::new(
                    EventKind::action(name.clone(), Some(prediction.policy), prediction.confidence),
                    now,
                );
                executed
                    .metadata
                    .insert("explanation".into(), json!(prediction.reason));
                tracker.update(executed);
                tracker.extend(events);
                Ok(())
            }
            Err(ActionError::Rejected { action, reason }) => {
                tracker.update(Event::new(
                    EventKind::ActionExecutionRejected {
                        name: action.clone(),
                        policy: Some(prediction.policy.to_owned()),
                        confidence: Some(prediction.confidence),
                    },
                    now,
                ));
                Err(ActionError::Rejected { action, reason })
            }
            Err(e) => Err(e),
        }
    }

    /// Runs one action without recording it: custom actions first (they may override
    /// defaults), then forms, default actions, responses, the remote action server.
    async fn run_action(
        &self,
        name: &ActionName,
        ctx: &ActionContext<'_>,
    ) -> Result<Vec<Event>, ActionError> {
        if self.actions.is_registered(name.as_str()) {
            return run_custom(&self.actions, name, ctx).await;
        }
        if self.model.domain.is_form(name) {
            return run_form(ctx, name, &self.actions).await;
        }
        if is_builtin(name.as_str()) {
            return Ok(run_builtin(ctx, name.as_str()).unwrap_or_default());
        }
        if name.as_str() == "action_extract_slots" {
            return Ok(self.extract_slots(ctx.tracker, ctx.now).await);
        }
        if name.as_str().starts_with("utter_") {
            let event = ctx.utter(name.as_str());
            if event.is_none() {
                tracing::warn!(response = %name, "the domain has no variation of this response to send");
            }
            return Ok(event.into_iter().collect());
        }
        if self.actions.can_run(name.as_str()) {
            return run_custom(&self.actions, name, ctx).await;
        }
        Err(ActionError::Unknown(name.clone()))
    }
}

/// The bot messages among `events`.
fn bot_messages(events: &[Event]) -> Vec<BotUttered> {
    events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Bot(bot) => Some(bot.clone()),
            _ => None,
        })
        .collect()
}
