//! The event-sourced conversation state (Rasa's `DialogueStateTracker`): the events of
//! one sender, folded into slots, the active loop and the latest messages.

use super::events::{ActionExecuted, BotUttered, Event, EventKind, ParseData, UserUttered};
use crate::names::{ActionName, IntentName, SenderId, SlotName};

/// Rasa's action that opens a session.
const ACTION_SESSION_START: &str = "action_session_start";
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use std::sync::Arc;

/// The loop (form) currently running, as Rasa keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActiveLoop {
    /// The loop's action name (`booking_form`).
    pub name: ActionName,
    /// Whether the loop validates the next user message (false after an interruption).
    pub validate: bool,
    /// Whether the loop just refused to run (`action_execution_rejected`).
    pub rejected: bool,
    /// The user message that activated the loop (for `from_trigger_intent` mappings).
    pub trigger_message: Option<ParseData>,
}

/// Which events the tracker's JSON includes (Rasa's `include_events`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EventVerbosity {
    /// Every event ever.
    All,
    /// Events since the last restart (Rasa's default for `GET .../tracker`).
    #[default]
    AfterRestart,
    /// Events that still count: restarts, sessions, rewinds and undos applied.
    Applied,
    /// No events.
    None,
}

impl EventVerbosity {
    /// Parses Rasa's `include_events` query value (case-insensitive).
    pub fn parse(s: &str) -> Option<Self> {
        match s.to_ascii_uppercase().as_str() {
            "ALL" => Some(Self::All),
            "AFTER_RESTART" => Some(Self::AfterRestart),
            "APPLIED" => Some(Self::Applied),
            "NONE" => Some(Self::None),
            _ => None,
        }
    }
}

/// The state derived from the events; rebuilt from scratch after a rewind or undo.
#[derive(Debug, Clone, Default, PartialEq)]
struct State {
    slots: BTreeMap<SlotName, Value>,
    latest_message: Option<UserUttered>,
    latest_bot_utterance: Option<BotUttered>,
    latest_action: Option<ActionExecuted>,
    followup_action: Option<ActionName>,
    paused: bool,
    active_loop: Option<ActiveLoop>,
    latest_input_channel: Option<String>,
}

/// One sender's conversation: its events and what they add up to.
#[derive(Debug, Clone, PartialEq)]
pub struct Tracker {
    sender_id: SenderId,
    events: Vec<Event>,
    initial_slots: Arc<BTreeMap<SlotName, Value>>,
    state: State,
}

impl Tracker {
    /// An empty conversation whose slots start at `initial_slots` (every domain slot,
    /// `null` where the domain gives no initial value).
    pub fn new(sender_id: SenderId, initial_slots: Arc<BTreeMap<SlotName, Value>>) -> Self {
        let state = State {
            slots: (*initial_slots).clone(),
            ..State::default()
        };
        Self {
            sender_id,
            events: Vec::new(),
            initial_slots,
            state,
        }
    }

    /// A conversation rebuilt from stored events.
    pub fn from_events(
        sender_id: SenderId,
        initial_slots: Arc<BTreeMap<SlotName, Value>>,
        events: impl IntoIterator<Item = Event>,
    ) -> Self {
        let mut tracker = Self::new(sender_id, initial_slots);
        for event in events {
            tracker.update(event);
        }
        tracker
    }

    /// Appends `event` and applies it.
    pub fn update(&mut self, event: Event) {
        let replay = matches!(event.kind, EventKind::Rewind | EventKind::Undo);
        if !replay {
            apply(&mut self.state, &self.initial_slots, &event);
        }
        self.events.push(event);
        if replay {
            self.replay();
        }
    }

    /// Appends and applies several events.
    pub fn extend(&mut self, events: impl IntoIterator<Item = Event>) {
        for event in events {
            self.update(event);
        }
    }

