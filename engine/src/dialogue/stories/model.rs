//! The in-memory form of dialogue training data as written: stories and rules made of
//! steps, before checkpoints and `or` are expanded (see [`super::graph`]).

use crate::data::{EntityAnnotation, Location};
use crate::names::{ActionName, EntityName, IntentName, SlotName};

/// Every story and rule read from a set of files, in file order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DialogueData {
    /// `stories:` items (training or test stories).
    pub stories: Vec<Story>,
    /// `rules:` items.
    pub rules: Vec<Rule>,
}

impl DialogueData {
    /// Appends everything from `other`.
    pub fn merge(&mut self, other: DialogueData) {
        self.stories.extend(other.stories);
        self.rules.extend(other.rules);
    }
}

/// One `- story:` item.
#[derive(Debug, Clone, PartialEq)]
pub struct Story {
    /// The story's name.
    pub name: String,
    /// Where the item starts.
    pub location: Location,
    /// Its steps, in order.
    pub steps: Vec<Step>,
    /// The `metadata` mapping, if any (kept as JSON, never interpreted).
    pub metadata: Option<serde_json::Value>,
}

/// One `- rule:` item.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// The rule's name.
    pub name: String,
    /// Where the item starts.
    pub location: Location,
    /// `condition:` entries: slots and active loop that must hold before the steps.
    pub conditions: Vec<Step>,
    /// Its steps, in order.
    pub steps: Vec<Step>,
    /// `conversation_start: true`: the rule applies only at the start of a conversation.
    /// Otherwise, as in Rasa, it may apply anywhere.
    pub conversation_start: bool,
    /// `wait_for_user_input` (default true): after the last action the bot listens.
    /// `false` means anything may follow the last action (no implicit `action_listen`).
    pub wait_for_user_input: bool,
    /// The `metadata` mapping, if any.
    pub metadata: Option<serde_json::Value>,
}

/// One step of a story or rule, as written.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// A user message: `intent:` and/or `user:`.
    User(UserStep),
    /// `action: name`.
    Action(ActionStep),
    /// `bot: text`: an end-to-end bot utterance.
    Bot(BotStep),
    /// One entry of `slot_was_set:` (a list of several becomes several steps).
    Slot(SlotStep),
    /// `active_loop: name`, or `active_loop: null` (the loop was deactivated).
    ActiveLoop(ActiveLoopStep),
    /// `checkpoint: name`, optionally with `slot_was_set` conditions.
    Checkpoint(CheckpointStep),
    /// `or:` alternatives; the story fans out into one path per alternative.
    Or(OrStep),
}

impl Step {
    /// Where the step is written.
    pub fn location(&self) -> &Location {
        match self {
            Step::User(s) => &s.location,
            Step::Action(s) => &s.location,
            Step::Bot(s) => &s.location,
            Step::Slot(s) => &s.location,
            Step::ActiveLoop(s) => &s.location,
            Step::Checkpoint(s) => &s.location,
            Step::Or(s) => &s.location,
        }
    }
}

/// A user message step.
#[derive(Debug, Clone, PartialEq)]
pub struct UserStep {
    /// The intent; `None` for an end-to-end step with only `user:` text. A retrieval
    /// intent keeps its full name (`faq/ask_price`), see [`UserStep::base_intent`].
    pub intent: Option<IntentName>,
    /// Entities listed under `entities:`.
    pub entities: Vec<StoryEntity>,
    /// The `user:` text with markup removed, if given.
    pub text: Option<String>,
    /// Entities marked up in the `user:` text (`[botox](procedimento)`).
    pub text_entities: Vec<EntityAnnotation>,
    /// The step's `metadata`, if any.
    pub metadata: Option<serde_json::Value>,
    /// Where the step is written.
    pub location: Location,
}

impl UserStep {
    /// The intent without a retrieval suffix: `faq` for `faq/ask_price`, as Rasa
    /// featurizes it.
    pub fn base_intent(&self) -> Option<IntentName> {
        let intent = self.intent.as_ref()?;
        let base = intent.as_str().split('/').next().unwrap_or(intent.as_str());
        Some(IntentName::new(base))
    }

    /// All entity types of the step: listed ones, then those marked up in the text.
    pub fn entity_names(&self) -> Vec<EntityName> {
        self.entities
            .iter()
            .map(|e| e.entity.clone())
            .chain(self.text_entities.iter().map(|e| e.entity.clone()))
            .collect()
    }
}

/// An entity listed in a user step: `- procedimento: botox` (with `role`/`group` keys
/// beside it) or a bare `- procedimento`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoryEntity {
    /// The entity type.
    pub entity: EntityName,
    /// Its value; `None` for a bare name (Rasa then uses an empty value).
    pub value: Option<String>,
    /// The role, if given.
    pub role: Option<String>,
    /// The group, if given.
    pub group: Option<String>,
    /// Where the entry is written.
    pub location: Location,
}

/// `action: name`.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionStep {
    /// The action (an `utter_` response, a custom action, a form, a default action).
    pub name: ActionName,
    /// Where the step is written.
    pub location: Location,
}

/// `bot: text`.
#[derive(Debug, Clone, PartialEq)]
pub struct BotStep {
    /// What the bot says.
    pub text: String,
    /// Where the step is written.
    pub location: Location,
}

/// One slot of `slot_was_set:`.
#[derive(Debug, Clone, PartialEq)]
pub struct SlotStep {
    /// The slot.
    pub name: SlotName,
    /// Its value.
    pub value: SlotValue,
    /// Where the entry is written.
    pub location: Location,
}

/// The value in a `slot_was_set` entry.
#[derive(Debug, Clone, PartialEq)]
pub enum SlotValue {
    /// A bare slot name: set to some value, whatever it is. Rasa records the text
    /// `"filled"` ([`FILLED`]); featurizers of text slots only see "set".
    Filled,
    /// An explicit value (`null` included: the slot was reset).
    Value(serde_json::Value),
}

/// The value Rasa gives a slot written as a bare name in `slot_was_set`.
pub const FILLED: &str = "filled";

impl SlotValue {
    /// The value as JSON, [`FILLED`] for a bare name.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            SlotValue::Filled => serde_json::Value::String(FILLED.to_owned()),
            SlotValue::Value(v) => v.clone(),
        }
    }
}

/// `active_loop: name` or `active_loop: null`.
#[derive(Debug, Clone, PartialEq)]
pub struct ActiveLoopStep {
    /// The loop (form) now active; `None` when the active loop was deactivated.
    pub name: Option<ActionName>,
    /// Where the step is written.
    pub location: Location,
}

/// `checkpoint: name`.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckpointStep {
    /// The checkpoint's name.
    pub name: String,
    /// `slot_was_set` conditions written beside a start checkpoint: only conversations
    /// with these slot values continue through it.
    pub slots: Vec<SlotStep>,
    /// Where the step is written.
    pub location: Location,
}

/// `or:` alternatives.
#[derive(Debug, Clone, PartialEq)]
pub struct OrStep {
    /// Each alternative: a user step, or the slots of a `slot_was_set` entry.
    pub alternatives: Vec<Alternative>,
    /// Where the step is written.
    pub location: Location,
}

/// One alternative of an `or` step.
#[derive(Debug, Clone, PartialEq)]
pub enum Alternative {
    /// A user message.
    User(UserStep),
    /// Slot values.
    Slots(Vec<SlotStep>),
}
