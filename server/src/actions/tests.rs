//! [`RemoteActions`] against fake action servers on loopback.

use super::*;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::post;
use bela_engine::dialogue::actions::{ActionContext, ActionError, ActionRegistry, ActionServer};
use bela_engine::dialogue::domain::Domain;
use bela_engine::dialogue::events::ParseData;
use bela_engine::dialogue::events::{Event, EventKind};
use bela_engine::dialogue::model::{DialogueModel, PolicySettings};
use bela_engine::dialogue::processor::{Interpreter, Processor, UserMessage};
use bela_engine::dialogue::stories;
use bela_engine::dialogue::tracker::Tracker;
use bela_engine::names::IntentName;
use bela_engine::names::{ActionName, SenderId};
use bela_engine::nlu::IntentScore;
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

const DOMAIN: &str = r#"
version: "3.1"
intents: [agendar]
slots:
  procedimento:
    type: text
    mappings: [{type: custom}]
responses:
  utter_confirmado:
    - text: "Agendado!"
  utter_default:
    - text: "Desculpe, não entendi."
actions: [action_agendar]
"#;

const RULES: &str = r#"
version: "3.1"
rules:
- rule: booking runs the custom action
  steps:
  - intent: agendar
  - action: action_agendar
"#;

/// One call a fake server saw: the body, the query and the headers.
type Call = (Value, HashMap<String, String>, HeaderMap);

/// Every call a fake server saw.
#[derive(Clone, Default)]
struct Recorded(Arc<Mutex<Vec<Call>>>);

