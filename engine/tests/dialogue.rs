//! A whole conversation through the processor: rules, a form with an interruption, a
//! fallback, and a tracker rebuilt from its events in the middle of the form.

use bela_engine::dialogue::actions::{
    Action, ActionContext, ActionError, ActionRegistry, ActionResult, BoxFuture, Reply,
};
use bela_engine::dialogue::events::EventKind;
use bela_engine::dialogue::events::{Event, ParseData};
use bela_engine::dialogue::model::{DialogueModel, PolicySettings};
use bela_engine::dialogue::processor::{Interpreter, Processor, UserMessage};
use bela_engine::dialogue::tracker::Tracker;
use bela_engine::names::{IntentName, SenderId};
use bela_engine::nlu::IntentScore;
use bela_engine::project::Project;
use serde_json::Value;
use std::path::Path;
use std::sync::Arc;

/// Plain text is an `inform`; payloads of unknown intents are not understood (with
/// `greet` as the runner-up). The processor reads known `/intent` payloads itself.
struct InformInterpreter;

impl Interpreter for InformInterpreter {
    fn parse(&self, message: &UserMessage) -> ParseData {
        let score = |name: &str, confidence| IntentScore {
            name: IntentName::new(name),
            confidence,
        };
        let ranking = if message.text.starts_with('/') {
            vec![score("nlu_fallback", 0.9), score("greet", 0.1)]
        } else {
            vec![score("inform", 0.9)]
        };
        ParseData {
            intent: ranking.first().cloned(),
            intent_ranking: ranking,
            text: Some(message.text.clone()),
            ..ParseData::default()
        }
    }
}

/// The booking fixture project, trained, saved under `dir` and loaded back: the served
/// model is the saved one.
fn processor(dir: &Path) -> Processor {
    processor_with(dir, ActionRegistry::new())
}

/// [`processor`] with custom actions.
fn processor_with(dir: &Path, registry: ActionRegistry) -> Processor {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/booking");
    let project = Project::open(root).expect("fixture project");
    let (model, warnings) = project
        .dialogue_model(PolicySettings::default(), "test".into())
        .expect("the fixture trains");
    assert!(warnings.is_empty(), "{warnings:?}");
    let saved = model.save(&dir.join("models")).expect("saves");
    let model = DialogueModel::load(&saved).expect("loads");
    Processor::new(Arc::new(model), registry, Arc::new(InformInterpreter))
}

