//! Checks dialogue data against the domain's names and finds story conflicts, in the
//! manner of `rasa data validate stories`.

use super::graph::{Limits, LinearStory, StoryGraph, Turn};
use super::model::{Alternative, DialogueData, SlotStep, Step, UserStep};
use crate::data::{Diagnostic, Location};
use crate::dialogue::domain::{
    DEFAULT_ACTIONS, DEFAULT_INTENTS, Domain, REQUESTED_SLOT, SESSION_STARTED_METADATA,
};
use crate::names::{ActionName, EntityName, IntentName, SlotName};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// The only loop among Rasa's default actions.
const TWO_STAGE_FALLBACK: &str = "action_two_stage_fallback";

/// Slots Rasa adds to every domain.
const DEFAULT_SLOTS: &[&str] = &[REQUESTED_SLOT, SESSION_STARTED_METADATA];

/// The names a domain declares ([`DeclaredNames::of`]). Rasa's defaults (default
/// actions, intents and slots) count as declared
/// without being listed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeclaredNames {
    /// Intents.
    pub intents: HashSet<IntentName>,
    /// Entity types.
    pub entities: HashSet<EntityName>,
    /// Actions: custom actions, responses (`utter_*`) and forms.
    pub actions: HashSet<ActionName>,
    /// Forms (also actions).
    pub forms: HashSet<ActionName>,
    /// Slots.
    pub slots: HashSet<SlotName>,
}

impl DeclaredNames {
    /// The names `domain` declares: intents, entities, actions (custom actions,
    /// responses, forms), forms and slots.
    pub fn of(domain: &Domain) -> Self {
        Self {
            intents: domain.intent_names().cloned().collect(),
            entities: domain.entity_names().cloned().collect(),
            actions: domain.action_names().into_iter().collect(),
            forms: domain.forms.keys().cloned().collect(),
            slots: domain.slots.keys().cloned().collect(),
        }
    }

    fn has_intent(&self, intent: &IntentName) -> bool {
        // A retrieval intent `faq/ask_price` is declared as `faq`.
        let base = intent.as_str().split('/').next().unwrap_or_default();
        self.intents.contains(intent.as_str())
            || self.intents.contains(base)
            || DEFAULT_INTENTS.contains(&base)
    }

    fn has_action(&self, action: &ActionName) -> bool {
        let name = action.as_str();
        self.actions.contains(name)
            || self.forms.contains(name)
            || DEFAULT_ACTIONS.contains(&name)
            // `utter_faq` answers a retrieval intent from responses `utter_faq/...`.
            || (name.starts_with("utter_") && self.actions.iter().any(|a| {
                a.as_str().strip_prefix(name).is_some_and(|rest| rest.starts_with('/'))
            }))
    }

    fn has_loop(&self, name: &ActionName) -> bool {
        self.forms.contains(name) || name.as_str() == TWO_STAGE_FALLBACK
    }

    fn has_slot(&self, slot: &SlotName) -> bool {
        self.slots.contains(slot.as_str()) || DEFAULT_SLOTS.contains(&slot.as_str())
    }
}

/// Everything `bela data validate` reports on dialogue data: undeclared names (errors),
/// dangling checkpoints and story conflicts over the last `max_history` states
/// (warnings), sorted by place.
pub fn validate(
    data: &DialogueData,
    declared: &DeclaredNames,
    max_history: Option<usize>,
) -> Vec<Diagnostic> {
    let graph = StoryGraph::new(&data.stories);
    let stories = graph.expand(Limits::default()).stories;
    let mut diags = undeclared_names(data, declared);
    diags.extend(graph.diagnostics());
    diags.extend(story_conflicts(&stories, max_history));
    sort_by_place(&mut diags);
    diags
}

/// Sorts diagnostics by file, line and column.
fn sort_by_place(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        (a.location.file.as_ref(), a.location.line, a.location.column).cmp(&(
            b.location.file.as_ref(),
            b.location.line,
            b.location.column,
        ))
    });
}

