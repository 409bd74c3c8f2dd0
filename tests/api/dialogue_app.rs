//! A server with conversations, over the dialogue fixture project (`tests/fixtures/dialogue`:
//! a greeting, a booking form and a bot challenge that interrupts it).

use crate::helpers::{TestApp, copy_dir, loopback, serve};
use bela_engine::dialogue::actions::ActionRegistry;
use bela_engine::dialogue::model::DialogueModel;
use bela_engine::dialogue::processor::Processor;
use bela_engine::nlu::model::NluModel;
use bela_engine::project::{DialogueTrainOutcome, Project, TrainOutcome};
use bela_server::AppState;
use bela_server::conversations::Conversations;
use bela_server::store::test_support;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// The fixture project, trained once per test binary.
pub struct Trained {
    _tmp: tempfile::TempDir,
    nlu_dir: PathBuf,
    dialogue_dir: PathBuf,
}

/// Trains the NLU and the dialogue model of the fixture, in a temporary copy.
pub fn trained() -> &'static Trained {
    static TRAINED: OnceLock<Trained> = OnceLock::new();
    TRAINED.get_or_init(|| {
        let tmp = tempfile::tempdir().expect("tempdir");
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/dialogue");
        copy_dir(&fixture, tmp.path());
        let project = Project::open(tmp.path()).expect("project");
        let nlu_dir = match project.train(false, &mut |_| {}).expect("NLU training") {
            TrainOutcome::Trained { dir, .. } | TrainOutcome::UpToDate { dir } => dir,
        };
        let dialogue_dir = match project.train_dialogue(false).expect("dialogue training") {
            DialogueTrainOutcome::Trained { dir, warnings, .. } => {
                assert!(warnings.is_empty(), "fixture warnings: {warnings:?}");
                dir
            }
            DialogueTrainOutcome::UpToDate { dir } => dir,
        };
        Trained {
            _tmp: tmp,
            nlu_dir,
            dialogue_dir,
        }
    })
}

/// A server whose conversations live at `database_url`.
pub async fn spawn_dialogue_app(database_url: &str) -> TestApp {
    spawn_with_locks(database_url, None).await
}

/// A server whose conversations live at `database_url`, locked in `lock_store_url`
/// (Redis) when given.
pub async fn spawn_with_locks(database_url: &str, lock_store_url: Option<&str>) -> TestApp {
    serve(
        &loopback(),
        dialogue_state(database_url, lock_store_url).await,
    )
    .await
}

/// The state of a server over the trained fixture whose conversations live at
/// `database_url`, locked in `lock_store_url` (Redis) when given.
pub async fn dialogue_state(database_url: &str, lock_store_url: Option<&str>) -> AppState {
    let trained = trained();
    let nlu = Arc::new(NluModel::load(&trained.nlu_dir).expect("NLU model loads"));
    let dialogue = DialogueModel::load(&trained.dialogue_dir).expect("dialogue model loads");
    let processor = Processor::new(Arc::new(dialogue), ActionRegistry::new(), nlu.clone());
    let conversations = Conversations::connect(
        processor,
        trained.dialogue_dir.clone(),
        database_url,
        lock_store_url,
    )
    .await
    .expect("store opens");
    AppState::new(nlu, trained.nlu_dir.clone(), None).with_conversations(conversations)
}

/// A server on a fresh SQLite file in `dir`.
pub async fn spawn_sqlite_app(dir: &Path) -> TestApp {
    spawn_dialogue_app(&format!("sqlite://{}", dir.join("bela.db").display())).await
}

/// The test PostgreSQL URL, or `None` (the test is skipped) when it is unreachable and
/// `BELA_REQUIRE_SERVICES` is not set.
pub async fn postgres_url() -> Option<String> {
    test_support::postgres_store()
        .await
        .map(|_| test_support::postgres_url())
}

/// The test Redis URL, or `None` (the test is skipped) when it is unreachable and
/// `BELA_REQUIRE_SERVICES` is not set.
pub async fn redis_url() -> Option<String> {
    test_support::redis_locks()
        .await
        .map(|_| test_support::redis_url())
}

/// A sender id no other test run uses (PostgreSQL outlives test runs).
pub fn unique_sender(label: &str) -> String {
    test_support::unique_sender(label).as_str().to_owned()
}

impl TestApp {
    /// Sends `body` as JSON with `method`; the status and the JSON answer.
    pub async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        let mut request = self.client.request(method, self.url(path));
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("request");
        let status = response.status().as_u16();
        let json = response.json().await.expect("a JSON answer");
        (status, json)
    }

    /// `POST path` with a JSON body.
    pub async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        self.call(reqwest::Method::POST, path, Some(body)).await
    }

    /// `GET path`.
    pub async fn get(&self, path: &str) -> (u16, Value) {
        self.call(reqwest::Method::GET, path, None).await
    }

    /// Sends `message` over the REST webhook as `sender`; the texts the bot answered.
    pub async fn say(&self, sender: &str, message: &str) -> Vec<String> {
        let (status, body) = self
            .post(
                "/webhooks/rest/webhook",
                json!({"sender": sender, "message": message}),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        body.as_array()
            .expect("a list of messages")
            .iter()
            .map(|m| {
                assert_eq!(m["recipient_id"], sender);
                m["text"].as_str().unwrap_or_default().to_owned()
            })
            .collect()
    }

    /// The stored events of `sender`'s conversation.
    pub async fn events(&self, sender: &str) -> Vec<Value> {
        let (status, body) = self
            .get(&format!(
                "/conversations/{sender}/tracker?include_events=ALL"
            ))
            .await;
        assert_eq!(status, 200, "{body}");
        body["events"].as_array().expect("events").clone()
    }
}
