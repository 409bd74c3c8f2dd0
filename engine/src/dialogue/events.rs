//! Conversation events, named and shaped as Rasa's so trackers round-trip through Rasa's
//! JSON (`{"event": "user", "timestamp": ..., "text": ..., "parse_data": ...}`).
//!
//! A conversation is nothing but its events: the [`Tracker`](super::tracker::Tracker)
//! folds them into slots, the active loop and the latest message.

use crate::names::{ActionName, IntentName, SlotName};
use crate::nlu::{IntentScore, ParsedEntity};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Seconds since the Unix epoch now: the timestamp of new events.
pub fn now() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

/// One event: what happened, when, and free-form metadata.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// What happened; its `event` tag is Rasa's event name.
    #[serde(flatten)]
    pub kind: EventKind,
    /// Seconds since the Unix epoch (Rasa's float timestamps).
    #[serde(default)]
    pub timestamp: f64,
    /// Free-form metadata (channel data, the policy's explanation, ...).
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub metadata: Map<String, Value>,
}

impl Event {
    /// An event of `kind` at `timestamp`, without metadata.
    pub fn new(kind: EventKind, timestamp: f64) -> Self {
        Self {
            kind,
            timestamp,
            metadata: Map::new(),
        }
    }

    /// Rasa's event name (`user`, `bot`, `action`, `slot`, ...).
    pub fn type_name(&self) -> &'static str {
        self.kind.type_name()
    }
}

/// The kinds of events, tagged with Rasa's names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum EventKind {
    /// The user sent a message (Rasa's `UserUttered`).
    User(UserUttered),
    /// The bot sent a message (`BotUttered`).
    Bot(BotUttered),
    /// An action ran (`ActionExecuted`).
    Action(ActionExecuted),
    /// A slot was set (`SlotSet`).
    Slot {
        /// The slot.
        name: SlotName,
        /// Its new value (`null` clears it).
        #[serde(default)]
        value: Value,
    },
    /// A loop (form) became active, or none is (`ActiveLoop`; `name: null`).
    ActiveLoop {
        /// The loop now active, if any.
        #[serde(default)]
        name: Option<ActionName>,
    },
    /// The active loop was interrupted by another action, or resumed (`LoopInterrupted`).
    LoopInterrupted {
        /// Whether the loop is interrupted.
        is_interrupted: bool,
    },
    /// An action refused to run, so policies must pick another (`ActionExecutionRejected`).
    ActionExecutionRejected {
        /// The action that refused.
        name: ActionName,
        /// The policy that had predicted it.
        #[serde(default)]
        policy: Option<String>,
        /// That policy's confidence.
        #[serde(default)]
        confidence: Option<f32>,
    },
    /// A new session began (`SessionStarted`): the state so far is forgotten.
    SessionStarted,
    /// The conversation was restarted (`Restarted`).
    Restart,
    /// The last user message and what followed it are undone (`UserUtteranceReverted`).
    Rewind,
    /// The last action and what followed it are undone (`ActionReverted`).
    Undo,
    /// Every slot goes back to its initial value (`AllSlotsReset`).
    ResetSlots,
    /// Forces the next action (`FollowupAction`).
    Followup {
        /// The action to run next.
        name: ActionName,
    },
    /// The bot stops acting on messages, e.g. during a human handoff (`ConversationPaused`).
    Pause,
    /// The bot acts on messages again (`ConversationResumed`).
    Resume,
    /// Entities were added to the latest user message (`EntitiesAdded`).
    Entities {
        /// The entities added.
        #[serde(default)]
        entities: Vec<ParsedEntity>,
    },
    /// A reminder was scheduled (`ReminderScheduled`); it triggers `intent` later.
    Reminder {
        /// The intent to trigger.
        intent: IntentName,
        /// Entities to trigger it with.
        #[serde(default)]
        entities: Option<Value>,
        /// When, as an ISO 8601 date-time.
        date_time: String,
        /// The reminder's name, for cancelling it.
        #[serde(default)]
        name: Option<String>,
        /// Whether a user message before it fires cancels it.
        #[serde(default = "default_true")]
        kill_on_user_message: bool,
    },
    /// Reminders were cancelled (`ReminderCancelled`).
    CancelReminder {
        /// The reminder's name.
        #[serde(default)]
        name: Option<String>,
        /// Cancel reminders of this intent.
        #[serde(default)]
        intent: Option<IntentName>,
        /// Cancel reminders with these entities.
        #[serde(default)]
        entities: Option<Value>,
    },
    /// A human agent said something (`AgentUttered`).
    Agent {
        /// What was said.
        #[serde(default)]
        text: Option<String>,
        /// Extra data.
        #[serde(default)]
        data: Option<Value>,
    },
    /// The conversation was exported (`StoryExported`).
    Export {
        /// The file written.
        #[serde(default)]
        path: Option<String>,
    },
    /// How the last user message is featurized: by text or by intent (`DefinePrevUserUtteredFeaturization`).
    UserFeaturization {
        /// Whether policies use the text rather than the intent.
        use_text_for_featurization: bool,
    },
}

