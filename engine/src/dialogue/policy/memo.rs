//! Memoization of stories (Rasa's `MemoizationPolicy`), with a back-off that stands in
//! for Rasa's learned policies: when the exact recent history was never seen, shorter
//! histories and then histories without slots are tried, each answering only when the
//! stories agree on one action.

use super::state::{Featurizer, Snapshot, Start, walk};
use super::{Prediction, Trace};
use crate::dialogue::events::{Event, EventKind};
use crate::names::{ActionName, SlotName};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

/// Rasa's default `max_history` for memoization.
pub const DEFAULT_MAX_HISTORY: usize = 5;

/// The name predictions of the back-off carry (it stands in for Rasa's `TEDPolicy`).
pub const BACK_OFF_POLICY: &str = "MemoizationBackoff";

/// A memorised history: the last states, and whether they start the conversation.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
struct Key {
    from_start: bool,
    coarse: bool,
    states: Vec<Snapshot>,
}

/// How often each action followed a history.
type Counts = BTreeMap<ActionName, u32>;

/// The memorised stories.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(from = "Stored", into = "Stored")]
pub struct MemoPolicy {
    max_history: usize,
    table: HashMap<Key, Counts>,
}

/// The serialised form: JSON maps need string keys, so the table is a list.
#[derive(Serialize, Deserialize)]
struct Stored {
    max_history: usize,
    table: Vec<(Key, Counts)>,
}

impl From<Stored> for MemoPolicy {
    fn from(s: Stored) -> Self {
        Self {
            max_history: s.max_history,
            table: s.table.into_iter().collect(),
        }
    }
}

impl From<MemoPolicy> for Stored {
    fn from(m: MemoPolicy) -> Self {
        let mut table: Vec<(Key, Counts)> = m.table.into_iter().collect();
        // A stable order keeps the same data giving byte-identical models.
        table.sort_by(|a, b| {
            (a.0.from_start, a.0.coarse, &a.0.states).cmp(&(
                b.0.from_start,
                b.0.coarse,
                &b.0.states,
            ))
        });
        Self {
            max_history: m.max_history,
            table,
        }
    }
}

impl MemoPolicy {
    /// Memorises every story trace (which start at the conversation's beginning, with the
    /// domain's initial slot values).
    pub fn train(
        stories: &[Trace],
        initial_slots: &BTreeMap<SlotName, Value>,
        featurizer: &dyn Featurizer,
        max_history: usize,
    ) -> Self {
        let max_history = max_history.max(1);
        let mut table: HashMap<Key, Counts> = HashMap::new();
        for story in stories {
            let walk = walk(&story.events, Start::Known(initial_slots), featurizer);
            let states: Vec<Snapshot> = walk.steps.iter().map(|(s, _)| s.clone()).collect();
            let coarse: Vec<Snapshot> = states.iter().map(Snapshot::without_slots).collect();
            for (i, (_, action)) in walk.steps.iter().enumerate() {
                let Some(action) = action else { continue };
                for (is_coarse, states) in [(false, &states), (true, &coarse)] {
                    for key in keys(&states[..=i], max_history, is_coarse) {
                        *table
                            .entry(key)
                            .or_default()
                            .entry(action.clone())
                            .or_default() += 1;
                    }
                }
            }
        }
        Self { max_history, table }
    }

    /// The memorised action for a conversation whose applied events are `events`,
    /// skipping `excluded` actions, tried as Rasa's memoization policies try: the exact
    /// recent history (`MemoizationPolicy`), then the same history with ever more of its
    /// beginning forgotten (`AugmentedMemoizationPolicy`), then Bela's back-off.
    pub fn predict(
        &self,
        events: &[&Event],
        initial_slots: &BTreeMap<SlotName, Value>,
        featurizer: &dyn Featurizer,
        excluded: &[ActionName],
    ) -> Option<Prediction> {
        let states = states_of(events, initial_slots, featurizer);
        if let Some(p) = self.recall(&states, excluded, "MemoizationPolicy") {
            return Some(p);
        }
        let mut previous = states.clone();
        for cut in truncations(events, self.max_history) {
            let truncated = states_of(&events[cut..], initial_slots, featurizer);
            if truncated != previous {
                if let Some(p) = self.recall(&truncated, excluded, "AugmentedMemoizationPolicy") {
                    return Some(p);
                }
                previous = truncated;
            }
        }
        self.back_off(&states, excluded)
    }