/// Errors for every intent, entity, action, slot and active loop in `data` that
/// `declared` does not have, at the step that uses it.
pub fn undeclared_names(data: &DialogueData, declared: &DeclaredNames) -> Vec<Diagnostic> {
    let mut check = Check {
        declared,
        diags: Vec::new(),
    };
    for story in &data.stories {
        story.steps.iter().for_each(|s| check.step(s));
    }
    for rule in &data.rules {
        rule.conditions
            .iter()
            .chain(&rule.steps)
            .for_each(|s| check.step(s));
    }
    check.diags
}

struct Check<'d> {
    declared: &'d DeclaredNames,
    diags: Vec<Diagnostic>,
}

impl Check<'_> {
    fn missing(&mut self, at: &Location, what: &str, name: &str) {
        self.diags.push(Diagnostic::error(
            at.clone(),
            format!("{what} `{name}` is not declared in the domain"),
        ));
    }

    fn step(&mut self, step: &Step) {
        match step {
            Step::User(u) => self.user(u),
            Step::Action(a) if !self.declared.has_action(&a.name) => {
                self.missing(&a.location, "action", a.name.as_str());
            }
            Step::Slot(s) => self.slot(s),
            Step::ActiveLoop(l) => {
                // As Rasa's validator: an active loop must be a form of the domain (or
                // the built-in two-stage fallback loop).
                if let Some(name) = l.name.as_ref().filter(|n| !self.declared.has_loop(n)) {
                    self.missing(&l.location, "form", name.as_str());
                }
            }
            Step::Checkpoint(cp) => cp.slots.iter().for_each(|s| self.slot(s)),
            Step::Or(or) => {
                for alternative in &or.alternatives {
                    match alternative {
                        Alternative::User(u) => self.user(u),
                        Alternative::Slots(slots) => slots.iter().for_each(|s| self.slot(s)),
                    }
                }
            }
            Step::Action(_) | Step::Bot(_) => {}
        }
    }

    fn user(&mut self, u: &UserStep) {
        if let Some(intent) = u.intent.as_ref().filter(|i| !self.declared.has_intent(i)) {
            self.missing(&u.location, "intent", intent.as_str());
        }
        for e in &u.entities {
            if !self.declared.entities.contains(&e.entity) {
                self.missing(&e.location, "entity", e.entity.as_str());
            }
        }
        for e in &u.text_entities {
            if !self.declared.entities.contains(&e.entity) {
                self.missing(&u.location, "entity", e.entity.as_str());
            }
        }
    }

    fn slot(&mut self, s: &SlotStep) {
        if !self.declared.has_slot(&s.name) {
            self.missing(&s.location, "slot", s.name.as_str());
        }
    }
}

/// What the bot knows when it picks its next action: the last user message, the
/// previous action, the slots set so far and the active loop.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct State {
    user: Option<(String, BTreeSet<String>)>,
    /// `None` at the start of a conversation.
    previous_action: Option<String>,
    slots: BTreeMap<String, String>,
    active_loop: Option<String>,
}

/// One action prediction seen in a story.
struct Prediction<'s> {
    action: String,
    story: &'s LinearStory,
    location: Location,
}

