//! Test stories (`tests/test_*.yml`): the story format where user steps carry the
//! message text (`user:`, with entity markup) and its expected intent. A test runner
//! walks a [`TestStory`]'s [`Expectation`]s in order: parse each message and compare,
//! predict each action and compare, apply slots and loops as written.

use super::graph::{Limits, LinearStory, StoryGraph, Turn};
use super::loader;
use super::model::{SlotStep, UserStep};
use super::validate::{DeclaredNames, undeclared_names};
use crate::Result;
use crate::data::{Diagnostic, Location};
use crate::names::{ActionName, EntityName, IntentName};
use std::path::PathBuf;

/// One linear test conversation.
#[derive(Debug, Clone, PartialEq)]
pub struct TestStory(pub LinearStory);

/// What a test story expects at one turn. `index` is the turn's position in the
/// story's [`LinearStory::turns`], the key for failure comments in the writer.
#[derive(Debug, Clone, PartialEq)]
pub enum Expectation<'s> {
    /// A user message and how it should be understood.
    Message {
        /// The turn's position.
        index: usize,
        /// The expected parse.
        message: ExpectedMessage<'s>,
    },
    /// The bot should run this action.
    Action {
        /// The turn's position.
        index: usize,
        /// The expected action.
        name: &'s ActionName,
        /// Where the step is written.
        location: &'s Location,
    },
    /// The bot should say this end-to-end text.
    Bot {
        /// The turn's position.
        index: usize,
        /// The expected text.
        text: &'s str,
        /// Where the step is written.
        location: &'s Location,
    },
    /// A slot, as written: not predicted, the runner applies it to the tracker.
    Slot {
        /// The turn's position.
        index: usize,
        /// The slot and value.
        slot: &'s SlotStep,
    },
    /// A loop (de)activation, as written: the runner applies it.
    ActiveLoop {
        /// The turn's position.
        index: usize,
        /// The loop now active, `None` after deactivation.
        name: Option<&'s ActionName>,
    },
}

/// A user message of a test story.
#[derive(Debug, Clone, PartialEq)]
pub struct ExpectedMessage<'s> {
    /// The text to parse (markup removed). `None` when the step gives only an intent:
    /// the runner then feeds the intent and entities as they are (Rasa's `/intent`).
    pub text: Option<&'s str>,
    /// The expected intent; `None` for an end-to-end step without one.
    pub intent: Option<&'s IntentName>,
    /// The expected entities.
    pub entities: Vec<ExpectedEntity>,
    /// Where the step is written.
    pub location: &'s Location,
}

/// An entity a test message should yield.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpectedEntity {
    /// The entity type.
    pub entity: EntityName,
    /// Its value (empty for a bare name listed under `entities`, as in Rasa).
    pub value: String,
    /// Character offsets in the text, when marked up in `user:`.
    pub span: Option<(usize, usize)>,
    /// The role, if any.
    pub role: Option<String>,
    /// The group, if any.
    pub group: Option<String>,
}

impl ExpectedMessage<'_> {
    /// The expected reading of a user step.
    pub fn of(step: &UserStep) -> ExpectedMessage<'_> {
        let mut entities: Vec<ExpectedEntity> = step
            .text_entities
            .iter()
            .map(|e| ExpectedEntity {
                entity: e.entity.clone(),
                value: e.value.clone(),
                span: Some((e.start, e.end)),
                role: e.role.clone(),
                group: e.group.clone(),
            })
            .collect();
        for e in &step.entities {
            let value = e.value.clone().unwrap_or_default();
            if !entities
                .iter()
                .any(|x| x.entity == e.entity && x.value == value)
            {
                entities.push(ExpectedEntity {
                    entity: e.entity.clone(),
                    value,
                    span: None,
                    role: e.role.clone(),
                    group: e.group.clone(),
                });
            }
        }
        ExpectedMessage {
            text: step.text.as_deref(),
            intent: step.intent.as_ref(),
            entities,
            location: &step.location,
        }
    }
}

impl TestStory {
    /// The story's name.
    pub fn name(&self) -> &str {
        &self.0.name
    }

    /// What the story expects, turn by turn.
    pub fn expectations(&self) -> impl Iterator<Item = Expectation<'_>> {
        self.0.turns.iter().enumerate().filter_map(|(index, turn)| {
            Some(match turn {
                Turn::User(u) => Expectation::Message {
                    index,
                    message: ExpectedMessage::of(u),
                },
                Turn::Action(a) => Expectation::Action {
                    index,
                    name: &a.name,
                    location: &a.location,
                },
                Turn::Bot(b) => Expectation::Bot {
                    index,
                    text: &b.text,
                    location: &b.location,
                },
                Turn::Slot(slot) => Expectation::Slot { index, slot },
                Turn::ActiveLoop(l) => Expectation::ActiveLoop {
                    index,
                    name: l.name.as_ref(),
                },
                Turn::RuleSnippet => return None,
            })
        })
    }
}