fn default_true() -> bool {
    true
}

impl EventKind {
    /// Rasa's event name.
    pub fn type_name(&self) -> &'static str {
        match self {
            EventKind::User(_) => "user",
            EventKind::Bot(_) => "bot",
            EventKind::Action(_) => "action",
            EventKind::Slot { .. } => "slot",
            EventKind::ActiveLoop { .. } => "active_loop",
            EventKind::LoopInterrupted { .. } => "loop_interrupted",
            EventKind::ActionExecutionRejected { .. } => "action_execution_rejected",
            EventKind::SessionStarted => "session_started",
            EventKind::Restart => "restart",
            EventKind::Rewind => "rewind",
            EventKind::Undo => "undo",
            EventKind::ResetSlots => "reset_slots",
            EventKind::Followup { .. } => "followup",
            EventKind::Pause => "pause",
            EventKind::Resume => "resume",
            EventKind::Entities { .. } => "entities",
            EventKind::Reminder { .. } => "reminder",
            EventKind::CancelReminder { .. } => "cancel_reminder",
            EventKind::Agent { .. } => "agent",
            EventKind::Export { .. } => "export",
            EventKind::UserFeaturization { .. } => "user_featurization",
        }
    }

    /// A `slot` event.
    pub fn slot(name: impl Into<SlotName>, value: Value) -> Self {
        EventKind::Slot {
            name: name.into(),
            value,
        }
    }

    /// An `action` event for `name`, as predicted by `policy`.
    pub fn action(name: impl Into<ActionName>, policy: Option<&str>, confidence: f32) -> Self {
        EventKind::Action(ActionExecuted {
            name: Some(name.into()),
            policy: policy.map(str::to_owned),
            confidence: Some(confidence),
            action_text: None,
            hide_rule_turn: false,
        })
    }

    /// An `active_loop` event.
    pub fn active_loop(name: Option<ActionName>) -> Self {
        EventKind::ActiveLoop { name }
    }
}

/// What the user said, with the NLU's reading of it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct UserUttered {
    /// The text as written (none for a triggered intent or a story step without text).
    #[serde(default)]
    pub text: Option<String>,
    /// The NLU result.
    #[serde(default)]
    pub parse_data: ParseData,
    /// The channel it came from (`rest`, `whatsapp`, `cmdline`).
    #[serde(default)]
    pub input_channel: Option<String>,
    /// The channel's id of the message.
    #[serde(default)]
    pub message_id: Option<String>,
}

impl UserUttered {
    /// The predicted intent's name, if any.
    pub fn intent_name(&self) -> Option<&IntentName> {
        self.parse_data.intent.as_ref().map(|i| &i.name)
    }
}

/// The `parse_data` of a user event: Rasa's parse result.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ParseData {
    /// The top intent.
    #[serde(default)]
    pub intent: Option<IntentScore>,
    /// Entities found.
    #[serde(default)]
    pub entities: Vec<ParsedEntity>,
    /// Intents ranked by confidence.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub intent_ranking: Vec<IntentScore>,
    /// The text parsed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// The channel's id of the message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_id: Option<String>,
    /// Metadata sent with the message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Value>,
}

/// What the bot said.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BotUttered {
    /// The text.
    #[serde(default)]
    pub text: Option<String>,
    /// Buttons, image, custom payload, ...
    #[serde(default)]
    pub data: BotData,
}