/// Warnings for story conflicts: two stories reach the same sequence of states (the
/// last `max_history` of them; `None`: the whole conversation) and then go on with
/// different actions, as `rasa data validate stories --max-history` reports.
///
/// Limits of this simple version: states compare slots by exact value, where Rasa
/// featurizes by slot type (a text slot is only "set" or "not set", a slot with
/// `influence_conversation: false` is not seen at all), and rule snippets are not
/// compared (pass stories only, as Rasa's validator does).
pub fn story_conflicts(stories: &[LinearStory], max_history: Option<usize>) -> Vec<Diagnostic> {
    let mut seen: HashMap<Vec<State>, Vec<Prediction>> = HashMap::new();
    for story in stories {
        for (history, action, location) in predictions(story) {
            let start = max_history.map_or(0, |n| history.len().saturating_sub(n));
            seen.entry(history[start..].to_vec())
                .or_default()
                .push(Prediction {
                    action,
                    story,
                    location,
                });
        }
    }
    let mut diags = Vec::new();
    for predictions in seen.values() {
        let Some(first) = predictions.first() else {
            continue;
        };
        for other in predictions.iter().filter(|p| p.action != first.action) {
            diags.push(Diagnostic::warning(
                other.location.clone(),
                format!(
                    "story conflict: after the same conversation, story `{}` predicts `{}` but story `{}` ({}) predicts `{}`",
                    other.story.name, other.action, first.story.name, first.location, first.action
                ),
            ));
        }
    }
    diags.sort_by(|a, b| {
        (a.location.file.as_ref(), a.location.line, a.location.column).cmp(&(
            b.location.file.as_ref(),
            b.location.line,
            b.location.column,
        ))
    });
    diags.dedup();
    diags
}

const LISTEN: &str = "action_listen";