async fn say(processor: &Processor, tracker: &mut Tracker, text: &str) -> Vec<String> {
    say_at(processor, tracker, text, 1_700_000_000.0).await
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
async fn two_stage_fallback_confirms_then_goes_on_as_if_said_first() {
    let dir = tempfile::tempdir().expect("tempdir");
    let processor = processor(dir.path());
    let mut tracker = processor.model().new_tracker(SenderId::new("s"));
    let message = |text: &str| UserMessage {
        text: text.into(),
        timestamp: 1_700_000_000.0,
        ..UserMessage::default()
    };
    let replies = processor
        .handle_message(&mut tracker, message("/nonsense"))
        .await;
    assert_eq!(replies.len(), 1);
    assert_eq!(replies[0].text.as_deref(), Some("Você quis dizer isso?"));
    let payloads: Vec<&str> = replies[0]
        .data
        .buttons
        .iter()
        .map(|b| b.payload.as_str())
        .collect();
    assert_eq!(payloads, ["/greet", "/out_of_scope"]);

    assert_eq!(
        say(&processor, &mut tracker, "/greet").await,
        ["Olá! Como posso ajudar?"]
    );
    assert!(tracker.active_loop().is_none());
    let intents: Vec<&str> = tracker
        .applied_events()
        .iter()
        .filter_map(|e| match &e.kind {
            bela_engine::dialogue::events::EventKind::User(u) => {
                u.intent_name().map(|i| i.as_str())
            }
            _ => None,
        })
        .collect();
    assert_eq!(
        intents,
        ["greet"],
        "the unclear message and the confirmation are undone"
    );
}

#[tokio::test]
async fn two_stage_fallback_asks_to_rephrase_then_gives_up() {
    let dir = tempfile::tempdir().expect("tempdir");
    let processor = processor(dir.path());
    let mut tracker = processor.model().new_tracker(SenderId::new("s"));
    assert_eq!(
        say(&processor, &mut tracker, "/nonsense").await,
        ["Você quis dizer isso?"]
    );
    assert_eq!(
        say(&processor, &mut tracker, "/out_of_scope").await,
        ["Pode dizer de outro jeito?"]
    );
    assert_eq!(
        say(&processor, &mut tracker, "/still_nonsense").await,
        ["Desculpe, não entendi."]
    );
    assert!(tracker.active_loop().is_none());
    assert_eq!(
        say(&processor, &mut tracker, "/greet").await,
        ["Olá! Como posso ajudar?"]
    );
}

async fn say_at(processor: &Processor, tracker: &mut Tracker, text: &str, at: f64) -> Vec<String> {
    let message = UserMessage {
        text: text.into(),
        timestamp: at,
        ..UserMessage::default()
    };
    processor
        .handle_message(tracker, message)
        .await
        .into_iter()
        .filter_map(|b| b.text)
        .collect()
}

fn count(tracker: &Tracker, name: &str) -> usize {
    tracker
        .events()
        .iter()
        .filter(|e| e.type_name() == name)
        .count()
}

#[tokio::test]
async fn restart_forgets_and_starts_a_new_session() {
    let dir = tempfile::tempdir().expect("tempdir");
    let processor = processor(dir.path());
    let mut tracker = processor.model().new_tracker(SenderId::new("s"));
    say(&processor, &mut tracker, "/book").await;
    say(&processor, &mut tracker, r#"/inform{"procedure": "botox"}"#).await;
    assert_eq!(tracker.slot("procedure"), Some(&serde_json::json!("botox")));
    say(&processor, &mut tracker, "/restart").await;
    assert!(tracker.active_loop().is_none());
    assert_eq!(tracker.slot("procedure"), None);
    assert_eq!(count(&tracker, "restart"), 1);
    assert_eq!(
        count(&tracker, "session_started"),
        2,
        "a restart opens a new session"
    );
    assert_eq!(
        tracker.latest_action_name().map(|a| a.as_str()),
        Some("action_listen")
    );
}

#[tokio::test]
async fn an_expired_session_restarts_and_carries_slots_over() {
    let dir = tempfile::tempdir().expect("tempdir");
    let processor = processor(dir.path());
    let mut tracker = processor.model().new_tracker(SenderId::new("s"));
    let t0 = 1_700_000_000.0;
    say_at(&processor, &mut tracker, "/book", t0).await;
    say_at(
        &processor,
        &mut tracker,
        r#"/inform{"procedure": "botox"}"#,
        t0,
    )
    .await;
    say_at(&processor, &mut tracker, "/greet", t0 + 59.0 * 60.0).await;
    assert_eq!(
        count(&tracker, "session_started"),
        1,
        "59 minutes later: same session"
    );
    let replies = say_at(&processor, &mut tracker, "/greet", t0 + 3.0 * 3600.0).await;
    assert_eq!(replies, ["Olá! Como posso ajudar?"]);
    assert_eq!(count(&tracker, "session_started"), 2);
    assert_eq!(
        tracker.slot("procedure"),
        Some(&serde_json::json!("botox")),
        "carry_over_slots_to_new_session defaults to true"
    );
}

#[tokio::test]
async fn a_paused_conversation_records_messages_and_stays_silent() {
    let dir = tempfile::tempdir().expect("tempdir");
    let processor = processor(dir.path());
    let mut tracker = processor.model().new_tracker(SenderId::new("s"));
    say(&processor, &mut tracker, "/greet").await;
    tracker.update(Event::new(
        bela_engine::dialogue::events::EventKind::Pause,
        1_700_000_000.0,
    ));
    let replies = say(&processor, &mut tracker, "/greet").await;
    assert!(replies.is_empty(), "{replies:?}");
    assert_eq!(
        count(&tracker, "user"),
        2,
        "the message is kept for the staff"
    );
    tracker.update(Event::new(
        bela_engine::dialogue::events::EventKind::Resume,
        1_700_000_000.0,
    ));
    assert_eq!(
        say(&processor, &mut tracker, "/greet").await,
        ["Olá! Como posso ajudar?"]
    );
}

#[tokio::test]
async fn a_pause_outlives_an_expired_session() {
    let dir = tempfile::tempdir().expect("tempdir");
    let processor = processor(dir.path());
    let mut tracker = processor.model().new_tracker(SenderId::new("s"));
    let t0 = 1_700_000_000.0;
    say_at(&processor, &mut tracker, "/greet", t0).await;
    tracker.update(Event::new(
        bela_engine::dialogue::events::EventKind::Pause,
        t0,
    ));
    let replies = say_at(&processor, &mut tracker, "/greet", t0 + 86_400.0).await;
    assert!(
        replies.is_empty(),
        "staff still hold the conversation: {replies:?}"
    );
    assert_eq!(count(&tracker, "session_started"), 2);
}

#[tokio::test]
async fn no_rule_or_story_gives_the_core_fallback_and_reverts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let processor = processor(dir.path());
    let mut tracker = processor.model().new_tracker(SenderId::new("s"));
    say(&processor, &mut tracker, "/greet").await;
    assert_eq!(
        say(&processor, &mut tracker, "/inform").await,
        ["Desculpe, não entendi."],
        "nothing handles an inform outside the form"
    );
    assert_eq!(tracker.latest_intent().map(|i| i.as_str()), Some("greet"));
    assert_eq!(
        tracker.latest_action_name().map(|a| a.as_str()),
        Some("action_listen")
    );
}

/// A custom action answering with `script`, synchronously.
struct Scripted {
    name: &'static str,
    script: fn(&ActionContext<'_>) -> ActionResult,
}

impl Action for Scripted {
    fn name(&self) -> &str {
        self.name
    }

    fn run<'a>(
        &'a self,
        ctx: &'a ActionContext<'a>,
    ) -> BoxFuture<'a, Result<ActionResult, ActionError>> {
        Box::pin(std::future::ready(Ok((self.script)(ctx))))
    }
}