    /// Rebuilds the derived state from the applied events.
    fn replay(&mut self) {
        let mut state = State {
            slots: (*self.initial_slots).clone(),
            ..State::default()
        };
        for event in self.applied_events() {
            apply(&mut state, &self.initial_slots, event);
        }
        self.state = state;
    }

    /// The conversation id.
    pub fn sender_id(&self) -> &SenderId {
        &self.sender_id
    }

    /// Every event, in order.
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// The events that still count: what came after the last restart or session start,
    /// with rewinds and undos carried out (Rasa's `applied_events`).
    pub fn applied_events(&self) -> Vec<&Event> {
        let mut applied: Vec<&Event> = Vec::new();
        for event in &self.events {
            match event.kind {
                EventKind::Restart | EventKind::SessionStarted => applied.clear(),
                EventKind::Undo => undo_till(&mut applied, |k| matches!(k, EventKind::Action(_))),
                EventKind::Rewind => {
                    // A user message implies the action_listen right before it: drop both.
                    undo_till(&mut applied, |k| matches!(k, EventKind::User(_)));
                    undo_till(&mut applied, |k| matches!(k, EventKind::Action(_)));
                }
                _ => applied.push(event),
            }
        }
        applied
    }

    /// The events since the last `restart`.
    pub fn events_after_restart(&self) -> &[Event] {
        let start = self
            .events
            .iter()
            .rposition(|e| matches!(e.kind, EventKind::Restart))
            .map_or(0, |i| i + 1);
        &self.events[start..]
    }

    /// A slot's current value (`None` for an unset or undeclared slot).
    pub fn slot(&self, name: &str) -> Option<&Value> {
        self.state.slots.get(name).filter(|v| !v.is_null())
    }

    /// Every slot with its value at the start of a conversation.
    pub fn initial_slots(&self) -> &BTreeMap<SlotName, Value> {
        &self.initial_slots
    }

    /// Every slot with its current value, `null` included.
    pub fn slots(&self) -> &BTreeMap<SlotName, Value> {
        &self.state.slots
    }

    /// The latest user message, if any since the last restart.
    pub fn latest_message(&self) -> Option<&UserUttered> {
        self.state.latest_message.as_ref()
    }

    /// The intent of the latest user message.
    pub fn latest_intent(&self) -> Option<&IntentName> {
        self.latest_message().and_then(UserUttered::intent_name)
    }

    /// The latest bot message.
    pub fn latest_bot_utterance(&self) -> Option<&BotUttered> {
        self.state.latest_bot_utterance.as_ref()
    }

    /// The latest action's name.
    pub fn latest_action_name(&self) -> Option<&ActionName> {
        self.state
            .latest_action
            .as_ref()
            .and_then(|a| a.name.as_ref())
    }

    /// The action forced by a `followup` event, if one is pending.
    pub fn followup_action(&self) -> Option<&ActionName> {
        self.state.followup_action.as_ref()
    }

    /// Whether the bot is paused (human handoff).
    pub fn is_paused(&self) -> bool {
        self.state.paused
    }

    /// The active loop, if any.
    pub fn active_loop(&self) -> Option<&ActiveLoop> {
        self.state.active_loop.as_ref()
    }

    /// The active loop's name, if any.
    pub fn active_loop_name(&self) -> Option<&ActionName> {
        self.active_loop().map(|l| &l.name)
    }

    /// The channel of the latest user message.
    pub fn latest_input_channel(&self) -> Option<&str> {
        self.state.latest_input_channel.as_deref()
    }

    /// The time of the latest event, if any.
    pub fn latest_event_time(&self) -> Option<f64> {
        self.events.last().map(|e| e.timestamp)
    }

