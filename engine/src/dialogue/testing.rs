//! Runs test stories the way `rasa test` does: each user message is parsed and compared
//! with the story, each action is predicted and compared, and the tracker always moves
//! on with what the story says happened, so one mistake does not cascade. Actions are
//! not run; slots and loops come from the story (and from the domain's slot mappings,
//! which fill slots after a message as they would live).

use crate::data::{EntityAnnotation, Location};
use crate::dialogue::events::{ActionExecuted, Event, EventKind, ParseData};
use crate::dialogue::policy::ACTION_LISTEN;
use crate::dialogue::processor::{Processor, UserMessage};
use crate::dialogue::stories::test_stories::{ExpectedMessage, TestStory};
use crate::dialogue::stories::writer::{AnnotatedStory, Failure, write_stories};
use crate::dialogue::stories::{Turn, UserStep};
use crate::dialogue::traces::user_event;
use crate::dialogue::tracker::Tracker;
use crate::names::{ActionName, SenderId};
use crate::nlu::ParsedEntity;
use crate::nlu::builtin::DUCKLING_EXTRACTOR;
use std::collections::BTreeMap;

/// The outcome of one test story.
#[derive(Debug, Clone, PartialEq)]
pub struct StoryOutcome {
    /// The story's name.
    pub name: String,
    /// Failures by turn position.
    pub failures: BTreeMap<usize, Failure>,
    /// Where each failure is written, with a sentence, in story order.
    pub messages: Vec<(Location, String)>,
    /// Actions predicted correctly / in all.
    pub actions: (usize, usize),
    /// Messages understood correctly / in all (only those with text).
    pub messages_understood: (usize, usize),
}

impl StoryOutcome {
    /// Whether the story passed.
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

/// The outcome of a run over many stories.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TestReport {
    /// One outcome per story, in order.
    pub stories: Vec<StoryOutcome>,
}

impl TestReport {
    /// How many stories passed.
    pub fn passed(&self) -> usize {
        self.stories.iter().filter(|s| s.passed()).count()
    }

    /// How many stories failed.
    pub fn failed(&self) -> usize {
        self.stories.len() - self.passed()
    }

    /// Correct / total action predictions.
    pub fn actions(&self) -> (usize, usize) {
        self.total(|s| s.actions)
    }

    /// Correctly understood / total messages with text.
    pub fn messages_understood(&self) -> (usize, usize) {
        self.total(|s| s.messages_understood)
    }

    fn total(&self, count: impl Fn(&StoryOutcome) -> (usize, usize)) -> (usize, usize) {
        self.stories
            .iter()
            .map(count)
            .fold((0, 0), |(c, t), (a, b)| (c + a, t + b))
    }

    /// The failed stories as Rasa's `failed_test_stories.yml`.
    pub fn failed_stories_yaml(&self, stories: &[TestStory]) -> String {
        let annotated: Vec<AnnotatedStory> = self
            .stories
            .iter()
            .zip(stories)
            .filter(|(outcome, _)| !outcome.passed())
            .map(|(outcome, story)| AnnotatedStory {
                story: &story.0,
                failures: outcome.failures.clone(),
            })
            .collect();
        write_stories(&annotated)
    }
}

/// Runs every story with `processor`.
pub async fn run_test_stories(processor: &Processor, stories: &[TestStory]) -> TestReport {
    let mut report = TestReport::default();
    for story in stories {
        report.stories.push(run_story(processor, story).await);
    }
    report
}

/// Runs one story.
pub async fn run_story(processor: &Processor, story: &TestStory) -> StoryOutcome {
    let mut outcome = StoryOutcome {
        name: story.name().to_owned(),
        failures: BTreeMap::new(),
        messages: Vec::new(),
        actions: (0, 0),
        messages_understood: (0, 0),
    };
    let mut tracker = processor
        .model()
        .new_tracker(SenderId::new(format!("test: {}", story.name())));
    processor.start_session(&mut tracker, None, None, 0.0).await;
    for (index, turn) in story.0.turns.iter().enumerate() {
        match turn {
            Turn::User(user) => {
                if !tracker_listens(&tracker) {
                    // The bot should have been waiting for this message.
                    check_action(
                        processor,
                        &mut tracker,
                        &mut outcome,
                        index,
                        &ActionName::new(ACTION_LISTEN),
                        &user.location,
                    );
                }
                understand(processor, &mut tracker, &mut outcome, index, user).await;
            }
            Turn::Action(action) => {
                check_action(
                    processor,
                    &mut tracker,
                    &mut outcome,
                    index,
                    &action.name,
                    &action.location,
                );
            }
            Turn::Bot(bot) => {
                let predicted = processor.predict(&tracker);
                let said = processor.render_text(&tracker, &predicted.action);
                outcome.actions.1 += 1;
                if said.as_deref() == Some(bot.text.as_str()) {
                    outcome.actions.0 += 1;
                } else {
                    fail(
                        &mut outcome,
                        index,
                        &bot.location,
                        Failure::Action {
                            predicted: predicted.action.clone(),
                        },
                        format!(
                            "expected the bot to say {:?}, but it predicted {}",
                            bot.text, predicted.action
                        ),
                    );
                }
                tracker.update(Event::new(
                    EventKind::Action(ActionExecuted {
                        action_text: Some(bot.text.clone()),
                        ..ActionExecuted::default()
                    }),
                    0.0,
                ));
            }
            Turn::Slot(slot) => tracker.update(Event::new(
                EventKind::slot(slot.name.clone(), slot.value.to_json()),
                0.0,
            )),
            Turn::ActiveLoop(active) => {
                tracker.update(Event::new(EventKind::active_loop(active.name.clone()), 0.0))
            }
            Turn::RuleSnippet => {}
        }
    }
    outcome
}