    /// The action memorised for exactly these states (the last `max_history` of them),
    /// when the stories agree on it: Rasa forgets histories the stories disagree on.
    fn recall(
        &self,
        states: &[Snapshot],
        excluded: &[ActionName],
        policy: &'static str,
    ) -> Option<Prediction> {
        let key = keys(states, self.max_history, false).into_iter().next()?;
        let (action, share) = majority(self.table.get(&key)?, excluded)?;
        (share >= 1.0).then(|| Prediction {
            action,
            policy,
            confidence: 1.0,
            reason: format!("stories seen with the last {} state(s)", key.states.len()),
        })
    }

    /// Bela's stand-in for Rasa's learned policies: shorter suffixes of the states, then
    /// the same without slots, each answering when most stories agree.
    fn back_off(&self, states: &[Snapshot], excluded: &[ActionName]) -> Option<Prediction> {
        let coarse: Vec<Snapshot> = states.iter().map(Snapshot::without_slots).collect();
        for (is_coarse, states) in [(false, states), (true, coarse.as_slice())] {
            let skip = usize::from(!is_coarse);
            for key in keys(states, self.max_history, is_coarse)
                .into_iter()
                .skip(skip)
            {
                let Some(counts) = self.table.get(&key) else {
                    continue;
                };
                if let Some((action, share)) = majority(counts, excluded) {
                    return Some(Prediction {
                        action,
                        policy: BACK_OFF_POLICY,
                        confidence: 0.9 * share,
                        reason: format!(
                            "stories seen with the last {} state(s){}",
                            key.states.len(),
                            if is_coarse { ", slots ignored" } else { "" }
                        ),
                    });
                }
            }
        }
        None
    }
}

/// The states a conversation's events walk through, the current one last.
fn states_of(
    events: &[&Event],
    initial_slots: &BTreeMap<SlotName, Value>,
    featurizer: &dyn Featurizer,
) -> Vec<Snapshot> {
    let walk = walk(
        events.iter().copied(),
        Start::Known(initial_slots),
        featurizer,
    );
    let mut states: Vec<Snapshot> = walk.steps.into_iter().map(|(s, _)| s).collect();
    states.push(walk.current);
    states
}

/// Where Rasa's `AugmentedMemoizationPolicy` cuts the history before recalling it again
/// (its "back to the future"): at each action of the last `max_history` + 1 actions'
/// events, oldest first. Events before a cut are forgotten, so the truncated
/// conversation starts afresh there: no intent, the slots at their initial values.
fn truncations(events: &[&Event], max_history: usize) -> Vec<usize> {
    let mut actions = 0;
    let mut window = 0;
    for (i, event) in events.iter().enumerate().rev() {
        window = i;
        if matches!(event.kind, EventKind::Action(_)) {
            actions += 1;
            if actions > max_history {
                break;
            }
        }
    }
    (window..events.len())
        .filter(|&i| matches!(events[i].kind, EventKind::Action(_)))
        .collect()
}

/// The keys of a history, most specific first: the last `max_history` states (the whole
/// history, marked as such, when shorter), then ever shorter suffixes.
fn keys(states: &[Snapshot], max_history: usize, coarse: bool) -> Vec<Key> {
    let n = states.len();
    let mut keys = Vec::new();
    if n == 0 {
        return keys;
    }
    let full = n.min(max_history);
    keys.push(Key {
        from_start: n <= max_history,
        coarse,
        states: states[n - full..].to_vec(),
    });
    for h in (1..full).rev() {
        keys.push(Key {
            from_start: false,
            coarse,
            states: states[n - h..].to_vec(),
        });
    }
    keys
}

