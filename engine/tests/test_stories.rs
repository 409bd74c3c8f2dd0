//! Test stories through a trained project, as `bela test stories` runs them, on the
//! patterns real Rasa bots rely on: stories that start mid-conversation (recalled by
//! forgetting the start of the conversation, as Rasa's AugmentedMemoizationPolicy),
//! a form interrupted by a general rule (the form "rejects" the message and takes over
//! again afterwards), and retrieval responses kept in an NLU file.

use bela_engine::dialogue::actions::ActionRegistry;
use bela_engine::dialogue::events::ParseData;
use bela_engine::dialogue::processor::{Interpreter, Processor, UserMessage};
use bela_engine::dialogue::stories::test_stories::load_test_stories;
use bela_engine::dialogue::testing::{TestReport, run_test_stories};
use bela_engine::project::{DialogueTrainOutcome, Project};
use std::path::Path;
use std::sync::Arc;

const DOMAIN: &str = r#"
version: "3.1"
intents: [greet, ask_help, affirm, book, inform, chitchat, faq]
entities: [procedure]
slots:
  procedure:
    type: text
    mappings:
    - type: from_entity
      entity: procedure
forms:
  booking_form:
    required_slots: [procedure]
responses:
  utter_greet:
  - text: "Olá! Como posso ajudar?"
  utter_help:
  - text: "Posso agendar procedimentos e tirar dúvidas."
  utter_ok:
  - text: "Combinado!"
  utter_ask_procedure:
  - text: "Qual procedimento você quer agendar?"
  utter_booked:
  - text: "Pronto: {procedure} agendado."
  utter_chitchat:
  - text: "Sou a assistente virtual da clínica."
"#;

const RULES: &str = r#"
version: "3.1"
rules:
- rule: greet
  steps:
  - intent: greet
  - action: utter_greet
- rule: answer a question
  steps:
  - intent: faq
  - action: utter_faq
- rule: chitchat
  steps:
  - intent: chitchat
  - action: utter_chitchat
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
"#;

/// Stories in financial-demo's style: the last starts with an action, so only a
/// conversation cut right there matches it; what follows `affirm` alone is ambiguous.
const STORIES: &str = r#"
version: "3.1"
stories:
- story: agreeing to the greeting asks for help
  steps:
  - intent: greet
  - action: utter_greet
  - intent: affirm
  - action: utter_help
- story: help
  steps:
  - intent: ask_help
  - action: utter_help
- story: say ok when the user agrees after the help
  steps:
  - action: utter_help
  - intent: affirm
  - action: utter_ok
"#;

/// The answers of the retrieval intent live beside its examples, as in Rasa's
/// responseselectorbot.
const NLU: &str = r#"
version: "3.1"
nlu:
- intent: faq/ask_price
  examples: |
    - quanto custa o botox?
responses:
  utter_faq/ask_price:
  - text: "O botox custa a partir de R$ 500."
"#;

const TESTS: &str = r#"
version: "3.1"
stories:
- story: help after a greeting, then agreement
  steps:
  - intent: greet
  - action: utter_greet
  - intent: ask_help
  - action: utter_help
  - intent: affirm
  - action: utter_ok
- story: chitchat interrupts the form, which then asks again
  steps:
  - intent: book
  - action: booking_form
  - active_loop: booking_form
  - intent: chitchat
  - action: utter_chitchat
  - action: booking_form
  - intent: inform
    entities:
    - procedure: botox
  - slot_was_set:
    - procedure: botox
  - action: booking_form
  - active_loop: null
  - action: utter_booked
- story: a question answered from the NLU file's responses
  steps:
  - intent: faq/ask_price
  - action: utter_faq
"#;

/// Test stories here give intents, never text, so nothing is parsed.
struct NoNlu;

impl Interpreter for NoNlu {
    fn parse(&self, _: &UserMessage) -> ParseData {
        ParseData::default()
    }
}

fn write(root: &Path, name: &str, text: &str) {
    let path = root.join(name);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).expect("mkdir");
    }
    std::fs::write(&path, text).expect("write");
}

async fn run(tests: &str) -> (TestReport, Processor) {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    write(root, "domain.yml", DOMAIN);
    write(root, "data/rules.yml", RULES);
    write(root, "data/stories.yml", STORIES);
    write(root, "data/nlu.yml", NLU);
    write(root, "tests/test_stories.yml", tests);
    let project = Project::open(root).expect("opens");
    let DialogueTrainOutcome::Trained { dir: model_dir, .. } =
        project.train_dialogue(true).expect("trains")
    else {
        panic!("forced training trains");
    };
    let model = bela_engine::dialogue::model::DialogueModel::load(&model_dir).expect("loads");
    let processor = Processor::new(Arc::new(model), ActionRegistry::new(), Arc::new(NoNlu));
    let (stories, diagnostics) =
        load_test_stories(&[root.join("tests")], None).expect("test stories load");
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    (run_test_stories(&processor, &stories).await, processor)
}

#[tokio::test]
async fn rasa_patterns_pass_their_test_stories() {
    let (report, processor) = run(TESTS).await;
    let price = processor.model().domain.response("utter_faq/ask_price");
    assert_eq!(
        price
            .and_then(|v| v.first())
            .and_then(|v| v.text.as_deref()),
        Some("O botox custa a partir de R$ 500.")
    );
    let failures: Vec<_> = report
        .stories
        .iter()
        .flat_map(|s| {
            s.messages
                .iter()
                .map(move |(_, m)| format!("{}: {m}", s.name))
        })
        .collect();
    assert!(failures.is_empty(), "{failures:#?}");
    assert_eq!(report.passed(), 3);
    assert_eq!(report.actions(), (13, 13));
}

#[tokio::test]
async fn a_wrong_expectation_fails_with_what_was_predicted() {
    let wrong = TESTS.replace("  - action: utter_ok", "  - action: utter_greet");
    let (report, _) = run(&wrong).await;
    assert_eq!(report.passed(), 2);
    let failed = &report.stories[0];
    assert!(!failed.passed());
    let [(location, message)] = failed.messages.as_slice() else {
        panic!("{:?}", failed.messages)
    };
    assert_eq!(location.line, 11);
    assert!(message.contains("predicted utter_ok"), "{message}");
}