    /// The tracker as Rasa's `GET /conversations/{id}/tracker` returns it.
    pub fn to_json(&self, verbosity: EventVerbosity) -> Value {
        let events: Option<Vec<&Event>> = match verbosity {
            EventVerbosity::All => Some(self.events.iter().collect()),
            EventVerbosity::AfterRestart => Some(self.events_after_restart().iter().collect()),
            EventVerbosity::Applied => Some(self.applied_events()),
            EventVerbosity::None => None,
        };
        let latest_action = match &self.state.latest_action {
            Some(ActionExecuted {
                name: Some(name), ..
            }) => json!({"action_name": name}),
            Some(ActionExecuted {
                action_text: Some(text),
                ..
            }) => json!({"action_text": text}),
            _ => json!({}),
        };
        let active_loop = self
            .state
            .active_loop
            .as_ref()
            .map_or_else(|| json!({}), |l| json!(l));
        json!({
            "sender_id": self.sender_id,
            "slots": self.state.slots,
            "latest_message": self.latest_message_json(),
            "latest_event_time": self.latest_event_time(),
            "followup_action": self.state.followup_action,
            "paused": self.state.paused,
            "events": events,
            "latest_input_channel": self.state.latest_input_channel,
            "active_loop": active_loop,
            "latest_action": latest_action,
            "latest_action_name": self.latest_action_name(),
        })
    }

    /// Rasa's `latest_message`: the parse data plus text and message id.
    fn latest_message_json(&self) -> Value {
        let Some(user) = &self.state.latest_message else {
            return json!({"intent": {}, "entities": [], "text": null, "message_id": null, "metadata": {}});
        };
        let mut object = match serde_json::to_value(&user.parse_data) {
            Ok(Value::Object(map)) => map,
            _ => Map::new(),
        };
        object.insert("text".into(), json!(user.text));
        object.insert("message_id".into(), json!(user.message_id));
        object.entry("metadata").or_insert_with(|| json!({}));
        object.entry("intent").or_insert_with(|| json!({}));
        Value::Object(object)
    }
}

/// Removes events from the end of `applied` up to and including the last one matching.
fn undo_till(applied: &mut Vec<&Event>, is_target: impl Fn(&EventKind) -> bool) {
    if let Some(i) = applied.iter().rposition(|e| is_target(&e.kind)) {
        applied.truncate(i);
    }
}