/// `validate_booking_form` as rasa_sdk's dynamic forms do it: an unknown procedure is
/// cleared and asked again by naming `requested_slot`; "nenhum" ends the form by setting
/// `requested_slot` to null.
fn choosing_validator(ctx: &ActionContext<'_>) -> ActionResult {
    let procedure = ctx.tracker.slot("procedure").and_then(Value::as_str);
    let slot = |name: &str, value: Value| Event::new(EventKind::slot(name, value), ctx.now);
    match procedure {
        Some("tatuagem") => ActionResult {
            replies: vec![Reply::text("Não fazemos tatuagem.")],
            events: vec![
                slot("procedure", Value::Null),
                slot("requested_slot", Value::from("procedure")),
            ],
        },
        Some("nenhum") => ActionResult {
            replies: vec![Reply::text("Tudo bem, fica para outra vez.")],
            events: vec![
                slot("procedure", Value::Null),
                slot("requested_slot", Value::Null),
            ],
        },
        _ => ActionResult::default(),
    }
}

#[tokio::test]
async fn a_validation_that_names_the_next_slot_gets_it_asked_and_null_ends_the_form() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut registry = ActionRegistry::new();
    registry.register(Arc::new(Scripted {
        name: "validate_booking_form",
        script: choosing_validator,
    }));
    let processor = processor_with(dir.path(), registry);
    let mut tracker = processor
        .model()
        .new_tracker(SenderId::new("5511988887777"));
    say(&processor, &mut tracker, "/book").await;
    assert_eq!(
        say(
            &processor,
            &mut tracker,
            r#"/inform{"procedure": "tatuagem"}"#
        )
        .await,
        [
            "Não fazemos tatuagem.",
            "Qual procedimento você quer agendar?"
        ],
        "the slot the validation named is asked"
    );
    let said = say(
        &processor,
        &mut tracker,
        r#"/inform{"procedure": "nenhum"}"#,
    )
    .await;
    assert_eq!(
        said.first().map(String::as_str),
        Some("Tudo bem, fica para outra vez.")
    );
    assert!(
        !said.iter().any(|s| s == "Qual o seu nome?"),
        "a null requested_slot ends the form without asking for the name: {said:?}"
    );
    assert!(tracker.active_loop().is_none());
}

/// Answers with `utter_booked` filled by keyword arguments, as a rasa_sdk action's
/// `dispatcher.utter_message(response="utter_booked", name="Bia")` does.
fn kwargs_action(_: &ActionContext<'_>) -> ActionResult {
    let reply: Reply = serde_json::from_value(serde_json::json!({
        "response": "utter_booked",
        "name": "Bia",
        "buttons": [{"title": "Ok", "payload": "/greet"}]
    }))
    .expect("a rasa_sdk response");
    assert_eq!(
        reply.kwargs.len(),
        1,
        "buttons are not a template variable: {:?}",
        reply.kwargs
    );
    ActionResult {
        replies: vec![reply],
        events: Vec::new(),
    }
}

#[tokio::test]
async fn a_custom_actions_keyword_arguments_fill_the_response_template() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut registry = ActionRegistry::new();
    registry.register(Arc::new(Scripted {
        name: "action_kwargs",
        script: kwargs_action,
    }));
    let processor = processor_with(dir.path(), registry);
    let mut tracker = processor
        .model()
        .new_tracker(SenderId::new("5511977776666"));
    let said = processor
        .execute_action(
            &mut tracker,
            &bela_engine::names::ActionName::new("action_kwargs"),
            None,
            1_700_000_000.0,
            false,
        )
        .await
        .expect("runs");
    assert_eq!(said.len(), 1);
    // `name` comes from the keyword argument; `procedure`, unset, prints as Rasa does.
    assert_eq!(said[0].text.as_deref(), Some("Pronto, Bia: None agendado."));
    assert_eq!(said[0].data.buttons.len(), 1);
}