/// Loads the test stories in `paths` (files, read whatever their name, or directories,
/// where only `test_*` files are read, as Rasa does) and expands checkpoints and `or` as for training. Diagnostics
/// include the reader's and the graph's, and, given the domain's `declared` names, a
/// warning for each name the domain lacks (as `rasa test` warns, then runs the story,
/// which cannot pass).
pub fn load_test_stories(
    paths: &[PathBuf],
    declared: Option<&DeclaredNames>,
) -> Result<(Vec<TestStory>, Vec<Diagnostic>)> {
    let (data, mut diags) = loader::load_tests(paths)?;
    if let Some(declared) = declared {
        diags.extend(undeclared_names(&data, declared).into_iter().map(|d| {
            Diagnostic::warning(
                d.location,
                format!("{}; the test story cannot pass", d.message),
            )
        }));
    }
    let graph = StoryGraph::new(&data.stories);
    diags.extend(graph.diagnostics());
    let expansion = graph.expand(Limits::default());
    Ok((
        expansion.stories.into_iter().map(TestStory).collect(),
        diags,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TESTS: &str = "stories:\n- story: agendar com texto\n  steps:\n  - user: |\n      quero [botox](procedimento) dia [5]{\"entity\": \"dia\", \"role\": \"inicio\"}\n    intent: agendar\n    entities:\n    - procedimento: botox\n    - hora: \"15:00\"\n  - action: utter_confirmar\n  - slot_was_set:\n    - procedimento: botox\n  - active_loop: agendamento_form\n  - bot: Até logo!\n  - intent: tchau\n";

    fn write(dir: &std::path::Path, name: &str, text: &str) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, text).expect("write");
        path
    }

    #[test]
    fn expectations_follow_the_story() {
        let dir = tempfile::tempdir().expect("temp dir");
        write(dir.path(), "test_agendar.yml", TESTS);
        let (stories, diags) = load_test_stories(&[dir.path().to_path_buf()], None).expect("loads");
        assert!(diags.is_empty(), "{diags:?}");
        let [story] = stories.as_slice() else {
            panic!("{stories:?}")
        };
        assert_eq!(story.name(), "agendar com texto");
        let got: Vec<Expectation> = story.expectations().collect();
        assert_eq!(got.len(), 6);
        let Expectation::Message { index: 0, message } = &got[0] else {
            panic!("{:?}", got[0])
        };
        assert_eq!(message.text, Some("quero botox dia 5"));
        assert_eq!(message.intent.map(|i| i.as_str()), Some("agendar"));
        let entities: Vec<String> = message
            .entities
            .iter()
            .map(|e| format!("{}={} {:?} {:?}", e.entity, e.value, e.span, e.role))
            .collect();
        // `procedimento: botox` repeats the markup and is not doubled.
        assert_eq!(
            entities,
            [
                "procedimento=botox Some((6, 11)) None",
                "dia=5 Some((16, 17)) Some(\"inicio\")",
                "hora=15:00 None None"
            ]
        );
        assert!(matches!(
            got[4],
            Expectation::Bot {
                index: 4,
                text: "Até logo!",
                ..
            }
        ));
        let Expectation::Message { index: 5, message } = &got[5] else {
            panic!("{:?}", got[5])
        };
        assert_eq!((message.text, message.location.line), (None, 15));
    }

    #[test]
    fn a_directory_gives_its_test_files_and_a_named_file_is_read_whatever_its_name() {
        let dir = tempfile::tempdir().expect("tempdir");
        write(dir.path(), "test_agendar.yml", TESTS);
        let other = write(dir.path(), "rules.yml", TESTS);
        let (from_dir, _) = load_test_stories(&[dir.path().to_path_buf()], None).expect("loads");
        let (named, _) = load_test_stories(&[other], None).expect("loads");
        assert_eq!(from_dir.len(), 1, "rules.yml beside it is no test file");
        assert_eq!(named.len(), 1);
    }

    #[test]
    fn names_the_domain_lacks_are_warnings() {
        let dir = tempfile::tempdir().expect("temp dir");
        write(dir.path(), "test_agendar.yml", TESTS);
        let domain = crate::dialogue::domain::Domain::parse(
            "intents: [agendar]\nentities: [procedimento, dia, hora]\nslots:\n  procedimento:\n    type: text\n    mappings: []\nforms:\n  agendamento_form:\n    required_slots: [procedimento]\nresponses:\n  utter_confirmar:\n  - text: Ok\n",
            std::path::Path::new("domain.yml"),
        )
        .domain;
        let declared = DeclaredNames::of(&domain);
        let (_, diags) =
            load_test_stories(&[dir.path().to_path_buf()], Some(&declared)).expect("loads");
        let found: Vec<(usize, &str)> = diags
            .iter()
            .map(|d| (d.location.line, d.message.as_str()))
            .collect();
        assert_eq!(
            found,
            [(
                15,
                "intent `tchau` is not declared in the domain; the test story cannot pass"
            )]
        );
        assert!(
            diags
                .iter()
                .all(|d| d.severity == crate::data::Severity::Warning)
        );
    }
}
