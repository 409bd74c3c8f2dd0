//! Expands stories into linear training conversations, as Rasa's `StoryGraph` and
//! training data generator do with augmentation off: a story ending in a checkpoint
//! continues with every story starting with it, and `or` fans out into one path per
//! alternative. Rules become linear conversations too, with Rasa's `...` marker where
//! anything may come before or after.
//!
//! A start checkpoint's `slot_was_set` conditions let only paths with those slot values
//! through. A path that nothing continues (a checkpoint no story starts with, or unmet
//! conditions) ends there and is kept.
//!
//! Guards: a path never re-enters a story part it already went through (a checkpoint
//! cycle ends the path there), and expansion
//! stops at [`Limits::max_stories`], `or` fan-out included.

use super::model::{
    ActionStep, ActiveLoopStep, Alternative, BotStep, CheckpointStep, Rule, SlotStep, SlotValue,
    Step, Story, UserStep,
};
use crate::data::{Diagnostic, Location};
use std::collections::BTreeSet;

/// One event of a linear conversation.
///
/// A user turn implies that the bot listened (`action_listen`) just before it, as in
/// Rasa's trackers; the turns do not spell that action out.
#[derive(Debug, Clone, PartialEq)]
pub enum Turn {
    /// The user said something.
    User(UserStep),
    /// The bot ran an action.
    Action(ActionStep),
    /// The bot said an end-to-end text.
    Bot(BotStep),
    /// A slot was set.
    Slot(SlotStep),
    /// A loop (form) was activated, or deactivated (`name: None`).
    ActiveLoop(ActiveLoopStep),
    /// Rasa's rule snippet action `...`: any conversation may be here. Rules start with
    /// it unless `conversation_start: true`, and end with it when
    /// `wait_for_user_input: false`.
    RuleSnippet,
}

/// Rasa's name for the rule snippet action ([`Turn::RuleSnippet`]).
pub const RULE_SNIPPET_ACTION: &str = "...";

/// Where a linear conversation came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Stories (one, or several joined by checkpoints).
    Story,
    /// A rule.
    Rule {
        /// The rule applies only at the start of a conversation.
        conversation_start: bool,
        /// The bot listens after the rule's last action.
        wait_for_user_input: bool,
    },
}

/// A conversation without branches, ready for a policy to train on or a test to walk.
#[derive(Debug, Clone, PartialEq)]
pub struct LinearStory {
    /// The story's name; parts joined by checkpoints are named `a > b`.
    pub name: String,
    /// Where the (first) story or the rule starts.
    pub location: Location,
    /// Story or rule.
    pub origin: Origin,
    /// The turns, in order.
    pub turns: Vec<Turn>,
}

/// Caps on the expansion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// At most this many linear stories are produced.
    pub max_stories: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_stories: 10_000,
        }
    }
}

/// The result of an expansion.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Expansion {
    /// The linear stories.
    pub stories: Vec<LinearStory>,
    /// True when [`Limits::max_stories`] cut the expansion short.
    pub truncated: bool,
}

/// A part of a story between checkpoints.
#[derive(Debug, Clone, PartialEq)]
struct Part {
    name: String,
    location: Location,
    /// Checkpoints it starts from, with their slot conditions; empty: the start of a
    /// conversation.
    start: Vec<CheckpointStep>,
    /// Checkpoints it ends in; empty: the conversation ends here.
    end: Vec<String>,
    steps: Vec<Step>,
}

/// Stories split at their checkpoints, ready to expand.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StoryGraph {
    parts: Vec<Part>,
}

impl StoryGraph {
    /// Builds the graph of `stories`.
    pub fn new(stories: &[Story]) -> Self {
        Self {
            parts: stories.iter().flat_map(split).collect(),
        }
    }

    /// All linear stories, with the default [`Limits`].
    pub fn linear_stories(&self) -> Vec<LinearStory> {
        self.expand(Limits::default()).stories
    }

