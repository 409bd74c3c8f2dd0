//! Writes linear stories back as Rasa 3.x YAML, optionally with Rasa's failure comments
//! (`# predicted: ...` after the wrong step), the format of `failed_test_stories.yml`.

use super::graph::{LinearStory, Turn};
use super::model::{SlotValue, UserStep};
use crate::data::markup;
use crate::names::{ActionName, IntentName};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// The training data format version written in the header.
pub const FORMAT_VERSION: &str = "3.1";

/// Why a test turn failed: the comment written after it.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    /// The policy predicted another action: `# predicted: action_x`.
    Action {
        /// The predicted action (or bot text).
        predicted: ActionName,
    },
    /// NLU understood the message differently: `# predicted: intent: text` with the
    /// predicted entities marked up in the text.
    Message {
        /// The predicted intent.
        intent: IntentName,
        /// The message text with the predicted entities as markup
        /// ([`crate::data::markup::render`]).
        marked_up_text: String,
    },
}

impl Failure {
    /// The comment text, without `# `.
    pub fn comment(&self) -> String {
        match self {
            Failure::Action { predicted } => format!("predicted: {predicted}"),
            Failure::Message {
                intent,
                marked_up_text,
            } => format!("predicted: {intent}: {marked_up_text}"),
        }
    }
}

/// A story to write, with failures keyed by turn position.
#[derive(Debug, Clone, PartialEq)]
pub struct AnnotatedStory<'s> {
    /// The story.
    pub story: &'s LinearStory,
    /// Failures at turn positions (see the `index` of test expectations).
    pub failures: BTreeMap<usize, Failure>,
}

/// Writes `stories` as a YAML stories file. User steps are written test-story style:
/// `intent`, then `user` with the entity markup when the step has text.
pub fn write_stories(stories: &[AnnotatedStory]) -> String {
    let mut out = format!("version: \"{FORMAT_VERSION}\"\nstories:\n");
    for annotated in stories {
        let story = annotated.story;
        let _ = writeln!(out, "- story: {}", scalar(&story.name));
        out.push_str("  steps:\n");
        for (i, turn) in story.turns.iter().enumerate() {
            let comment = annotated
                .failures
                .get(&i)
                .map(|f| format!("  # {}", f.comment()))
                .unwrap_or_default();
            write_turn(&mut out, turn, &comment);
        }
    }
    out
}

fn write_turn(out: &mut String, turn: &Turn, comment: &str) {
    match turn {
        Turn::User(u) => write_user(out, u, comment),
        Turn::Action(a) => {
            let _ = writeln!(out, "  - action: {}{comment}", scalar(a.name.as_str()));
        }
        Turn::Bot(b) => {
            let _ = writeln!(out, "  - bot: {}{comment}", scalar(&b.text));
        }
        Turn::Slot(s) => {
            let _ = writeln!(out, "  - slot_was_set:{comment}");
            match &s.value {
                SlotValue::Filled => {
                    let _ = writeln!(out, "    - {}", scalar(s.name.as_str()));
                }
                SlotValue::Value(v) => {
                    let _ = writeln!(out, "    - {}: {}", scalar(s.name.as_str()), v);
                }
            }
        }
        Turn::ActiveLoop(l) => {
            let name = l
                .name
                .as_ref()
                .map_or("null".to_owned(), |n| scalar(n.as_str()));
            let _ = writeln!(out, "  - active_loop: {name}{comment}");
        }
        Turn::RuleSnippet => {
            let _ = writeln!(out, "  - action: \"...\"{comment}");
        }
    }
}

fn write_user(out: &mut String, u: &UserStep, comment: &str) {
    let mut first = true;
    let mut line = |out: &mut String, text: String| {
        let _ = writeln!(out, "  {} {text}", if first { "-" } else { " " });
        first = false;
    };
    if let Some(intent) = &u.intent {
        line(out, format!("intent: {}{comment}", scalar(intent.as_str())));
    }
    if let Some(text) = &u.text {
        let marked = markup::render(text, &u.text_entities);
        let end = if u.intent.is_none() { comment } else { "" };
        line(out, format!("user: {}{end}", quoted(&marked)));
    }
    if !u.entities.is_empty() {
        line(out, "entities:".to_owned());
        for e in &u.entities {
            match &e.value {
                Some(v) => {
                    let _ = writeln!(out, "    - {}: {}", scalar(e.entity.as_str()), scalar(v));
                }
                None => {
                    let _ = writeln!(out, "    - {}", scalar(e.entity.as_str()));
                }
            }
            for (key, value) in [("role", &e.role), ("group", &e.group)] {
                if let Some(v) = value {
                    let _ = writeln!(out, "      {key}: {}", scalar(v));
                }
            }
        }
    }
}

