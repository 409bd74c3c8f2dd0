//! Rasa 1.x/2.x Markdown stories: `## name`, `* intent{"entity": "value"}` (or
//! `* intent: text with [markup](entity)` in end-to-end test stories, or
//! `* a OR b`), `  - action`, `  - slot{"name": value}`, `  - form{"name": f}` /
//! `  - active_loop{"name": f}`, `> checkpoint` and `<!-- -->` comments.

use super::model::{
    ActionStep, ActiveLoopStep, Alternative, CheckpointStep, DialogueData, OrStep, SlotStep,
    SlotValue, Step, Story, StoryEntity, UserStep,
};
use crate::data::markdown::blank_comments;
use crate::data::{Diagnostic, Location, markup};
use crate::names::{ActionName, EntityName, IntentName, SlotName};
use std::path::Path;
use std::sync::Arc;

/// True when `text` looks like Markdown stories: a `## ` header and a `* ` user line,
/// and no NLU section.
pub fn is_stories(text: &str) -> bool {
    !crate::data::markdown::is_nlu(text)
        && text.lines().any(|l| l.starts_with("## "))
        && text.lines().any(|l| l.trim_start().starts_with("* "))
}

/// Parses Markdown stories `text`; `path` names the file in diagnostics.
pub fn parse(text: &str, path: &Path) -> (DialogueData, Vec<Diagnostic>) {
    let file = Arc::new(path.to_path_buf());
    let mut diags = Vec::new();
    let text = blank_comments(text, &file, &mut diags);
    let mut data = DialogueData::default();
    for (i, raw) in text.lines().enumerate() {
        let indent = raw.chars().take_while(|c| c.is_whitespace()).count();
        let at = Location::new(file.clone(), i + 1, indent + 1);
        let line = raw.trim();
        if let Some(name) = line.strip_prefix("## ") {
            data.stories.push(Story {
                name: name.trim().to_owned(),
                location: at,
                steps: Vec::new(),
                metadata: None,
            });
            continue;
        }
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some(story) = data.stories.last_mut() else {
            diags.push(Diagnostic::error(
                at,
                "a story line before any `## story name` header",
            ));
            continue;
        };
        let step = if let Some(rest) = line.strip_prefix("* ") {
            user_line(rest, &at, &mut diags)
        } else if let Some(rest) = line.strip_prefix("- ") {
            action_line(rest.trim(), &at, &mut diags)
        } else if let Some(rest) = line.strip_prefix('>') {
            Some(Step::Checkpoint(CheckpointStep {
                name: rest.trim().to_owned(),
                slots: Vec::new(),
                location: at,
            }))
        } else {
            diags.push(Diagnostic::error(
                at,
                "expected `* intent`, `- action` or `> checkpoint` in a Markdown story",
            ));
            None
        };
        story.steps.extend(step);
    }
    (data, diags)
}

/// `* intent{...}`, `* intent: text` or `* a OR b`.
fn user_line(rest: &str, at: &Location, diags: &mut Vec<Diagnostic>) -> Option<Step> {
    let offset = 2;
    let mut users = Vec::new();
    for part in rest.split(" OR ") {
        users.push(user_message(part.trim(), &at.shifted(offset), diags)?);
    }
    if users.len() == 1 {
        return users.pop().map(Step::User);
    }
    Some(Step::Or(OrStep {
        alternatives: users.into_iter().map(Alternative::User).collect(),
        location: at.clone(),
    }))
}

fn user_message(part: &str, at: &Location, diags: &mut Vec<Diagnostic>) -> Option<UserStep> {
    let (head, text) = match part.split_once(": ") {
        Some((head, text)) if !head.contains('{') => (head, Some(text.trim())),
        _ => (part, None),
    };
    let (intent, attrs) = name_and_json(head, at, diags)?;
    let entities = attrs
        .iter()
        .map(|(k, v)| StoryEntity {
            entity: EntityName::new(k.as_str()),
            value: Some(v.as_str().map_or_else(|| v.to_string(), str::to_owned)),
            role: None,
            group: None,
            location: at.clone(),
        })
        .collect();
    let mut step = UserStep {
        intent: Some(IntentName::new(intent)),
        entities,
        text: None,
        text_entities: Vec::new(),
        metadata: None,
        location: at.clone(),
    };
    if let Some(text) = text {
        let start = at.shifted(head.chars().count() + 2);
        let m = markup::parse_reporting(text, |c| start.shifted(c), diags)?;
        step.text = Some(m.text);
        step.text_entities = m.entities;
    }
    Some(step)
}

