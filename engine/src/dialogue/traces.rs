//! Linear stories and rules as event sequences, so policies learn from exactly the
//! events a live tracker records: an `action_listen` before each user message, and after
//! the last action unless a rule says not to wait.

use crate::dialogue::events::{ActionExecuted, Event, EventKind, ParseData, UserUttered};
use crate::dialogue::policy::rules::RULE_SNIPPET;
use crate::dialogue::policy::{ACTION_LISTEN, Trace};
use crate::dialogue::stories::{LinearStory, Origin, Turn, UserStep};
use crate::nlu::{IntentScore, ParsedEntity};
use serde_json::Value;

/// The events of `story` (a story, a rule or a test story).
pub fn trace(story: &LinearStory) -> Trace {
    let mut events: Vec<Event> = Vec::new();
    let listen = || Event::new(EventKind::action(ACTION_LISTEN, None, 1.0), 0.0);
    for turn in &story.turns {
        match turn {
            Turn::User(user) => {
                if !last_is_listen(&events) {
                    events.push(listen());
                }
                events.push(Event::new(EventKind::User(user_event(user)), 0.0));
            }
            Turn::Action(action) => events.push(Event::new(
                EventKind::action(action.name.clone(), None, 1.0),
                0.0,
            )),
            Turn::Bot(bot) => events.push(Event::new(
                EventKind::Action(ActionExecuted {
                    action_text: Some(bot.text.clone()),
                    ..ActionExecuted::default()
                }),
                0.0,
            )),
            Turn::Slot(slot) => events.push(Event::new(
                EventKind::slot(slot.name.clone(), slot.value.to_json()),
                0.0,
            )),
            Turn::ActiveLoop(active) => {
                events.push(Event::new(EventKind::active_loop(active.name.clone()), 0.0))
            }
            Turn::RuleSnippet => {
                events.push(Event::new(EventKind::action(RULE_SNIPPET, None, 1.0), 0.0))
            }
        }
    }
    let (conversation_start, waits) = match story.origin {
        Origin::Story => (true, true),
        Origin::Rule {
            conversation_start,
            wait_for_user_input,
        } => (conversation_start, wait_for_user_input),
    };
    let ends_in_snippet = matches!(story.turns.last(), Some(Turn::RuleSnippet));
    if waits && !ends_in_snippet && !last_is_listen(&events) && has_action(&events) {
        events.push(listen());
    }
    Trace {
        name: story.name.clone(),
        events,
        conversation_start,
    }
}

fn has_action(events: &[Event]) -> bool {
    events
        .iter()
        .any(|e| matches!(e.kind, EventKind::Action(_)))
}

fn last_is_listen(events: &[Event]) -> bool {
    matches!(
        events.last().map(|e| &e.kind),
        Some(EventKind::Action(ActionExecuted { name: Some(name), .. })) if name.as_str() == ACTION_LISTEN
    )
}

/// The user event a story step stands for: its intent (retrieval intents by their base
/// name, as Rasa featurizes them) and entities, listed or marked up in its text.
pub fn user_event(user: &UserStep) -> UserUttered {
    let entity =
        |entity: &str, value: Value, role: &Option<String>, group: &Option<String>| ParsedEntity {
            entity: entity.to_owned(),
            start: 0,
            end: 0,
            value,
            extractor: String::new(),
            confidence_entity: None,
            role: role.clone(),
            group: group.clone(),
            processors: Vec::new(),
            additional_info: None,
        };
    let mut entities: Vec<ParsedEntity> = user
        .entities
        .iter()
        .map(|e| {
            let value = e
                .value
                .clone()
                .map_or(Value::String(String::new()), Value::String);
            entity(e.entity.as_str(), value, &e.role, &e.group)
        })
        .collect();
    entities.extend(user.text_entities.iter().map(|a| ParsedEntity {
        start: a.start,
        end: a.end,
        ..entity(
            a.entity.as_str(),
            Value::String(a.value.clone()),
            &a.role,
            &a.group,
        )
    }));
    let intent = user.base_intent().map(|name| IntentScore {
        name,
        confidence: 1.0,
    });
    UserUttered {
        text: user.text.clone(),
        parse_data: ParseData {
            intent_ranking: intent.iter().cloned().collect(),
            intent,
            entities,
            text: user.text.clone(),
            message_id: None,
            metadata: user.metadata.clone(),
        },
        input_channel: None,
        message_id: None,
    }
}