/// `s` as a YAML scalar: plain when that reads back as the same string, else quoted.
fn scalar(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '/' | '.' | ' '))
        && !s.starts_with(['-', ' ', '.'])
        && !s.ends_with(' ')
        && !s.chars().next().is_some_and(|c| c.is_ascii_digit())
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "~" | "null" | "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n"
        );
    if plain { s.to_owned() } else { quoted(s) }
}

/// `s` as a double-quoted YAML scalar (JSON string escapes are valid YAML).
fn quoted(s: &str) -> String {
    serde_json::Value::from(s).to_string()
}

#[cfg(test)]
mod tests {
    use super::super::graph::StoryGraph;
    use super::super::reader;
    use super::super::test_support::parse_ok;
    use super::*;
    use std::path::Path;

    const STORY: &str = "stories:\n- story: \"agendar: botox\"\n  steps:\n  - intent: agendar\n    user: \"quero [botox](procedimento) às 3\"\n  - action: utter_confirmar\n  - intent: informar\n    entities:\n    - hora: \"15:00\"\n      role: inicio\n    - data\n  - slot_was_set:\n    - hora: \"15:00\"\n    - confirmado\n  - active_loop: null\n  - bot: \"Até: logo\"\n";

    #[test]
    fn writes_failures_as_rasa_comments() {
        let (data, _) = parse_ok(STORY);
        let stories = StoryGraph::new(&data.stories).linear_stories();
        let failures = BTreeMap::from([
            (
                0,
                Failure::Message {
                    intent: "saudar".into(),
                    marked_up_text: "quero botox às 3".to_owned(),
                },
            ),
            (
                1,
                Failure::Action {
                    predicted: "action_default_fallback".into(),
                },
            ),
        ]);
        let text = write_stories(&[AnnotatedStory {
            story: &stories[0],
            failures,
        }]);
        let expected = "version: \"3.1\"\nstories:\n- story: \"agendar: botox\"\n  steps:\n  - intent: agendar  # predicted: saudar: quero botox às 3\n    user: \"quero [botox](procedimento) às 3\"\n  - action: utter_confirmar  # predicted: action_default_fallback\n  - intent: informar\n    entities:\n    - hora: \"15:00\"\n      role: inicio\n    - data\n  - slot_was_set:\n    - hora: \"15:00\"\n  - slot_was_set:\n    - confirmado\n  - active_loop: null\n  - bot: \"Até: logo\"\n";
        assert_eq!(text, expected);
    }

    #[test]
    fn written_stories_read_back_the_same() {
        let (data, _) = parse_ok(STORY);
        let stories = StoryGraph::new(&data.stories).linear_stories();
        let annotated: Vec<AnnotatedStory> = stories
            .iter()
            .map(|story| AnnotatedStory {
                story,
                failures: BTreeMap::new(),
            })
            .collect();
        let text = write_stories(&annotated);
        let (again, diags) = reader::parse(&text, Path::new("failed_test_stories.yml"));
        assert!(diags.is_empty(), "{diags:?}");
        let reread = StoryGraph::new(&again.stories).linear_stories();
        assert_eq!(reread.len(), 1);
        // Locations differ between the files; the turns must not.
        assert_eq!(reread[0].turns.len(), stories[0].turns.len());
        let rewritten = write_stories(&[AnnotatedStory {
            story: &reread[0],
            failures: BTreeMap::new(),
        }]);
        assert_eq!(rewritten, text);
        let Turn::ActiveLoop(l) = &reread[0].turns[5] else {
            panic!("{:?}", reread[0].turns[5])
        };
        assert_eq!(l.name, None);
    }

    #[test]
    fn scalars_are_quoted_only_when_needed() {
        for (s, expected) in [
            ("utter_oi", "utter_oi"),
            ("faq/preço", "faq/preço"),
            ("null", "\"null\""),
            ("15:00", "\"15:00\""),
            ("3", "\"3\""),
            ("- x", "\"- x\""),
            ("", "\"\""),
            ("a # b", "\"a # b\""),
        ] {
            assert_eq!(scalar(s), expected);
        }
    }
}
