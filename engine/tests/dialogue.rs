//! A whole conversation through the processor: rules, a form with an interruption, a
//! fallback, and a tracker rebuilt from its events in the middle of the form.

use bela_engine::dialogue::actions::ActionRegistry;
use bela_engine::dialogue::domain::Domain;
use bela_engine::dialogue::events::{Event, ParseData};
use bela_engine::dialogue::model::{DialogueModel, DomainSource, PolicySettings};
use bela_engine::dialogue::processor::{Interpreter, Processor, UserMessage};
use bela_engine::dialogue::stories::loader::load_training;
use bela_engine::dialogue::tracker::Tracker;
use bela_engine::names::{IntentName, SenderId};
use bela_engine::nlu::IntentScore;
use std::path::Path;
use std::sync::Arc;

const DOMAIN: &str = r#"
version: "3.1"
intents: [greet, book, inform, chitchat]
entities: [procedure]
slots:
  procedure:
    type: text
    mappings:
    - type: from_entity
      entity: procedure
  name:
    type: text
    mappings:
    - type: from_text
      not_intent: chitchat
      conditions:
      - active_loop: booking_form
        requested_slot: name
forms:
  booking_form:
    required_slots: [procedure, name]
responses:
  utter_greet:
  - text: "Olá! Como posso ajudar?"
  utter_ask_procedure:
  - text: "Qual procedimento você quer agendar?"
  utter_ask_name:
  - text: "Qual o seu nome?"
  utter_booked:
  - text: "Pronto, {name}: {procedure} agendado."
  utter_chitchat:
  - text: "Sou a assistente virtual da clínica."
  utter_default:
  - text: "Desculpe, não entendi."
"#;

const RULES: &str = r#"
version: "3.1"
rules:
- rule: greet
  steps:
  - intent: greet
  - action: utter_greet
- rule: activate the booking form
  steps:
  - intent: book
  - action: booking_form
  - active_loop: booking_form
- rule: submit the booking form
  condition:
  - active_loop: booking_form
  steps:
  - action: booking_form
  - active_loop: null
  - slot_was_set:
    - requested_slot: null
  - action: utter_booked
- rule: chitchat inside the form
  condition:
  - active_loop: booking_form
  steps:
  - intent: chitchat
  - action: utter_chitchat
  - action: booking_form
  - active_loop: booking_form
"#;

/// Plain text is an `inform`; the processor reads `/intent` payloads itself.
struct InformInterpreter;

impl Interpreter for InformInterpreter {
    fn parse(&self, message: &UserMessage) -> ParseData {
        let intent = if message.text.starts_with('/') {
            "nlu_fallback"
        } else {
            "inform"
        };
        ParseData {
            intent: Some(IntentScore {
                name: IntentName::new(intent),
                confidence: 0.9,
            }),
            text: Some(message.text.clone()),
            ..ParseData::default()
        }
    }
}

fn processor(dir: &Path) -> Processor {
    let domain_path = dir.join("domain.yml");
    std::fs::write(&domain_path, DOMAIN).expect("write domain");
    let data_dir = dir.join("data");
    std::fs::create_dir_all(&data_dir).expect("mkdir");
    std::fs::write(data_dir.join("rules.yml"), RULES).expect("write rules");
    let loaded = Domain::load(&domain_path).expect("domain loads");
    assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
    let (data, diagnostics) = load_training(&[data_dir]).expect("rules load");
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let sources = vec![DomainSource {
        name: "domain.yml".into(),
        text: DOMAIN.into(),
        training_data: false,
    }];
    let model = DialogueModel::train(
        loaded.domain,
        sources,
        &data,
        PolicySettings::default(),
        "test".into(),
    );
    // Round-trip through disk: the served model is the saved one.
    let saved = model.save(&dir.join("models")).expect("saves");
    let model = DialogueModel::load(&saved).expect("loads");
    Processor::new(
        Arc::new(model),
        ActionRegistry::new(),
        Arc::new(InformInterpreter),
    )
}

async fn say(processor: &Processor, tracker: &mut Tracker, text: &str) -> Vec<String> {
    let message = UserMessage {
        text: text.into(),
        input_channel: Some("test".into()),
        timestamp: 1_700_000_000.0,
        ..UserMessage::default()
    };
    processor
        .handle_message(tracker, message)
        .await
        .into_iter()
        .filter_map(|b| b.text)
        .collect()
}

#[tokio::test]
async fn a_form_with_an_interruption_survives_a_rebuilt_tracker() {
    let dir = tempfile::tempdir().expect("tempdir");
    let processor = processor(dir.path());
    let mut tracker = processor
        .model()
        .new_tracker(SenderId::new("5511999990000"));

    assert_eq!(
        say(&processor, &mut tracker, "/greet").await,
        ["Olá! Como posso ajudar?"]
    );
    assert_eq!(
        say(&processor, &mut tracker, "/book").await,
        ["Qual procedimento você quer agendar?"]
    );
    assert_eq!(
        say(&processor, &mut tracker, r#"/inform{"procedure": "botox"}"#).await,
        ["Qual o seu nome?"]
    );
    assert_eq!(
        say(&processor, &mut tracker, "/chitchat").await,
        ["Sou a assistente virtual da clínica.", "Qual o seu nome?"],
        "the chitchat rule answers, then the form asks again"
    );

    // As after a server restart: only the stored events remain.
    let json = serde_json::to_string(tracker.events()).expect("events serialise");
    let events: Vec<Event> = serde_json::from_str(&json).expect("events parse");
    let mut tracker = Tracker::from_events(
        tracker.sender_id().clone(),
        processor.model().initial_slots().clone(),
        events,
    );
    assert_eq!(
        tracker.active_loop_name().map(|n| n.as_str()),
        Some("booking_form")
    );

    assert_eq!(
        say(&processor, &mut tracker, "Maria Souza").await,
        ["Pronto, Maria Souza: botox agendado."]
    );
    assert!(tracker.active_loop().is_none());
    assert_eq!(
        tracker.latest_action_name().map(|a| a.as_str()),
        Some("action_listen")
    );
}

#[tokio::test]
async fn unknown_input_gets_the_fallback_and_is_reverted() {
    let dir = tempfile::tempdir().expect("tempdir");
    let processor = processor(dir.path());
    let mut tracker = processor.model().new_tracker(SenderId::new("s"));
    assert_eq!(say(&processor, &mut tracker, "/greet").await.len(), 1);
    assert_eq!(
        say(&processor, &mut tracker, "/nonsense").await,
        ["Desculpe, não entendi."]
    );
    assert_eq!(
        tracker.latest_intent().map(|i| i.as_str()),
        Some("greet"),
        "the fallback reverts the message it did not understand"
    );
    assert_eq!(
        say(&processor, &mut tracker, "/greet").await,
        ["Olá! Como posso ajudar?"]
    );
}