    /// All linear stories within `limits`.
    pub fn expand(&self, limits: Limits) -> Expansion {
        let mut walk = Walk {
            graph: self,
            limits,
            out: Expansion::default(),
            path: Vec::new(),
        };
        for (i, part) in self.parts.iter().enumerate() {
            if part.start.is_empty() {
                walk.part(i, Vec::new());
            }
        }
        walk.out
    }

    /// Warnings about checkpoints: ones no story starts with (paths end there) and ones
    /// no story ends with (their stories are never used).
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        let starts: BTreeSet<&str> = self
            .parts
            .iter()
            .flat_map(|p| p.start.iter().map(|c| c.name.as_str()))
            .collect();
        let ends: BTreeSet<&str> = self
            .parts
            .iter()
            .flat_map(|p| p.end.iter().map(String::as_str))
            .collect();
        let mut diags = Vec::new();
        for part in &self.parts {
            for cp in part.end.iter().filter(|c| !starts.contains(c.as_str())) {
                diags.push(Diagnostic::warning(
                    part.location.clone(),
                    format!(
                        "no story starts with checkpoint `{cp}`, which story `{}` ends in",
                        part.name
                    ),
                ));
            }
            for cp in part
                .start
                .iter()
                .map(|c| &c.name)
                .filter(|c| !ends.contains(c.as_str()))
            {
                diags.push(Diagnostic::warning(
                    part.location.clone(),
                    format!(
                        "no story ends in checkpoint `{cp}`, so story `{}` is never used",
                        part.name
                    ),
                ));
            }
        }
        diags
    }
}

/// Linear conversations for rules, in Rasa's encoding: conditions, then
/// [`Turn::RuleSnippet`] unless the rule is for the conversation start, then the steps,
/// then [`Turn::RuleSnippet`] when the rule does not wait for user input. `or` fans out.
pub fn linear_rules(rules: &[Rule], limits: Limits) -> Expansion {
    let mut out = Expansion::default();
    for rule in rules {
        let mut head: Vec<Vec<Turn>> = vec![Vec::new()];
        for step in &rule.conditions {
            head = extend_paths(head, step);
            cap(&mut head, limits, &mut out.truncated);
        }
        if !rule.conversation_start {
            head.iter_mut().for_each(|p| p.push(Turn::RuleSnippet));
        }
        for step in &rule.steps {
            head = extend_paths(head, step);
            cap(&mut head, limits, &mut out.truncated);
        }
        if !rule.wait_for_user_input {
            head.iter_mut().for_each(|p| p.push(Turn::RuleSnippet));
        }
        for turns in head {
            if out.stories.len() >= limits.max_stories {
                out.truncated = true;
                return out;
            }
            out.stories.push(LinearStory {
                name: rule.name.clone(),
                location: rule.location.clone(),
                origin: Origin::Rule {
                    conversation_start: rule.conversation_start,
                    wait_for_user_input: rule.wait_for_user_input,
                },
                turns,
            });
        }
    }
    out
}

/// Splits a story at its checkpoints into parts.
fn split(story: &Story) -> Vec<Part> {
    let new_part = |start: Vec<CheckpointStep>, location: Location| Part {
        name: story.name.clone(),
        location,
        start,
        end: Vec::new(),
        steps: Vec::new(),
    };
    let mut parts = Vec::new();
    let mut current = new_part(Vec::new(), story.location.clone());
    for step in &story.steps {
        match step {
            Step::Checkpoint(cp) if current.steps.is_empty() && current.end.is_empty() => {
                current.start.push(cp.clone());
            }
            Step::Checkpoint(cp) => current.end.push(cp.name.clone()),
            other => {
                if !current.end.is_empty() {
                    // Conditions belong to start checkpoints only, as in Rasa.
                    let start = current
                        .end
                        .iter()
                        .map(|name| CheckpointStep {
                            name: name.clone(),
                            slots: Vec::new(),
                            location: other.location().clone(),
                        })
                        .collect();
                    let next = new_part(start, other.location().clone());
                    parts.push(std::mem::replace(&mut current, next));
                }
                current.steps.push(other.clone());
            }
        }
    }
    parts.push(current);
    parts
}

