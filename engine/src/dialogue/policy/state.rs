//! What policies see of a conversation: one [`Snapshot`] before each action, built by
//! walking events. Stories, rules and live trackers go through the same walk, so what a
//! policy learned and what it is shown line up exactly.

use crate::dialogue::events::{Event, EventKind};
use crate::names::{ActionName, IntentName, SlotName};
use crate::nlu::ParsedEntity;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// Which parts of a message and which slot values matter to policies; the domain knows
/// (`use_entities`, `influence_conversation`, slot types).
pub trait Featurizer: Send + Sync {
    /// The features of the entities of a message with `intent` (sorted, no duplicates):
    /// entity names, with `#role` / `@group` variants where those are set.
    fn entity_features(
        &self,
        intent: Option<&IntentName>,
        entities: &[ParsedEntity],
    ) -> Vec<String>;

    /// The feature of `slot` holding `value`, or `None` when the slot does not influence
    /// the conversation or the value featurizes to nothing (an unset text slot).
    fn slot_feature(&self, slot: &SlotName, value: &Value) -> Option<String>;
}

/// The state before one action. For trackers and stories every field is known; for
/// rules, fields left out (`None`, missing slots) match anything.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Snapshot {
    /// The latest user message's intent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intent: Option<IntentName>,
    /// Its entity features.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub entities: Vec<String>,
    /// The action that ran last.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prev_action: Option<ActionName>,
    /// The active loop.
    #[serde(default, skip_serializing_if = "LoopFeature::is_any")]
    pub active_loop: LoopFeature,
    /// Slot features; a `None` value means the slot is unset. Trackers list only slots
    /// that have a feature; rules list the slots they constrain.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub slots: BTreeMap<SlotName, Option<String>>,
}

impl Snapshot {
    /// Whether this rule pattern accepts the tracker state `state`: every field the
    /// pattern sets must hold there; the pattern's entities must all be present.
    pub fn accepts(&self, state: &Snapshot) -> bool {
        if self.intent.is_some() && self.intent != state.intent {
            return false;
        }
        if self.prev_action.is_some() && self.prev_action != state.prev_action {
            return false;
        }
        if !self.active_loop.is_any() && self.active_loop != state.active_loop {
            return false;
        }
        self.entities.iter().all(|e| state.entities.contains(e))
            && self
                .slots
                .iter()
                .all(|(name, want)| state.slots.get(name).cloned().flatten() == *want)
    }

    /// How many features the snapshot sets (rules with more are more specific).
    pub fn feature_count(&self) -> usize {
        usize::from(self.intent.is_some())
            + self.entities.len()
            + usize::from(self.prev_action.is_some())
            + usize::from(!self.active_loop.is_any())
            + self.slots.len()
    }

    /// The same state without slot features (for coarser memoization).
    pub fn without_slots(&self) -> Snapshot {
        Snapshot {
            slots: BTreeMap::new(),
            ..self.clone()
        }
    }
}

/// The active loop as a state sees it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LoopFeature {
    /// Unconstrained (rules that say nothing about loops).
    #[default]
    Any,
    /// No loop runs.
    Inactive,
    /// This loop runs.
    Active(ActionName),
}

impl LoopFeature {
    /// Whether the feature is unconstrained.
    pub fn is_any(&self) -> bool {
        matches!(self, LoopFeature::Any)
    }

    fn from_event(name: &Option<ActionName>) -> Self {
        name.clone()
            .map_or(LoopFeature::Inactive, LoopFeature::Active)
    }
}

/// What the walk starts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start<'a> {
    /// A tracker or story: no loop, slots at these initial values.
    Known(&'a BTreeMap<SlotName, Value>),
    /// A rule: nothing is known until its events say so.
    Open,
}

/// The states of an event sequence: one before each `action` event, paired with that
/// action (`None` for an end-to-end bot text without an action name), plus the state
/// after the last event.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Walk {
    /// `(state, action taken in it)` for every action event.
    pub steps: Vec<(Snapshot, Option<ActionName>)>,
    /// The state after the last event: what the next action is predicted from.
    pub current: Snapshot,
}

