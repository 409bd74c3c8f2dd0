//! Rasa's `RulePolicy`: rules are partial state sequences; the longest rule whose states
//! hold at the end of the conversation decides the next action.

use super::state::{Featurizer, Snapshot, Start, walk};
use super::{Prediction, Trace};
use crate::names::ActionName;
use serde::{Deserialize, Serialize};

pub use crate::dialogue::stories::graph::RULE_SNIPPET_ACTION as RULE_SNIPPET;

/// Whether `state` directly follows a `...` snippet.
fn is_snippet_state(state: &Snapshot) -> bool {
    state
        .prev_action
        .as_ref()
        .is_some_and(|a| a.as_str() == RULE_SNIPPET)
}

/// One thing a rule says: after these states, run this action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RuleEntry {
    /// The rule's name, for explanations and conflict reports.
    pub rule: String,
    /// The states, oldest first, that must hold at the end of the conversation.
    pub key: Vec<Snapshot>,
    /// The action the rule predicts.
    pub action: ActionName,
    /// Whether the key must start at the beginning of the conversation.
    pub conversation_start: bool,
}

impl RuleEntry {
    /// Whether the entry applies to a conversation whose states are `states`.
    fn applies(&self, states: &[&Snapshot]) -> bool {
        let n = self.key.len();
        if n > states.len() || (self.conversation_start && n != states.len()) {
            return false;
        }
        self.key
            .iter()
            .zip(&states[states.len() - n..])
            .all(|(pattern, state)| pattern.accepts(state))
    }

    /// Longer rules, then rules with more features, are more specific.
    fn specificity(&self) -> (usize, usize) {
        (
            self.key.len(),
            self.key.iter().map(Snapshot::feature_count).sum(),
        )
    }
}

/// The trained rules.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RulePolicy {
    entries: Vec<RuleEntry>,
}

impl RulePolicy {
    /// Learns the entries of every rule trace (events include the implicit `action_listen`
    /// before each user turn and after the last action, unless the rule says not to wait).
    pub fn train(rules: &[Trace], featurizer: &dyn Featurizer) -> Self {
        let mut entries = Vec::new();
        for rule in rules {
            let walk = walk(&rule.events, Start::Open, featurizer);
            let steps = walk.steps.as_slice();
            for k in 0..steps.len() {
                let Some(action) = steps[k].1.clone().filter(|a| a.as_str() != RULE_SNIPPET) else {
                    continue;
                };
                // As Rasa's `_create_feature_key`: states up to the last `...` (the rule's
                // "anything may come here") are not part of the key; what the rule's
                // conditions set lives on in the states after it.
                let start = (0..=k)
                    .rev()
                    .find(|&j| is_snippet_state(&steps[j].0))
                    .map_or(0, |j| j + 1);
                if start > k {
                    continue;
                }
                entries.push(RuleEntry {
                    rule: rule.name.clone(),
                    key: steps[start..=k].iter().map(|(s, _)| s.clone()).collect(),
                    action,
                    conversation_start: rule.conversation_start,
                });
            }
        }
        Self { entries }
    }

    /// Every learned entry.
    pub fn entries(&self) -> &[RuleEntry] {
        &self.entries
    }

    /// The action of the most specific rule that applies to `states` (the conversation's
    /// states, the current one last), skipping `excluded` actions.
    pub fn predict(&self, states: &[&Snapshot], excluded: &[ActionName]) -> Option<Prediction> {
        self.best_entry(states, excluded).map(|entry| Prediction {
            action: entry.action.clone(),
            policy: "RulePolicy",
            confidence: 1.0,
            reason: format!("rule '{}'", entry.rule),
        })
    }

    /// The most specific applicable entry.
    pub fn best_entry(&self, states: &[&Snapshot], excluded: &[ActionName]) -> Option<&RuleEntry> {
        self.entries
            .iter()
            .filter(|e| !excluded.contains(&e.action) && e.applies(states))
            .max_by_key(|e| e.specificity())
    }