/// `- action`, `- slot{"name": value}`, `- form{"name": f}`, `- active_loop{"name": f}`.
fn action_line(rest: &str, at: &Location, diags: &mut Vec<Diagnostic>) -> Option<Step> {
    let at = at.shifted(2);
    let (name, attrs) = name_and_json(rest, &at, diags)?;
    match name {
        "slot" => {
            let Some((slot, value)) = attrs.into_iter().next() else {
                diags.push(Diagnostic::error(
                    at,
                    "`- slot{...}` needs `{\"slot_name\": value}`",
                ));
                return None;
            };
            Some(Step::Slot(SlotStep {
                name: SlotName::new(slot),
                value: SlotValue::Value(value),
                location: at,
            }))
        }
        "form" | "active_loop" => {
            let name = attrs
                .get("name")
                .and_then(|v| v.as_str())
                .map(ActionName::new);
            Some(Step::ActiveLoop(ActiveLoopStep { name, location: at }))
        }
        _ if !attrs.is_empty() => {
            diags.push(Diagnostic::error(
                at,
                format!(
                    "`- {name}{{...}}`: only `slot`, `form` and `active_loop` events take arguments"
                ),
            ));
            None
        }
        _ => Some(Step::Action(ActionStep {
            name: ActionName::new(name),
            location: at,
        })),
    }
}

/// `name` or `name{json object}`.
fn name_and_json<'t>(
    text: &'t str,
    at: &Location,
    diags: &mut Vec<Diagnostic>,
) -> Option<(&'t str, serde_json::Map<String, serde_json::Value>)> {
    let Some(open) = text.find('{') else {
        return Some((text.trim(), serde_json::Map::new()));
    };
    let name = text[..open].trim();
    match serde_json::from_str::<serde_json::Value>(&text[open..]) {
        Ok(serde_json::Value::Object(map)) => Some((name, map)),
        Ok(_) => {
            diags.push(Diagnostic::error(
                at.clone(),
                "expected a JSON object after the name",
            ));
            None
        }
        Err(e) => {
            let column = text[..open].chars().count() + e.column().saturating_sub(1);
            diags.push(Diagnostic::error(
                at.shifted(column),
                format!("invalid JSON after `{name}`: {e}"),
            ));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STORIES: &str = "<!-- comentário -->\n## caminho feliz\n> inicio\n* saudar{\"nome\": \"Ana\"}\n  - utter_oi\n  - slot{\"nome\": \"Ana\"}\n* agendar OR marcar\n  - form{\"name\": \"agendamento_form\"}\n  - form{\"name\": null}\n> fim\n\n## teste e2e\n* agendar: quero [botox](procedimento)\n  - utter_ok\n";

    #[test]
    fn reads_markdown_stories() {
        assert!(is_stories(STORIES));
        assert!(!is_stories("## intent:oi\n- oi\n"));
        let (data, diags) = parse(STORIES, Path::new("stories.md"));
        assert!(diags.is_empty(), "{diags:?}");
        let [happy, e2e] = data.stories.as_slice() else {
            panic!("{:?}", data.stories)
        };
        assert_eq!(happy.name, "caminho feliz");
        assert_eq!(happy.steps.len(), 8);
        assert!(matches!(&happy.steps[0], Step::Checkpoint(c) if c.name == "inicio"));
        let Step::User(u) = &happy.steps[1] else {
            panic!("{:?}", happy.steps[1])
        };
        assert_eq!(u.intent.as_ref().map(|i| i.as_str()), Some("saudar"));
        assert_eq!(u.entities[0].value.as_deref(), Some("Ana"));
        assert!(
            matches!(&happy.steps[3], Step::Slot(s) if s.value == SlotValue::Value("Ana".into()))
        );
        assert!(matches!(&happy.steps[4], Step::Or(o) if o.alternatives.len() == 2));
        assert!(matches!(&happy.steps[5], Step::ActiveLoop(l) if l.name.is_some()));
        assert!(matches!(&happy.steps[6], Step::ActiveLoop(l) if l.name.is_none()));
        assert!(matches!(&happy.steps[7], Step::Checkpoint(c) if c.name == "fim"));
        let Step::User(u) = &e2e.steps[0] else {
            panic!("{:?}", e2e.steps[0])
        };
        assert_eq!(u.text.as_deref(), Some("quero botox"));
        assert_eq!(u.text_entities[0].entity.as_str(), "procedimento");
    }

    #[test]
    fn problems_are_located() {
        let (_, diags) = parse(
            "* oi\n## s\n* oi{\"a\": }\n  - utter_x{\"a\": 1}\nfoo\n",
            Path::new("s.md"),
        );
        let at: Vec<String> = diags
            .iter()
            .map(|d| format!("{}:{}", d.location.line, d.location.column))
            .collect();
        assert_eq!(at, ["1:1", "3:11", "4:5", "5:1"], "{diags:?}");
        assert!(
            diags[1].message.starts_with("invalid JSON after `oi`"),
            "{}",
            diags[1].message
        );
    }
}