/// Walks `events` (already the applied ones) from `start`.
pub fn walk<'e>(
    events: impl IntoIterator<Item = &'e Event>,
    start: Start<'_>,
    featurizer: &dyn Featurizer,
) -> Walk {
    let mut current = match start {
        Start::Known(initial) => Snapshot {
            active_loop: LoopFeature::Inactive,
            slots: initial
                .iter()
                .filter_map(|(name, value)| {
                    featurizer
                        .slot_feature(name, value)
                        .map(|f| (name.clone(), Some(f)))
                })
                .collect(),
            ..Snapshot::default()
        },
        Start::Open => Snapshot::default(),
    };
    let known = matches!(start, Start::Known(_));
    let mut steps = Vec::new();
    for event in events {
        match &event.kind {
            EventKind::Action(action) => {
                steps.push((current.clone(), action.name.clone()));
                current.prev_action = action.name.clone();
            }
            EventKind::User(user) => {
                current.intent = user.intent_name().cloned();
                current.entities =
                    featurizer.entity_features(current.intent.as_ref(), &user.parse_data.entities);
            }
            EventKind::Entities { entities } => {
                let mut all = current.entities.clone();
                all.extend(featurizer.entity_features(current.intent.as_ref(), entities));
                all.sort();
                all.dedup();
                current.entities = all;
            }
            EventKind::Slot { name, value } => {
                let feature = featurizer.slot_feature(name, value);
                match (feature, known) {
                    (Some(f), _) => {
                        current.slots.insert(name.clone(), Some(f));
                    }
                    // A tracker lists only slots with a feature.
                    (None, true) => {
                        current.slots.remove(name);
                    }
                    // A rule that sets a slot to null requires it to be unset.
                    (None, false) => {
                        if value.is_null() {
                            current.slots.insert(name.clone(), None);
                        }
                    }
                }
            }
            EventKind::ActiveLoop { name } => current.active_loop = LoopFeature::from_event(name),
            EventKind::ResetSlots if known => current.slots.clear(),
            _ => {}
        }
    }
    Walk { steps, current }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::dialogue::events::{ParseData, UserUttered};
    use crate::nlu::IntentScore;
    use serde_json::json;

    /// A featurizer for tests: every slot influences, text-like (set or not).
    pub(crate) struct AllSlots;

    impl Featurizer for AllSlots {
        fn entity_features(
            &self,
            _: Option<&IntentName>,
            entities: &[ParsedEntity],
        ) -> Vec<String> {
            let mut names: Vec<String> = entities.iter().map(|e| e.entity.clone()).collect();
            names.sort();
            names.dedup();
            names
        }

        fn slot_feature(&self, _: &SlotName, value: &Value) -> Option<String> {
            match value {
                Value::Null => None,
                Value::Bool(b) => Some(b.to_string()),
                _ => Some("set".into()),
            }
        }
    }

    pub(crate) fn user(intent: &str) -> Event {
        Event::new(
            EventKind::User(UserUttered {
                text: None,
                parse_data: ParseData {
                    intent: Some(IntentScore {
                        name: IntentName::new(intent),
                        confidence: 1.0,
                    }),
                    ..ParseData::default()
                },
                input_channel: None,
                message_id: None,
            }),
            0.0,
        )
    }

    pub(crate) fn action(name: &str) -> Event {
        Event::new(EventKind::action(name, None, 1.0), 0.0)
    }

    pub(crate) fn slot(name: &str, value: Value) -> Event {
        Event::new(EventKind::slot(name, value), 0.0)
    }

    #[test]
    fn one_state_before_each_action() {
        let events = [
            action("action_listen"),
            user("greet"),
            action("utter_greet"),
            slot("procedure", json!("botox")),
            action("action_listen"),
        ];
        let initial = BTreeMap::new();
        let walk = walk(&events, Start::Known(&initial), &AllSlots);
        let actions: Vec<_> = walk
            .steps
            .iter()
            .map(|(_, a)| a.as_ref().map(|a| a.as_str()))
            .collect();
        assert_eq!(
            actions,
            [
                Some("action_listen"),
                Some("utter_greet"),
                Some("action_listen")
            ]
        );
        let (before_greet, _) = &walk.steps[1];
        assert_eq!(
            before_greet.intent.as_ref().map(|i| i.as_str()),
            Some("greet")
        );
        assert_eq!(
            before_greet.prev_action.as_ref().map(|a| a.as_str()),
            Some("action_listen")
        );
        assert_eq!(before_greet.active_loop, LoopFeature::Inactive);
        assert_eq!(
            walk.current.slots.get("procedure"),
            Some(&Some("set".into()))
        );
    }

    #[test]
    fn rule_patterns_accept_supersets_only() {
        let pattern = Snapshot {
            intent: Some("greet".into()),
            slots: BTreeMap::from([(SlotName::new("consent"), None)]),
            ..Snapshot::default()
        };
        let mut state = Snapshot {
            intent: Some("greet".into()),
            entities: vec!["procedure".into()],
            prev_action: Some("action_listen".into()),
            active_loop: LoopFeature::Inactive,
            ..Snapshot::default()
        };
        assert!(pattern.accepts(&state));
        state
            .slots
            .insert(SlotName::new("consent"), Some("true".into()));
        assert!(!pattern.accepts(&state), "the rule needs consent unset");
        let in_loop = Snapshot {
            active_loop: LoopFeature::Active("booking_form".into()),
            ..Snapshot::default()
        };
        assert!(!in_loop.accepts(&state));
    }

    #[test]
    fn rules_start_open_and_record_unset_requirements() {
        let events = [
            Event::new(EventKind::active_loop(Some("booking_form".into())), 0.0),
            action("booking_form"),
            Event::new(EventKind::active_loop(None), 0.0),
            slot("requested_slot", Value::Null),
            action("utter_submit"),
        ];
        let walk = walk(&events, Start::Open, &AllSlots);
        let (first, _) = &walk.steps[0];
        assert_eq!(first.prev_action, None);
        assert_eq!(
            first.active_loop,
            LoopFeature::Active("booking_form".into())
        );
        let (second, next) = &walk.steps[1];
        assert_eq!(second.active_loop, LoopFeature::Inactive);
        assert_eq!(second.slots.get("requested_slot"), Some(&None));
        assert_eq!(next.as_ref().map(|a| a.as_str()), Some("utter_submit"));
    }
}