/// The action most stories took, if more than half did (ignoring `excluded`).
fn majority(counts: &Counts, excluded: &[ActionName]) -> Option<(ActionName, f32)> {
    let total: u32 = counts
        .iter()
        .filter(|(a, _)| !excluded.contains(a))
        .map(|(_, c)| c)
        .sum();
    let (action, count) = counts
        .iter()
        .filter(|(a, _)| !excluded.contains(a))
        .max_by_key(|(_, c)| **c)?;
    let share = *count as f32 / total as f32;
    (share > 0.5).then(|| (action.clone(), share))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialogue::events::Event;
    use crate::dialogue::policy::state::tests::{AllSlots, action, slot, user};
    use serde_json::json;

    fn story(events: Vec<Event>) -> Trace {
        Trace {
            name: "story".into(),
            events,
            conversation_start: true,
        }
    }

    fn predict(policy: &MemoPolicy, events: &[Event]) -> Option<Prediction> {
        let refs: Vec<&Event> = events.iter().collect();
        policy.predict(&refs, &BTreeMap::new(), &AllSlots, &[])
    }

    fn mood_stories() -> Vec<Trace> {
        vec![
            story(vec![
                action("action_listen"),
                user("greet"),
                action("utter_greet"),
                action("action_listen"),
                user("mood_great"),
                action("utter_happy"),
                action("action_listen"),
            ]),
            story(vec![
                action("action_listen"),
                user("greet"),
                action("utter_greet"),
                action("action_listen"),
                user("mood_unhappy"),
                action("utter_cheer_up"),
                action("action_listen"),
            ]),
        ]
    }

    #[test]
    fn exact_histories_are_recalled() {
        let policy = MemoPolicy::train(&mood_stories(), &BTreeMap::new(), &AllSlots, 5);
        let events = [
            action("action_listen"),
            user("greet"),
            action("utter_greet"),
            action("action_listen"),
            user("mood_unhappy"),
        ];
        let p = predict(&policy, &events).expect("recalled");
        assert_eq!(p.action.as_str(), "utter_cheer_up");
        assert_eq!(p.policy, "MemoizationPolicy");
        assert_eq!(p.confidence, 1.0);
    }

    #[test]
    fn unseen_long_histories_back_off_to_recent_states() {
        let policy = MemoPolicy::train(&mood_stories(), &BTreeMap::new(), &AllSlots, 3);
        let mut events = vec![
            action("action_listen"),
            user("greet"),
            action("utter_greet"),
        ];
        for _ in 0..3 {
            events.extend([
                action("action_listen"),
                user("mood_great"),
                action("utter_happy"),
            ]);
        }
        events.extend([action("action_listen"), user("mood_unhappy")]);
        let p = predict(&policy, &events).expect("backed off");
        assert_eq!(p.action.as_str(), "utter_cheer_up");
        assert_eq!(p.policy, BACK_OFF_POLICY);
        assert!(p.confidence < 1.0);
    }

    #[test]
    fn stories_that_start_mid_conversation_are_recalled_after_forgetting_the_past() {
        // As financial-demo's "say ok when user affirms after utter_help": the story
        // starts with an action, so only a conversation cut right there looks like it.
        let mut stories = mood_stories();
        stories.push(story(vec![
            action("utter_help"),
            action("action_listen"),
            user("affirm"),
            action("utter_ok"),
            action("action_listen"),
        ]));
        let policy = MemoPolicy::train(&stories, &BTreeMap::new(), &AllSlots, 5);
        let events = [
            action("action_listen"),
            user("help"),
            slot("vip", json!(true)),
            action("utter_help"),
            action("action_listen"),
            user("greet"),
            action("utter_greet"),
            action("utter_help"),
            action("action_listen"),
            user("affirm"),
        ];
        let p = predict(&policy, &events).expect("recalled");
        assert_eq!(p.action.as_str(), "utter_ok");
        assert_eq!(p.policy, "AugmentedMemoizationPolicy");
        assert_eq!(p.confidence, 1.0);
        assert_eq!(
            truncations(&events.iter().collect::<Vec<_>>(), 2),
            [6, 7, 8]
        );
    }

    #[test]
    fn slots_refine_and_coarse_keys_ignore_them() {
        let stories = vec![
            story(vec![
                action("action_listen"),
                user("book"),
                slot("vip", json!(true)),
                action("utter_vip"),
            ]),
            story(vec![
                action("action_listen"),
                user("book"),
                action("utter_regular"),
            ]),
        ];
        let policy = MemoPolicy::train(&stories, &BTreeMap::new(), &AllSlots, 5);
        let vip = [
            action("action_listen"),
            user("book"),
            slot("vip", json!(true)),
        ];
        assert_eq!(
            predict(&policy, &vip)
                .map(|p| p.action.to_string())
                .as_deref(),
            Some("utter_vip")
        );
        let plain = [action("action_listen"), user("book")];
        assert_eq!(
            predict(&policy, &plain)
                .map(|p| p.action.to_string())
                .as_deref(),
            Some("utter_regular")
        );
        let other = [
            action("action_listen"),
            user("book"),
            slot("vip", json!(false)),
        ];
        assert_eq!(
            predict(&policy, &other),
            None,
            "stories disagree once slots are ignored"
        );
    }

    #[test]
    fn serde_round_trip_keeps_predictions() {
        let policy = MemoPolicy::train(&mood_stories(), &BTreeMap::new(), &AllSlots, 5);
        let json = serde_json::to_string(&policy).expect("serialises");
        let back: MemoPolicy = serde_json::from_str(&json).expect("parses");
        assert!(back == policy, "the table survives");
        assert_eq!(serde_json::to_string(&back).expect("serialises"), json);
    }
}
