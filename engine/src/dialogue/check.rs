//! `bela data validate` for dialogue data: names the domain does not declare, stories
//! that disagree, rules that contradict each other or a story.

use crate::data::{Diagnostic, Location};
use crate::dialogue::domain::Domain;
use crate::dialogue::model::PolicySettings;
use crate::dialogue::policy::rules::RulePolicy;
use crate::dialogue::policy::state::{LoopFeature, Snapshot, Start, walk};
use crate::dialogue::stories::validate::{story_conflicts, undeclared_names};
use crate::dialogue::stories::{DeclaredNames, DialogueData, Limits, StoryGraph, linear_rules};
use crate::dialogue::traces::trace;
use std::collections::BTreeMap;

/// Every problem of `data` against `domain`, located.
pub fn validate_dialogue(
    domain: &Domain,
    data: &DialogueData,
    settings: &PolicySettings,
) -> Vec<Diagnostic> {
    let mut diags = undeclared_names(data, &DeclaredNames::of(domain));
    let graph = StoryGraph::new(&data.stories);
    diags.extend(graph.diagnostics());
    let stories = graph.expand(Limits::default()).stories;
    diags.extend(story_conflicts(&stories, Some(settings.max_history)));

    let rule_traces: Vec<_> = linear_rules(&data.rules, Limits::default())
        .stories
        .iter()
        .map(trace)
        .collect();
    let rules = RulePolicy::train(&rule_traces, domain);
    let rule_location = |name: &str| -> Option<Location> {
        data.rules
            .iter()
            .find(|r| r.name == name)
            .map(|r| r.location.clone())
    };
    for (a, b) in rules.contradictions() {
        if let Some(at) = rule_location(&b.rule) {
            diags.push(Diagnostic::error(
                at,
                format!(
                    "rule '{}' predicts {} where rule '{}' predicts {} after the same conversation",
                    b.rule, b.action, a.rule, a.action
                ),
            ));
        }
    }

    let initial: BTreeMap<_, _> = domain
        .slots
        .values()
        .map(|s| (s.name.clone(), s.initial_value.clone()))
        .collect();
    for story in &stories {
        let events = trace(story).events;
        let walked = walk(&events, Start::Known(&initial), domain);
        let states: Vec<&Snapshot> = walked.steps.iter().map(|(s, _)| s).collect();
        for (i, (state, action)) in walked.steps.iter().enumerate() {
            // While a loop runs, the loop decides before rules do.
            let Some(action) = action else { continue };
            if matches!(state.active_loop, LoopFeature::Active(_)) {
                continue;
            }
            if let Some(entry) = rules.best_entry(&states[..=i], &[])
                && entry.action != *action
            {
                diags.push(Diagnostic::error(
                    story.location.clone(),
                    format!(
                        "rule '{}' predicts {} where story '{}' continues with {}",
                        entry.rule, entry.action, story.name, action
                    ),
                ));
                break;
            }
        }
    }
    diags
}