/// Keeps at most [`Limits::max_stories`] paths, so `or` cannot explode before the
/// finished stories are counted.
fn cap(paths: &mut Vec<Vec<Turn>>, limits: Limits, truncated: &mut bool) {
    if paths.len() > limits.max_stories {
        paths.truncate(limits.max_stories);
        *truncated = true;
    }
}

/// Appends `step` to every path; `or` multiplies the paths.
fn extend_paths(paths: Vec<Vec<Turn>>, step: &Step) -> Vec<Vec<Turn>> {
    let Step::Or(or) = step else {
        let turn = turn_of(step);
        return paths
            .into_iter()
            .map(|mut p| {
                p.extend(turn.clone());
                p
            })
            .collect();
    };
    let mut out = Vec::with_capacity(paths.len() * or.alternatives.len());
    for path in paths {
        for alternative in &or.alternatives {
            let mut p = path.clone();
            match alternative {
                Alternative::User(u) => p.push(Turn::User(u.clone())),
                Alternative::Slots(slots) => p.extend(slots.iter().cloned().map(Turn::Slot)),
            }
            out.push(p);
        }
    }
    out
}

/// The turn a step that is not `or` stands for (none for a checkpoint).
fn turn_of(step: &Step) -> Option<Turn> {
    Some(match step {
        Step::User(u) => Turn::User(u.clone()),
        Step::Action(a) => Turn::Action(a.clone()),
        Step::Bot(b) => Turn::Bot(b.clone()),
        Step::Slot(s) => Turn::Slot(s.clone()),
        Step::ActiveLoop(l) => Turn::ActiveLoop(l.clone()),
        Step::Checkpoint(_) | Step::Or(_) => return None,
    })
}

/// Whether the slots set in `turns` meet a checkpoint's conditions: each slot's last
/// value equals the condition's (a bare name: any value but null), as Rasa's
/// checkpoint filter does.
fn conditions_hold(conditions: &[SlotStep], turns: &[Turn]) -> bool {
    conditions.iter().all(|condition| {
        let value = turns.iter().rev().find_map(|t| match t {
            Turn::Slot(s) if s.name == condition.name => Some(s.value.to_json()),
            _ => None,
        });
        match (&condition.value, value) {
            (SlotValue::Filled, Some(v)) => !v.is_null(),
            (SlotValue::Filled, None) => false,
            (SlotValue::Value(want), Some(v)) => *want == v,
            // An unset slot is null.
            (SlotValue::Value(want), None) => want.is_null(),
        }
    })
}

/// A depth-first walk over the parts.
struct Walk<'g> {
    graph: &'g StoryGraph,
    limits: Limits,
    out: Expansion,
    /// The parts on the current path, to stop at cycles.
    path: Vec<usize>,
}