/// Applies one event to the derived state (Rasa's `Event.apply_to`).
fn apply(state: &mut State, initial_slots: &BTreeMap<SlotName, Value>, event: &Event) {
    match &event.kind {
        EventKind::User(user) => {
            state.latest_message = Some(user.clone());
            state.followup_action = None;
            if user.input_channel.is_some() {
                state.latest_input_channel = user.input_channel.clone();
            }
        }
        EventKind::Bot(bot) => state.latest_bot_utterance = Some(bot.clone()),
        EventKind::Action(action) => {
            if let Some(active) = state.active_loop.as_mut() {
                // As Rasa: any action restores validation; only the loop itself running
                // again lifts its rejection.
                active.validate = true;
                if action.name.as_ref() == Some(&active.name) {
                    active.rejected = false;
                }
            }
            state.latest_action = Some(action.clone());
            state.followup_action = None;
        }
        EventKind::Slot { name, value } => {
            state.slots.insert(name.clone(), value.clone());
        }
        EventKind::ActiveLoop { name } => {
            state.active_loop = name.as_ref().map(|name| ActiveLoop {
                name: name.clone(),
                validate: true,
                rejected: false,
                trigger_message: state.latest_message.as_ref().map(|u| u.parse_data.clone()),
            });
        }
        EventKind::LoopInterrupted { is_interrupted } => {
            if let Some(active) = state.active_loop.as_mut() {
                active.validate = !is_interrupted;
            }
        }
        EventKind::ActionExecutionRejected { name, .. } => {
            if let Some(active) = state.active_loop.as_mut()
                && active.name == *name
            {
                active.rejected = true;
            }
        }
        EventKind::SessionStarted | EventKind::Restart => {
            *state = State {
                slots: initial_slots.clone(),
                latest_input_channel: state.latest_input_channel.take(),
                ..State::default()
            };
            if matches!(event.kind, EventKind::Restart) {
                // As Rasa: a restart is followed by a new session.
                state.followup_action = Some(ActionName::new(ACTION_SESSION_START));
            }
        }
        EventKind::ResetSlots => state.slots = initial_slots.clone(),
        EventKind::Followup { name } => state.followup_action = Some(name.clone()),
        EventKind::Pause => state.paused = true,
        EventKind::Resume => state.paused = false,
        EventKind::Entities { entities } => {
            if let Some(user) = state.latest_message.as_mut() {
                user.parse_data.entities.extend(entities.iter().cloned());
            }
        }
        // Handled by replaying (rewind, undo) or carrying no state.
        EventKind::Rewind
        | EventKind::Undo
        | EventKind::Reminder { .. }
        | EventKind::CancelReminder { .. }
        | EventKind::Agent { .. }
        | EventKind::Export { .. }
        | EventKind::UserFeaturization { .. } => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nlu::IntentScore;

    fn initial() -> Arc<BTreeMap<SlotName, Value>> {
        Arc::new(BTreeMap::from([
            (SlotName::new("procedure"), Value::Null),
            (SlotName::new("consent"), json!(false)),
        ]))
    }

    fn user(intent: &str) -> Event {
        Event::new(
            EventKind::User(UserUttered {
                text: Some(format!("/{intent}")),
                parse_data: ParseData {
                    intent: Some(IntentScore {
                        name: IntentName::new(intent),
                        confidence: 1.0,
                    }),
                    ..ParseData::default()
                },
                input_channel: Some("rest".into()),
                message_id: None,
            }),
            1.0,
        )
    }

    fn action(name: &str) -> Event {
        Event::new(EventKind::action(name, None, 1.0), 1.0)
    }

    fn slot(name: &str, value: Value) -> Event {
        Event::new(EventKind::slot(name, value), 1.0)
    }

    fn tracker(events: Vec<Event>) -> Tracker {
        Tracker::from_events(SenderId::new("s"), initial(), events)
    }

    #[test]
    fn slots_start_at_initial_values_and_follow_slot_events() {
        let mut t = tracker(vec![]);
        assert_eq!(t.slot("consent"), Some(&json!(false)));
        assert_eq!(t.slot("procedure"), None);
        t.update(slot("procedure", json!("botox")));
        assert_eq!(t.slot("procedure"), Some(&json!("botox")));
        t.update(Event::new(EventKind::ResetSlots, 2.0));
        assert_eq!(t.slot("procedure"), None);
        assert_eq!(t.slot("consent"), Some(&json!(false)));
    }

    #[test]
    fn rewind_undoes_the_last_user_message_and_its_listen() {
        let t = tracker(vec![
            action("action_listen"),
            user("greet"),
            action("utter_greet"),
            action("action_listen"),
            user("ask_price"),
            slot("procedure", json!("botox")),
            Event::new(EventKind::Rewind, 3.0),
        ]);
        assert_eq!(t.latest_intent().map(|i| i.as_str()), Some("greet"));
        assert_eq!(
            t.slot("procedure"),
            None,
            "the slot set after the message is undone"
        );
        assert_eq!(
            t.latest_action_name().map(|a| a.as_str()),
            Some("utter_greet")
        );
        assert_eq!(t.applied_events().len(), 3);
        assert_eq!(t.events().len(), 7, "events are never deleted");
    }

    #[test]
    fn undo_removes_the_last_action_and_what_followed() {
        let t = tracker(vec![
            user("greet"),
            action("utter_greet"),
            slot("procedure", json!("botox")),
            Event::new(EventKind::Undo, 3.0),
        ]);
        assert_eq!(t.latest_action_name(), None);
        assert_eq!(t.slot("procedure"), None);
    }

    #[test]
    fn restart_and_session_start_forget_the_state() {
        for reset in [EventKind::Restart, EventKind::SessionStarted] {
            let t = tracker(vec![
                user("greet"),
                slot("procedure", json!("botox")),
                Event::new(EventKind::active_loop(Some("booking_form".into())), 1.0),
                Event::new(reset.clone(), 2.0),
            ]);
            assert_eq!(t.slot("procedure"), None);
            assert!(t.active_loop().is_none());
            assert!(t.latest_message().is_none());
            assert!(t.applied_events().is_empty());
            let expected_followup =
                matches!(reset, EventKind::Restart).then_some("action_session_start");
            assert_eq!(t.followup_action().map(|a| a.as_str()), expected_followup);
        }
    }

    #[test]
    fn active_loop_records_its_trigger_and_rejections() {
        let mut t = tracker(vec![
            user("book_appointment"),
            Event::new(EventKind::active_loop(Some("booking_form".into())), 1.0),
        ]);
        let active = t.active_loop().expect("active");
        assert!(active.validate && !active.rejected);
        assert_eq!(
            active
                .trigger_message
                .as_ref()
                .and_then(|p| p.intent.as_ref())
                .map(|i| i.name.as_str()),
            Some("book_appointment")
        );
        t.update(Event::new(
            EventKind::ActionExecutionRejected {
                name: "booking_form".into(),
                policy: None,
                confidence: None,
            },
            2.0,
        ));
        assert!(t.active_loop().is_some_and(|l| l.rejected));
        t.update(Event::new(
            EventKind::LoopInterrupted {
                is_interrupted: true,
            },
            2.0,
        ));
        assert!(t.active_loop().is_some_and(|l| !l.validate));
        t.update(action("utter_chitchat"));
        assert!(
            t.active_loop().is_some_and(|l| l.validate && l.rejected),
            "another action restores validation but not the rejection"
        );
        t.update(action("booking_form"));
        assert!(t.active_loop().is_some_and(|l| l.validate && !l.rejected));
        t.update(Event::new(EventKind::active_loop(None), 3.0));
        assert!(t.active_loop().is_none());
    }

    #[test]
    fn followup_pause_and_entities() {
        let mut t = tracker(vec![user("greet"), Event::new(EventKind::Pause, 1.0)]);
        assert!(t.is_paused());
        t.update(Event::new(
            EventKind::Followup {
                name: "utter_greet".into(),
            },
            1.0,
        ));
        assert_eq!(t.followup_action().map(|a| a.as_str()), Some("utter_greet"));
        t.update(action("utter_greet"));
        assert_eq!(t.followup_action(), None);
        t.update(Event::new(EventKind::Resume, 1.0));
        assert!(!t.is_paused());
        let entity: crate::nlu::ParsedEntity =
            serde_json::from_value(json!({"entity": "procedure", "value": "botox"}))
                .expect("entity");
        t.update(Event::new(
            EventKind::Entities {
                entities: vec![entity],
            },
            1.0,
        ));
        assert_eq!(
            t.latest_message().map(|u| u.parse_data.entities.len()),
            Some(1)
        );
    }

    #[test]
    fn json_has_rasa_tracker_fields_and_verbosity() {
        let t = tracker(vec![
            user("greet"),
            Event::new(EventKind::Restart, 1.0),
            user("ask_price"),
            action("utter_price"),
        ]);
        let all = t.to_json(EventVerbosity::All);
        assert_eq!(all["events"].as_array().map(Vec::len), Some(4));
        let after = t.to_json(EventVerbosity::AfterRestart);
        assert_eq!(after["events"].as_array().map(Vec::len), Some(2));
        assert_eq!(after["sender_id"], "s");
        assert_eq!(after["latest_message"]["intent"]["name"], "ask_price");
        assert_eq!(after["latest_message"]["text"], "/ask_price");
        assert_eq!(after["latest_action_name"], "utter_price");
        assert_eq!(after["latest_action"]["action_name"], "utter_price");
        assert_eq!(after["latest_input_channel"], "rest");
        assert_eq!(after["paused"], false);
        assert_eq!(after["slots"]["consent"], false);
        assert!(t.to_json(EventVerbosity::None)["events"].is_null());
        assert_eq!(
            EventVerbosity::parse("applied"),
            Some(EventVerbosity::Applied)
        );
    }
}