/// Whether the last action the conversation recorded is `action_listen`.
fn tracker_listens(tracker: &Tracker) -> bool {
    tracker
        .latest_action_name()
        .is_some_and(|a| a.as_str() == ACTION_LISTEN)
}

fn fail(
    outcome: &mut StoryOutcome,
    index: usize,
    location: &Location,
    failure: Failure,
    message: String,
) {
    outcome.failures.entry(index).or_insert(failure);
    outcome.messages.push((location.clone(), message));
}

/// Predicts the next action, compares it with `expected`, then records `expected`.
fn check_action(
    processor: &Processor,
    tracker: &mut Tracker,
    outcome: &mut StoryOutcome,
    index: usize,
    expected: &ActionName,
    location: &Location,
) {
    let mut predicted = processor.predict(tracker);
    let active = tracker.active_loop_name().cloned();
    if predicted.action != *expected && active.as_ref() == Some(&predicted.action) {
        // As `rasa test`: the story says something else ran, so the form must have
        // refused the message; predict again as after a live rejection.
        tracker.update(Event::new(
            EventKind::ActionExecutionRejected {
                name: predicted.action.clone(),
                policy: None,
                confidence: None,
            },
            0.0,
        ));
        predicted = processor.predict(tracker);
    }
    outcome.actions.1 += 1;
    if predicted.action == *expected {
        outcome.actions.0 += 1;
    } else {
        let message = format!(
            "expected {expected}, predicted {} ({}: {})",
            predicted.action, predicted.policy, predicted.reason
        );
        fail(
            outcome,
            index,
            location,
            Failure::Action {
                predicted: predicted.action,
            },
            message,
        );
    }
    tracker.update(Event::new(
        EventKind::action(expected.clone(), None, 1.0),
        0.0,
    ));
}

/// Parses the step's text (when it has one) and compares intent and entities; the
/// tracker then gets the story's own reading of the message, and the slots it fills.
async fn understand(
    processor: &Processor,
    tracker: &mut Tracker,
    outcome: &mut StoryOutcome,
    index: usize,
    user: &UserStep,
) {
    let gold = user_event(user);
    if let Some(text) = &user.text {
        let expected = ExpectedMessage::of(user);
        let parsed = processor.parse(&UserMessage {
            text: text.clone(),
            ..UserMessage::default()
        });
        outcome.messages_understood.1 += 1;
        match mismatch(&expected, &parsed, text) {
            None => outcome.messages_understood.0 += 1,
            Some(why) => {
                let intent = parsed
                    .intent
                    .as_ref()
                    .map(|i| i.name.clone())
                    .unwrap_or_else(|| crate::names::IntentName::new(crate::names::NLU_FALLBACK));
                let marked_up_text =
                    crate::data::markup::render(text, &annotations(&parsed.entities));
                fail(
                    outcome,
                    index,
                    &user.location,
                    Failure::Message {
                        intent,
                        marked_up_text,
                    },
                    why,
                );
            }
        }
    }
    tracker.update(Event::new(EventKind::User(gold), 0.0));
    let slots = processor.extract_slots(tracker, 0.0).await;
    tracker.extend(slots);
}

/// Why `parsed` (of `text`) differs from `expected`, if it does.
///
/// Entities of the built-in extractor (dates, numbers, money...) are normalised values
/// no one writes by hand, so a story annotates them by their words, `[amanhã às
/// 15h](time)`: they are compared by the words they cover, and only for the entity
/// types the story annotates at all.
fn mismatch(expected: &ExpectedMessage<'_>, parsed: &ParseData, text: &str) -> Option<String> {
    let got = parsed.intent.as_ref().map(|i| i.name.as_str());
    if let Some(want) = expected.intent
        && Some(want.as_str()) != got
    {
        return Some(format!(
            "expected intent {want}, NLU predicted {}",
            got.unwrap_or("none")
        ));
    }
    let key = |entity: &str, value: &str, role: &Option<String>, group: &Option<String>| {
        (
            entity.to_owned(),
            value.to_lowercase(),
            role.clone(),
            group.clone(),
        )
    };
    let mut want: Vec<_> = expected
        .entities
        .iter()
        .map(|e| key(e.entity.as_str(), &e.value, &e.role, &e.group))
        .collect();
    let annotated = |entity: &str| {
        expected
            .entities
            .iter()
            .any(|e| e.entity.as_str() == entity)
    };
    let mut have: Vec<_> = parsed
        .entities
        .iter()
        .filter_map(|e| {
            if e.extractor != DUCKLING_EXTRACTOR {
                return Some(key(&e.entity, &value_text(&e.value), &e.role, &e.group));
            }
            let words = text.get(e.start..e.end)?;
            annotated(&e.entity).then(|| key(&e.entity, words, &e.role, &e.group))
        })
        .collect();
    want.sort();
    have.sort();
    (want != have).then(|| {
        let show = |v: &[(String, String, Option<String>, Option<String>)]| {
            v.iter()
                .map(|(e, val, ..)| format!("{e}={val}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        format!(
            "expected entities [{}], NLU found [{}]",
            show(&want),
            show(&have)
        )
    })
}

/// An entity value as the text a story writes.
fn value_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn annotations(entities: &[ParsedEntity]) -> Vec<EntityAnnotation> {
    entities
        .iter()
        .filter(|e| e.end > e.start)
        .map(|e| EntityAnnotation {
            start: e.start,
            end: e.end,
            entity: crate::names::EntityName::new(e.entity.as_str()),
            value: value_text(&e.value),
            role: e.role.clone(),
            group: e.group.clone(),
        })
        .collect()
}
