//! Policies decide the next action. They form a small, explainable state machine, tried
//! in Rasa's order of priority: a forced follow-up, the default intents (`/restart`,
//! `/back`, `/session_start`), the active loop's happy path, rules, memorised stories
//! (exact, then backed off), and the core fallback.

pub mod config;
pub mod domain_features;
pub mod memo;
pub mod rules;
pub mod state;

use crate::dialogue::events::{Event, EventKind};
use crate::dialogue::tracker::Tracker;
use crate::names::{ActionName, SlotName};
use memo::MemoPolicy;
use rules::RulePolicy;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use state::{Featurizer, Snapshot, Start, walk};
use std::collections::BTreeMap;

/// Rasa's `action_listen`: wait for the user.
pub const ACTION_LISTEN: &str = "action_listen";
/// Rasa's core fallback action.
pub const ACTION_DEFAULT_FALLBACK: &str = "action_default_fallback";

/// Intents that trigger a default action whatever the rules say (Rasa's default rules).
const DEFAULT_INTENT_ACTIONS: [(&str, &str); 3] = [
    ("restart", "action_restart"),
    ("back", "action_back"),
    ("session_start", "action_session_start"),
];

/// A dialogue as policies learn it: the events of a story or rule, with the implicit
/// `action_listen`s spelled out.
#[derive(Debug, Clone, PartialEq)]
pub struct Trace {
    /// The story's or rule's name.
    pub name: String,
    /// Its events.
    pub events: Vec<Event>,
    /// Whether it applies only from the start of a conversation (rules only; stories
    /// always start there).
    pub conversation_start: bool,
}

/// A policy's choice of the next action, with why.
#[derive(Debug, Clone, PartialEq)]
pub struct Prediction {
    /// The action to run.
    pub action: ActionName,
    /// The policy that chose it (Rasa's policy names).
    pub policy: &'static str,
    /// Its confidence in [0, 1].
    pub confidence: f32,
    /// A short explanation (`rule 'greet'`), logged and stored with the action event.
    pub reason: String,
}

impl Prediction {
    fn new(action: &str, policy: &'static str, reason: impl Into<String>) -> Self {
        Self {
            action: ActionName::new(action),
            policy,
            confidence: 1.0,
            reason: reason.into(),
        }
    }
}

/// The trained policies together.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PolicyEnsemble {
    /// The rules.
    pub rules: RulePolicy,
    /// The memorised stories.
    pub memo: MemoPolicy,
}

impl PolicyEnsemble {
    /// Trains the rule and memoization policies.
    pub fn train(
        rules: &[Trace],
        stories: &[Trace],
        initial_slots: &BTreeMap<SlotName, Value>,
        featurizer: &dyn Featurizer,
        max_history: usize,
    ) -> Self {
        Self {
            rules: RulePolicy::train(rules, featurizer),
            memo: MemoPolicy::train(stories, initial_slots, featurizer, max_history),
        }
    }

    /// The next action for `tracker`, never one of `excluded` (actions that refused to run
    /// this turn); the core fallback when nothing else applies.
    pub fn predict(
        &self,
        tracker: &Tracker,
        initial_slots: &BTreeMap<SlotName, Value>,
        featurizer: &dyn Featurizer,
        excluded: &[ActionName],
    ) -> Prediction {
        let allowed = |p: &Prediction| !excluded.contains(&p.action);
        let latest = tracker.latest_action_name().map(ActionName::as_str);
        let listened = latest == Some(ACTION_LISTEN);

        if let Some(followup) = tracker.followup_action() {
            let p = Prediction::new(
                followup.as_str(),
                "FollowupAction",
                "a follow-up was requested",
            );
            if allowed(&p) {
                return p;
            }
        }
        if listened && let Some(intent) = tracker.latest_intent() {
            let default = DEFAULT_INTENT_ACTIONS
                .iter()
                .find(|(i, _)| *i == intent.as_str())
                .map(|(i, a)| Prediction::new(a, "RulePolicy", format!("default rule for /{i}")));
            if let Some(p) = default.filter(allowed) {
                return p;
            }
        }
        if let Some(active) = tracker.active_loop().filter(|l| !l.rejected) {
            let p = if latest == Some(active.name.as_str()) {
                Prediction::new(
                    ACTION_LISTEN,
                    "RulePolicy",
                    "the active loop asked; wait for the answer",
                )
            } else {
                Prediction::new(
                    active.name.as_str(),
                    "RulePolicy",
                    "the active loop continues",
                )
            };
            if allowed(&p) {
                return p;
            }
        }

        let applied = tracker.applied_events();
        let walk = walk(
            applied.iter().copied(),
            Start::Known(initial_slots),
            featurizer,
        );
        let mut states: Vec<&Snapshot> = walk.steps.iter().map(|(s, _)| s).collect();
        states.push(&walk.current);
        if let Some(p) = self.rules.predict(&states, excluded) {
            return back_to_loop(p, tracker, &self.rules, &states, excluded);
        }
        if let Some(p) = self
            .memo
            .predict(&applied, initial_slots, featurizer, excluded)
        {
            return p;
        }

        // A rewind since the last action: a fallback just undid the user's message.
        let just_reverted = tracker
            .events()
            .iter()
            .rev()
            .find(|e| matches!(e.kind, EventKind::Rewind | EventKind::Action(_)))
            .is_some_and(|e| matches!(e.kind, EventKind::Rewind));
        if just_reverted
            || latest == Some(ACTION_DEFAULT_FALLBACK)
            || excluded
                .iter()
                .any(|a| a.as_str() == ACTION_DEFAULT_FALLBACK)
        {
            return Prediction::new(
                ACTION_LISTEN,
                "RulePolicy",
                "after a fallback, wait for the user",
            );
        }
        Prediction {
            confidence: 0.0,
            ..Prediction::new(
                ACTION_DEFAULT_FALLBACK,
                "FallbackPolicy",
                "no rule or story applies",
            )
        }
    }
}

/// Rasa's return from a loop's unhappy path: a general rule (one that says nothing about
/// loops) that would wait for the user while a loop is active hands back to the loop, so
/// the form asks its question again after, say, answering a chitchat.
fn back_to_loop(
    prediction: Prediction,
    tracker: &Tracker,
    rules: &RulePolicy,
    states: &[&Snapshot],
    excluded: &[ActionName],
) -> Prediction {
    let Some(active) = tracker.active_loop_name() else {
        return prediction;
    };
    let general = rules
        .best_entry(states, excluded)
        .and_then(|e| e.key.last())
        .is_some_and(|last| !matches!(last.active_loop, state::LoopFeature::Active(_)));
    if prediction.action.as_str() != ACTION_LISTEN || !general || excluded.contains(active) {
        return prediction;
    }
    Prediction {
        reason: format!("{}; back to the active loop", prediction.reason),
        ..Prediction::new(active.as_str(), "RulePolicy", "")
    }
}