/// How a fake server answers.
#[derive(Clone)]
enum Behaviour {
    Answer(Value),
    Raw(StatusCode, &'static str),
    Slow(Duration),
}

async fn fake(
    State((behaviour, recorded)): State<(Behaviour, Recorded)>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    body: axum::Json<Value>,
) -> axum::response::Response {
    if let Ok(mut calls) = recorded.0.lock() {
        calls.push((body.0, query, headers));
    }
    match behaviour {
        Behaviour::Answer(value) => axum::Json(value).into_response(),
        Behaviour::Raw(status, text) => (status, text).into_response(),
        Behaviour::Slow(delay) => {
            tokio::time::sleep(delay).await;
            axum::Json(json!({})).into_response()
        }
    }
}

/// Starts a fake action server; returns its webhook URL and what it records.
async fn spawn(behaviour: Behaviour) -> (reqwest::Url, Recorded) {
    let recorded = Recorded::default();
    let app = Router::new()
        .route("/webhook", post(fake))
        .with_state((behaviour, recorded.clone()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let addr = listener.local_addr().expect("local addr");
    tokio::spawn(async move { axum::serve(listener, app).await });
    let url = format!("http://{addr}/webhook").parse().expect("url");
    (url, recorded)
}

fn domain() -> Domain {
    let loaded = Domain::parse(DOMAIN, Path::new("domain.yml"));
    assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
    loaded.domain
}

fn tracker() -> Tracker {
    let slots = Arc::new(BTreeMap::from([("procedimento".into(), Value::Null)]));
    let events = [Event::new(
        EventKind::action("action_listen", None, 1.0),
        1_700_000_000.0,
    )];
    Tracker::from_events(SenderId::new("5511999990000"), slots, events)
}

async fn run(
    endpoint: ActionEndpoint,
) -> Result<bela_engine::dialogue::actions::ActionResult, ActionError> {
    let (domain, tracker) = (domain(), tracker());
    let picker = |_: usize| 0;
    let ctx = ActionContext {
        tracker: &tracker,
        domain: &domain,
        channel: Some("rest"),
        now: 1_800_000_000.0,
        picker: &picker,
    };
    RemoteActions::new(endpoint)
        .run(&ActionName::new("action_agendar"), &ctx)
        .await
}

#[tokio::test]
async fn sends_rasas_request_and_reads_events_and_responses() {
    // Exactly what Rasa SDK's dispatcher and `SlotSet` produce, nulls included.
    let answer = json!({
        "events": [
            {"event": "slot", "timestamp": null, "name": "procedimento", "value": "botox"},
            {"event": "no_such_event", "timestamp": null}
        ],
        "responses": [
            {"text": "Seu horário está reservado", "buttons": [], "elements": [], "custom": {},
             "template": null, "response": null, "image": null, "attachment": null},
            {"template": "utter_confirmado", "response": null, "custom": {}}
        ]
    });
    let (url, recorded) = spawn(Behaviour::Answer(answer)).await;
    let mut endpoint = ActionEndpoint::new(url);
    endpoint.token = Some("s3cr3t".into());
    endpoint.params = vec![("clinica".into(), "centro".into())];
    endpoint.headers = vec![("x-bela".into(), "1".into())];

    let result = run(endpoint).await.expect("action ran");

    assert_eq!(result.events.len(), 1, "the unknown event is skipped");
    let slot = &result.events[0];
    assert!(
        matches!(&slot.kind, EventKind::Slot { name, value } if name.as_str() == "procedimento" && value == "botox"),
        "{slot:?}"
    );
    assert_eq!(slot.timestamp, 1_800_000_000.0, "null timestamps get `now`");
    assert_eq!(result.replies.len(), 2);
    assert_eq!(
        result.replies[0].text.as_deref(),
        Some("Seu horário está reservado")
    );
    assert_eq!(
        result.replies[1].response.as_deref(),
        Some("utter_confirmado")
    );

    let calls = recorded.0.lock().expect("lock").clone();
    assert_eq!(calls.len(), 1);
    let (body, query, headers) = &calls[0];
    assert_eq!(body["next_action"], "action_agendar");
    assert_eq!(body["sender_id"], "5511999990000");
    assert_eq!(body["version"], RASA_PROTOCOL_VERSION);
    assert_eq!(body["tracker"]["sender_id"], "5511999990000");
    assert_eq!(body["tracker"]["events"][0]["event"], "action");
    assert_eq!(body["tracker"]["events"][0]["name"], "action_listen");
    assert!(body["tracker"]["slots"].get("procedimento").is_some());
    assert!(
        body["domain"]["responses"]
            .get("utter_confirmado")
            .is_some()
    );
    assert!(body["domain"]["intents"].is_array());
    assert_eq!(query.get("token").map(String::as_str), Some("s3cr3t"));
    assert_eq!(query.get("clinica").map(String::as_str), Some("centro"));
    assert_eq!(
        headers.get("x-bela").and_then(|v| v.to_str().ok()),
        Some("1")
    );
}

#[tokio::test]
async fn an_empty_answer_is_no_events_and_no_responses() {
    let (url, _) = spawn(Behaviour::Answer(json!({}))).await;
    let result = run(ActionEndpoint::new(url)).await.expect("action ran");
    assert!(result.events.is_empty() && result.replies.is_empty());
}

#[tokio::test]
async fn a_slow_server_times_out_as_a_failure() {
    let (url, _) = spawn(Behaviour::Slow(Duration::from_secs(5))).await;
    let mut endpoint = ActionEndpoint::new(url);
    endpoint.timeout = Duration::from_millis(200);
    match run(endpoint).await {
        Err(ActionError::Failed { reason, .. }) => {
            assert!(reason.contains("no answer within 0.2 s"), "{reason}")
        }
        other => panic!("expected a failure, got {other:?}"),
    }
}

#[tokio::test]
async fn a_400_rejection_is_rejected() {
    let body = r#"{"action_name": "action_agendar", "error": "horário indisponível"}"#;
    let (url, _) = spawn(Behaviour::Raw(StatusCode::BAD_REQUEST, body)).await;
    match run(ActionEndpoint::new(url)).await {
        Err(ActionError::Rejected { action, reason }) => {
            assert_eq!(action.as_str(), "action_agendar");
            assert_eq!(reason, "horário indisponível");
        }
        other => panic!("expected a rejection, got {other:?}"),
    }
}

#[tokio::test]
async fn other_errors_and_garbage_are_failures() {
    let cases = [
        (StatusCode::OK, "<html>oops</html>", "is not `{"),
        (StatusCode::OK, r#"{"events": 3}"#, "is not `{"),
        (StatusCode::BAD_REQUEST, "bad", "answered 400"),
        (
            StatusCode::NOT_FOUND,
            r#"{"error": "No registered action found for name 'action_agendar'."}"#,
            "No registered action",
        ),
        (StatusCode::INTERNAL_SERVER_ERROR, "", "(empty body)"),
    ];
    for (status, body, expected) in cases {
        let (url, _) = spawn(Behaviour::Raw(status, body)).await;
        match run(ActionEndpoint::new(url)).await {
            Err(ActionError::Failed { reason, .. }) => {
                assert!(reason.contains(expected), "{status} {body}: {reason}")
            }
            other => panic!("{status} {body}: expected a failure, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn connection_refused_is_a_failure() {
    // Bind then drop: the port is (almost certainly) closed afterwards.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    drop(listener);
    let url = format!("http://{addr}/webhook").parse().expect("url");
    match run(ActionEndpoint::new(url)).await {
        Err(ActionError::Failed { reason, .. }) => {
            assert!(reason.contains("cannot connect"), "{reason}")
        }
        other => panic!("expected a failure, got {other:?}"),
    }
}

/// Reads every message as `agendar`.
struct Agendar;

impl Interpreter for Agendar {
    fn parse(&self, _: &UserMessage) -> ParseData {
        let intent = IntentScore {
            name: IntentName::new("agendar"),
            confidence: 1.0,
        };
        ParseData {
            intent: Some(intent.clone()),
            intent_ranking: vec![intent],
            ..ParseData::default()
        }
    }
}

/// What the bot says to "quero agendar" with actions run by `url`.
async fn converse(url: reqwest::Url) -> (Vec<String>, Tracker) {
    let (data, diagnostics) = stories::reader::parse(RULES, Path::new("rules.yml"));
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let model = DialogueModel::train(
        domain(),
        Vec::new(),
        &data,
        PolicySettings::default(),
        "t".into(),
    );
    let mut registry = ActionRegistry::new();
    registry.with_server(Arc::new(RemoteActions::new(ActionEndpoint::new(url))));
    let processor = Processor::new(Arc::new(model), registry, Arc::new(Agendar));
    let mut tracker = processor
        .model()
        .new_tracker(SenderId::new("5511999990000"));
    let message = UserMessage {
        text: "quero agendar".into(),
        input_channel: Some("rest".into()),
        timestamp: 1_700_000_000.0,
        ..UserMessage::default()
    };
    let said = processor.handle_message(&mut tracker, message).await;
    (said.into_iter().filter_map(|m| m.text).collect(), tracker)
}

#[tokio::test]
async fn the_processor_runs_remote_actions_and_applies_their_events() {
    let answer = json!({
        "events": [{"event": "slot", "timestamp": null, "name": "procedimento", "value": "botox"}],
        "responses": [{"response": "utter_confirmado"}]
    });
    let (url, recorded) = spawn(Behaviour::Answer(answer)).await;
    let (said, tracker) = converse(url).await;
    assert_eq!(said, vec!["Agendado!"]);
    assert_eq!(tracker.slot("procedimento"), Some(&json!("botox")));
    let calls = recorded.0.lock().expect("lock").clone();
    let events = calls[0].0["tracker"]["events"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        events
            .iter()
            .any(|e| e["event"] == "user" && e["text"] == "quero agendar"),
        "the action server sees the user's message: {events:?}"
    );
}

#[tokio::test]
async fn a_failing_action_server_gets_utter_default() {
    let (url, _) = spawn(Behaviour::Raw(StatusCode::INTERNAL_SERVER_ERROR, "boom")).await;
    let (said, _) = converse(url).await;
    assert_eq!(said, vec!["Desculpe, não entendi."]);
}