/// Each action of `story` with the states before it and its location. Listening after
/// each user message counts as an action too (the bot predicts `action_listen`).
fn predictions(story: &LinearStory) -> Vec<(Vec<State>, String, Location)> {
    let mut out = Vec::new();
    let mut history: Vec<State> = Vec::new();
    let mut state = State {
        user: None,
        previous_action: None,
        slots: BTreeMap::new(),
        active_loop: None,
    };
    for turn in &story.turns {
        let action = match turn {
            Turn::User(u) => {
                if state
                    .previous_action
                    .as_deref()
                    .is_some_and(|a| a != LISTEN)
                {
                    history.push(state.clone());
                    out.push((history.clone(), LISTEN.to_owned(), u.location.clone()));
                }
                state.previous_action = Some(LISTEN.to_owned());
                let intent = u.base_intent().map(|i| i.as_str().to_owned());
                let label = intent.or_else(|| u.text.clone()).unwrap_or_default();
                let entities = u
                    .entity_names()
                    .iter()
                    .map(|e| e.as_str().to_owned())
                    .collect();
                state.user = Some((label, entities));
                continue;
            }
            Turn::Slot(s) => {
                state
                    .slots
                    .insert(s.name.as_str().to_owned(), s.value.to_json().to_string());
                continue;
            }
            Turn::ActiveLoop(l) => {
                state.active_loop = l.name.as_ref().map(|n| n.as_str().to_owned());
                continue;
            }
            Turn::RuleSnippet => continue,
            Turn::Action(a) => (a.name.as_str().to_owned(), a.location.clone()),
            Turn::Bot(b) => (b.text.clone(), b.location.clone()),
        };
        history.push(state.clone());
        // As Rasa, skip predictions with nothing before them: a story may open with
        // any action.
        if state.user.is_some()
            || state
                .previous_action
                .as_deref()
                .is_some_and(|a| a != LISTEN)
        {
            out.push((history.clone(), action.0.clone(), action.1));
        }
        state.previous_action = Some(action.0);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::graph::StoryGraph;
    use super::super::test_support::parse_ok;
    use super::*;

    fn set<T: From<&'static str> + Eq + std::hash::Hash>(names: &[&'static str]) -> HashSet<T> {
        names.iter().map(|n| T::from(n)).collect()
    }

    fn declared() -> DeclaredNames {
        DeclaredNames {
            intents: set(&["saudar", "agendar", "faq"]),
            entities: set(&["procedimento"]),
            actions: set(&["utter_oi", "action_agendar", "utter_faq/preco"]),
            forms: set(&["agendamento_form"]),
            slots: set(&["procedimento"]),
        }
    }

    #[test]
    fn undeclared_names_are_errors_at_their_step() {
        let (data, _) = parse_ok(
            "stories:\n- story: s\n  steps:\n  - intent: saudar\n  - action: utter_oi\n  - intent: faq/preco\n  - action: action_listen\n  - intent: comprar\n    entities:\n    - cor: azul\n  - user: \"[botox](procedimento) e [laser](tecnica)\"\n  - action: utter_nao_existe\n  - slot_was_set:\n    - procedimento: botox\n    - requested_slot: hora\n    - hora\n  - active_loop: agendamento_form\n  - active_loop: action_agendar\n  - active_loop: null\n  - action: utter_faq\n  - action: utter_fa\n  - active_loop: action_two_stage_fallback\nrules:\n- rule: r\n  condition:\n  - slot_was_set:\n    - cor: azul\n  steps:\n  - or:\n    - intent: nlu_fallback\n    - intent: sei_la\n  - action: agendamento_form\n",
        );
        let found: Vec<String> = undeclared_names(&data, &declared())
            .iter()
            .map(|d| format!("{}:{} {}", d.location.line, d.location.column, d.message))
            .collect();
        assert_eq!(
            found,
            [
                "8:5 intent `comprar` is not declared in the domain",
                "10:7 entity `cor` is not declared in the domain",
                "11:5 entity `tecnica` is not declared in the domain",
                "12:5 action `utter_nao_existe` is not declared in the domain",
                "16:7 slot `hora` is not declared in the domain",
                "18:5 form `action_agendar` is not declared in the domain",
                "21:5 action `utter_fa` is not declared in the domain",
                "27:7 slot `cor` is not declared in the domain",
                "31:7 intent `sei_la` is not declared in the domain",
            ]
        );
    }

    #[test]
    fn validate_gathers_every_check() {
        let yaml =
            format!("{TWO_ENDINGS}- story: d\n  steps:\n  - intent: sair\n  - checkpoint: nada\n");
        let (data, _) = parse_ok(&yaml);
        let found: Vec<String> = validate(&data, &declared(), None)
            .iter()
            .map(|d| format!("{} {:?}", d.location.line, d.severity))
            .collect();
        assert_eq!(found, ["13 Warning", "18 Warning", "20 Error"]);
    }

    fn conflicts(yaml: &str, max_history: Option<usize>) -> Vec<String> {
        let (data, _) = parse_ok(yaml);
        let stories = StoryGraph::new(&data.stories).linear_stories();
        story_conflicts(&stories, max_history)
            .iter()
            .map(|d| format!("{}: {}", d.location.line, d.message))
            .collect()
    }

    const TWO_ENDINGS: &str = "stories:\n- story: a\n  steps:\n  - intent: saudar\n  - action: utter_oi\n  - intent: agendar\n  - action: action_agendar\n- story: b\n  steps:\n  - intent: saudar\n  - action: utter_oi\n  - intent: agendar\n  - action: utter_oi\n- story: c\n  steps:\n  - intent: agendar\n  - action: utter_oi\n";

    #[test]
    fn same_history_with_different_actions_conflicts() {
        assert_eq!(
            conflicts(TWO_ENDINGS, None),
            [
                "13: story conflict: after the same conversation, story `b` predicts `utter_oi` but story `a` (stories.yml:7:5) predicts `action_agendar`"
            ]
        );
        // With one state of history, `c`'s opening looks like the end of `a` too.
        let short = conflicts(TWO_ENDINGS, Some(1));
        assert_eq!(short.len(), 2, "{short:?}");
        assert!(
            short[1].starts_with("17: story conflict") && short[1].contains("story `c`"),
            "{short:?}"
        );
    }

    #[test]
    fn no_conflict_when_histories_differ_or_nothing_precedes() {
        let yaml = "stories:\n- story: a\n  steps:\n  - intent: saudar\n  - action: utter_oi\n- story: b\n  steps:\n  - intent: agendar\n  - action: action_agendar\n- story: c\n  steps:\n  - action: utter_oi\n- story: d\n  steps:\n  - action: action_agendar\n- story: e\n  steps:\n  - intent: saudar\n  - slot_was_set:\n    - procedimento: botox\n  - action: action_agendar\n";
        assert_eq!(conflicts(yaml, None), Vec::<String>::new());
    }
}