impl Walk<'_> {
    /// Whether no more stories may be added.
    fn full(&mut self) -> bool {
        if self.out.stories.len() >= self.limits.max_stories {
            self.out.truncated = true;
        }
        self.out.stories.len() >= self.limits.max_stories
    }

    /// Continues `prefix` through part `i` and whatever follows it.
    fn part(&mut self, i: usize, prefix: Vec<Turn>) {
        let graph = self.graph;
        let part = &graph.parts[i];
        self.path.push(i);
        let mut paths = vec![prefix];
        for step in &part.steps {
            paths = extend_paths(paths, step);
            // Cap the fan-out of `or` too, not only the finished stories.
            cap(&mut paths, self.limits, &mut self.out.truncated);
        }
        // The parts this one leads to, each with the checkpoints it is entered by.
        let next: Vec<(usize, Vec<&CheckpointStep>)> = graph
            .parts
            .iter()
            .enumerate()
            .filter(|(j, _)| !self.path.contains(j))
            .filter_map(|(j, p)| {
                let entries: Vec<&CheckpointStep> = p
                    .start
                    .iter()
                    .filter(|c| part.end.contains(&c.name))
                    .collect();
                (!entries.is_empty()).then_some((j, entries))
            })
            .collect();
        for turns in paths {
            let mut continued = false;
            for (j, entries) in &next {
                if self.full() {
                    break;
                }
                if entries.iter().any(|c| conditions_hold(&c.slots, &turns)) {
                    continued = true;
                    self.part(*j, turns.clone());
                }
            }
            // A path no part continues (a dangling checkpoint, or unmet conditions)
            // is still a conversation worth training on.
            if !continued && !self.full() {
                self.finish(turns);
            }
        }
        self.path.pop();
    }

    fn finish(&mut self, turns: Vec<Turn>) {
        let graph = self.graph;
        // Parts of one story that a checkpoint splits keep one name.
        let mut part_names: Vec<&str> = self
            .path
            .iter()
            .map(|&i| graph.parts[i].name.as_str())
            .collect();
        part_names.dedup();
        let name = part_names.join(" > ");
        let location = self
            .path
            .first()
            .map(|&i| graph.parts[i].location.clone())
            .unwrap_or_else(|| Location::new(Default::default(), 1, 1));
        self.out.stories.push(LinearStory {
            name,
            location,
            origin: Origin::Story,
            turns,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::parse_ok;
    use super::*;

    /// A compact picture of a linear story: intents as `*name`, actions by name,
    /// slots as `name=value`, `...` for snippets.
    fn picture(story: &LinearStory) -> String {
        story
            .turns
            .iter()
            .map(|t| match t {
                Turn::User(u) => format!("*{}", u.intent.as_ref().map_or("?", |i| i.as_str())),
                Turn::Action(a) => a.name.to_string(),
                Turn::Bot(b) => format!("\"{}\"", b.text),
                Turn::Slot(s) => format!("{}={}", s.name, s.value.to_json()),
                Turn::ActiveLoop(l) => {
                    format!("loop:{}", l.name.as_ref().map_or("null", |n| n.as_str()))
                }
                Turn::RuleSnippet => RULE_SNIPPET_ACTION.to_owned(),
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn pictures(yaml: &str, limits: Limits) -> (Vec<(String, String)>, bool) {
        let (data, _) = parse_ok(yaml);
        let expansion = StoryGraph::new(&data.stories).expand(limits);
        let out = expansion
            .stories
            .iter()
            .map(|s| (s.name.clone(), picture(s)))
            .collect();
        (out, expansion.truncated)
    }

    #[test]
    fn checkpoints_join_stories() {
        let yaml = "stories:\n- story: início\n  steps:\n  - intent: saudar\n  - action: utter_oi\n  - checkpoint: menu\n- story: preço\n  steps:\n  - checkpoint: menu\n  - intent: preco\n  - action: utter_preco\n- story: agendar\n  steps:\n  - checkpoint: menu\n  - intent: agendar\n  - action: agendamento_form\n  - checkpoint: fim\n  - action: utter_tchau\n";
        let (stories, truncated) = pictures(yaml, Limits::default());
        assert!(!truncated);
        assert_eq!(
            stories,
            [
                (
                    "início > preço".to_owned(),
                    "*saudar utter_oi *preco utter_preco".to_owned()
                ),
                (
                    "início > agendar".to_owned(),
                    "*saudar utter_oi *agendar agendamento_form utter_tchau".to_owned()
                ),
            ]
        );
    }

    #[test]
    fn checkpoint_conditions_filter_paths() {
        let yaml = "stories:\n- story: pergunta\n  steps:\n  - intent: agendar\n  - or:\n    - slot_was_set:\n      - cliente: true\n    - slot_was_set:\n      - cliente: false\n  - checkpoint: tipo\n- story: cliente\n  steps:\n  - checkpoint: tipo\n    slot_was_set:\n    - cliente: true\n  - action: utter_bem_vindo_de_volta\n- story: novo\n  steps:\n  - checkpoint: tipo\n    slot_was_set:\n    - cliente: false\n  - action: utter_cadastro\n";
        let (stories, _) = pictures(yaml, Limits::default());
        assert_eq!(
            stories,
            [
                (
                    "pergunta > cliente".to_owned(),
                    "*agendar cliente=true utter_bem_vindo_de_volta".to_owned()
                ),
                (
                    "pergunta > novo".to_owned(),
                    "*agendar cliente=false utter_cadastro".to_owned()
                ),
            ]
        );
    }

    #[test]
    fn or_fans_out() {
        let yaml = "stories:\n- story: s\n  steps:\n  - or:\n    - intent: a\n    - intent: b\n  - action: utter_x\n  - or:\n    - slot_was_set:\n      - ok: true\n    - slot_was_set:\n      - ok: false\n  - action: utter_y\n";
        let (stories, _) = pictures(yaml, Limits::default());
        let pics: Vec<&str> = stories.iter().map(|(_, p)| p.as_str()).collect();
        assert_eq!(
            pics,
            [
                "*a utter_x ok=true utter_y",
                "*a utter_x ok=false utter_y",
                "*b utter_x ok=true utter_y",
                "*b utter_x ok=false utter_y"
            ]
        );
    }

    #[test]
    fn cycles_end_the_path() {
        let yaml = "stories:\n- story: a\n  steps:\n  - intent: x\n  - checkpoint: loop\n- story: b\n  steps:\n  - checkpoint: loop\n  - intent: y\n  - action: utter_y\n  - checkpoint: loop\n";
        let (stories, truncated) = pictures(yaml, Limits::default());
        assert!(!truncated);
        assert_eq!(stories, [("a > b".to_owned(), "*x *y utter_y".to_owned())]);
    }

    #[test]
    fn expansion_is_capped() {
        let or = "  - or:\n    - intent: a\n    - intent: b\n    - intent: c\n";
        let yaml = format!("stories:\n- story: s\n  steps:\n{}", or.repeat(12));
        let (stories, truncated) = pictures(&yaml, Limits { max_stories: 100 });
        assert!(truncated);
        assert_eq!(stories.len(), 100);
        let (all, truncated) = pictures(
            &yaml[..yaml.len() - 9 * or.len()],
            Limits { max_stories: 100 },
        );
        assert!(!truncated);
        assert_eq!(all.len(), 27);
    }

    #[test]
    fn rules_get_snippet_markers() {
        let (data, _) = parse_ok(
            "rules:\n- rule: início\n  conversation_start: true\n  steps:\n  - intent: saudar\n  - action: utter_oi\n- rule: form\n  condition:\n  - active_loop: f\n  wait_for_user_input: false\n  steps:\n  - or:\n    - intent: a\n    - intent: b\n  - action: f\n",
        );
        let expansion = linear_rules(&data.rules, Limits::default());
        let pics: Vec<String> = expansion.stories.iter().map(picture).collect();
        assert_eq!(
            pics,
            [
                "*saudar utter_oi",
                "loop:f ... *a f ...",
                "loop:f ... *b f ..."
            ]
        );
        assert_eq!(
            expansion.stories[1].origin,
            Origin::Rule {
                conversation_start: false,
                wait_for_user_input: false
            }
        );
    }

    #[test]
    fn dangling_checkpoints_are_reported() {
        let (data, _) = parse_ok(
            "stories:\n- story: a\n  steps:\n  - intent: x\n  - checkpoint: nunca_começa\n- story: b\n  steps:\n  - checkpoint: nunca_termina\n  - intent: y\n",
        );
        let graph = StoryGraph::new(&data.stories);
        let messages: Vec<String> = graph
            .diagnostics()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            messages,
            [
                "stories.yml:2:3: warning: no story starts with checkpoint `nunca_começa`, which story `a` ends in",
                "stories.yml:6:3: warning: no story ends in checkpoint `nunca_termina`, so story `b` is never used",
            ]
        );
        // The dangling end still gives a conversation; the unreachable story none.
        let pics: Vec<String> = graph.linear_stories().iter().map(picture).collect();
        assert_eq!(pics, ["*x"]);
    }
}