/// The non-text parts of a bot message (Rasa's `BotUttered.data`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BotData {
    /// Buttons.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub buttons: Vec<Button>,
    /// Quick replies (Rasa's `quick_replies`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub quick_replies: Vec<Button>,
    /// Carousel elements.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub elements: Option<Value>,
    /// An image URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// An attachment (document, video...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachment: Option<Value>,
    /// A channel-specific payload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom: Option<Value>,
    /// The response the text came from (`utter_greet`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utter_action: Option<ActionName>,
}

/// A quick-reply button: a caption and the payload sent back when chosen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Button {
    /// The caption.
    pub title: String,
    /// Sent as the user's message when chosen (`/intent{"entity":"value"}` or text).
    #[serde(default)]
    pub payload: String,
    /// Other keys (`type`, `url`, ...), passed to the channel as they are.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// An action ran. `name` is absent only for end-to-end bot text without an action.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ActionExecuted {
    /// The action.
    #[serde(default)]
    pub name: Option<ActionName>,
    /// The policy that chose it.
    #[serde(default)]
    pub policy: Option<String>,
    /// The policy's confidence.
    #[serde(default)]
    pub confidence: Option<f32>,
    /// The bot text, for end-to-end actions.
    #[serde(default)]
    pub action_text: Option<String>,
    /// Whether this turn is hidden from policies other than rules (Rasa's flag).
    #[serde(default)]
    pub hide_rule_turn: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn roundtrip(value: Value) -> Event {
        let event: Event = serde_json::from_value(value.clone()).expect("parses");
        assert_eq!(serde_json::to_value(&event).expect("serialises"), value);
        event
    }

    #[test]
    fn rasa_user_event_round_trips() {
        let event = roundtrip(json!({
            "event": "user",
            "timestamp": 1_700_000_000.5,
            "text": "oi",
            "parse_data": {
                "intent": {"name": "greet", "confidence": 0.5},
                "entities": [],
                "intent_ranking": [{"name": "greet", "confidence": 0.5}],
                "text": "oi"
            },
            "input_channel": "rest",
            "message_id": "m1"
        }));
        let EventKind::User(user) = &event.kind else {
            panic!("not a user event: {event:?}");
        };
        assert_eq!(user.intent_name().map(|i| i.as_str()), Some("greet"));
        assert_eq!(event.type_name(), "user");
    }

    #[test]
    fn unit_and_struct_events_use_rasa_names() {
        for name in [
            "session_started",
            "restart",
            "rewind",
            "undo",
            "reset_slots",
            "pause",
            "resume",
        ] {
            let event = roundtrip(json!({"event": name, "timestamp": 1.0}));
            assert_eq!(event.type_name(), name);
        }
        roundtrip(
            json!({"event": "slot", "timestamp": 2.0, "name": "procedure", "value": "botox"}),
        );
        roundtrip(json!({"event": "active_loop", "timestamp": 2.0, "name": null}));
        roundtrip(json!({"event": "followup", "timestamp": 2.0, "name": "utter_greet"}));
        roundtrip(json!({"event": "loop_interrupted", "timestamp": 2.0, "is_interrupted": true}));
    }

    #[test]
    fn sparse_events_from_clients_get_defaults() {
        let event: Event =
            serde_json::from_value(json!({"event": "action", "name": "action_listen"}))
                .expect("parses");
        assert_eq!(event.timestamp, 0.0);
        let EventKind::Action(action) = event.kind else {
            panic!("not an action");
        };
        assert_eq!(
            action.name.as_ref().map(|n| n.as_str()),
            Some("action_listen")
        );
        let user: Event = serde_json::from_value(json!({
            "event": "user",
            "text": "/greet",
            "parse_data": {"intent": {"name": "greet", "confidence": 1.0},
                           "entities": [{"entity": "procedure", "value": "botox", "start": 0, "end": 5}]}
        }))
        .expect("entities without extractor parse");
        assert_eq!(user.type_name(), "user");
    }

    #[test]
    fn unknown_event_names_are_errors() {
        let err = serde_json::from_value::<Event>(json!({"event": "teleport"})).unwrap_err();
        assert!(err.to_string().contains("teleport"), "{err}");
    }
}