    /// Pairs of rules that predict different actions after the very same states.
    pub fn contradictions(&self) -> Vec<(&RuleEntry, &RuleEntry)> {
        let mut found = Vec::new();
        for (i, a) in self.entries.iter().enumerate() {
            for b in &self.entries[i + 1..] {
                if a.rule != b.rule
                    && a.action != b.action
                    && a.key == b.key
                    && a.conversation_start == b.conversation_start
                {
                    found.push((a, b));
                }
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialogue::events::{Event, EventKind};
    use crate::dialogue::policy::state::tests::{AllSlots, action, slot, user};
    use serde_json::{Value, json};
    use std::collections::BTreeMap;

    fn trace(name: &str, events: Vec<Event>) -> Trace {
        Trace {
            name: name.into(),
            events,
            conversation_start: false,
        }
    }

    fn states_of(events: &[Event]) -> Vec<Snapshot> {
        let initial = BTreeMap::new();
        let w = walk(events, Start::Known(&initial), &AllSlots);
        let mut states: Vec<Snapshot> = w.steps.into_iter().map(|(s, _)| s).collect();
        states.push(w.current);
        states
    }

    fn predict(policy: &RulePolicy, events: &[Event]) -> Option<String> {
        let states = states_of(events);
        let refs: Vec<&Snapshot> = states.iter().collect();
        policy.predict(&refs, &[]).map(|p| p.action.to_string())
    }

    fn greet_rule() -> Trace {
        trace(
            "greet",
            vec![
                action(RULE_SNIPPET),
                action("action_listen"),
                user("greet"),
                action("utter_greet"),
                action("action_listen"),
            ],
        )
    }

    #[test]
    fn a_rule_answers_its_intent_anywhere_then_listens() {
        let policy = RulePolicy::train(&[greet_rule()], &AllSlots);
        let mut events = vec![
            action("action_listen"),
            user("ask_price"),
            action("utter_price"),
            action("action_listen"),
            user("greet"),
        ];
        assert_eq!(predict(&policy, &events).as_deref(), Some("utter_greet"));
        events.push(action("utter_greet"));
        assert_eq!(predict(&policy, &events).as_deref(), Some("action_listen"));
        let other = [action("action_listen"), user("ask_price")];
        assert_eq!(predict(&policy, &other), None);
    }

    #[test]
    fn conditions_and_longer_rules_win() {
        let with_consent = trace(
            "greet again",
            vec![
                slot("consent", json!(true)),
                action(RULE_SNIPPET),
                action("action_listen"),
                user("greet"),
                action("utter_welcome_back"),
                action("action_listen"),
            ],
        );
        let policy = RulePolicy::train(&[greet_rule(), with_consent], &AllSlots);
        let plain = [action("action_listen"), user("greet")];
        assert_eq!(predict(&policy, &plain).as_deref(), Some("utter_greet"));
        let consented = [
            slot("consent", json!(true)),
            action("action_listen"),
            user("greet"),
        ];
        assert_eq!(
            predict(&policy, &consented).as_deref(),
            Some("utter_welcome_back")
        );
    }

    #[test]
    fn conversation_start_rules_only_match_from_the_start() {
        let start = Trace {
            conversation_start: true,
            ..trace(
                "welcome",
                vec![
                    action("action_listen"),
                    user("greet"),
                    action("utter_welcome"),
                ],
            )
        };
        let policy = RulePolicy::train(&[start], &AllSlots);
        let first = [action("action_listen"), user("greet")];
        assert_eq!(predict(&policy, &first).as_deref(), Some("utter_welcome"));
        let later = [
            action("action_listen"),
            user("greet"),
            action("utter_welcome"),
            action("action_listen"),
            user("greet"),
        ];
        assert_eq!(predict(&policy, &later), None);
    }

    #[test]
    fn loop_rules_need_the_loop_and_unset_slots() {
        let submit = trace(
            "submit",
            vec![
                Event::new(EventKind::active_loop(Some("booking_form".into())), 0.0),
                action(RULE_SNIPPET),
                action("booking_form"),
                Event::new(EventKind::active_loop(None), 0.0),
                slot("requested_slot", Value::Null),
                action("utter_booked"),
                action("action_listen"),
            ],
        );
        let policy = RulePolicy::train(&[submit], &AllSlots);
        let done = [
            action("action_listen"),
            user("book_appointment"),
            action("booking_form"),
            Event::new(EventKind::active_loop(Some("booking_form".into())), 0.0),
            action("action_listen"),
            user("inform"),
            action("booking_form"),
            Event::new(EventKind::active_loop(None), 0.0),
        ];
        assert_eq!(predict(&policy, &done).as_deref(), Some("utter_booked"));
        let still_active = &done[..done.len() - 1];
        assert_ne!(
            predict(&policy, still_active).as_deref(),
            Some("utter_booked"),
            "the form is still active"
        );
    }

    #[test]
    fn contradicting_rules_are_reported() {
        let other = trace(
            "greet differently",
            vec![
                action(RULE_SNIPPET),
                action("action_listen"),
                user("greet"),
                action("utter_hello"),
                action("action_listen"),
            ],
        );
        let policy = RulePolicy::train(&[greet_rule(), other], &AllSlots);
        let found = policy.contradictions();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0.rule, "greet");
        assert_eq!(found[0].1.rule, "greet differently");
    }
}
