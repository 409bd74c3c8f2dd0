//! A fake OpenAI-compatible transcription server on loopback: records each upload
//! (multipart fields and the WAV file) and answers from a script of transcripts and
//! failures.

use super::Loopback;
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use serde_json::json;
use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex};

/// One upload the fake received.
#[derive(Debug, Clone)]
pub struct Upload {
    /// The `Authorization` header.
    pub authorization: Option<String>,
    /// The text fields (`model`, `language`, `response_format`).
    pub fields: BTreeMap<String, String>,
    /// The `file` part.
    pub file: Vec<u8>,
}

/// A scripted answer.
enum Answer {
    Text(String),
    Fail(u16),
}

#[derive(Default)]
struct Inner {
    uploads: Vec<Upload>,
    script: VecDeque<Answer>,
}

/// The running fake; dropping it stops it.
pub struct FakeStt {
    /// `http://127.0.0.1:PORT` (requests go to `/v1/audio/transcriptions`).
    pub base: String,
    inner: Arc<Mutex<Inner>>,
    _server: Loopback,
}

impl FakeStt {
    /// Starts the fake on a free loopback port.
    pub async fn start() -> Self {
        let inner = Arc::new(Mutex::new(Inner::default()));
        let app = Router::new()
            .route("/v1/audio/transcriptions", post(transcribe))
            .with_state(inner.clone());
        let server = Loopback::serve(app).await;
        Self {
            base: server.base.clone(),
            inner,
            _server: server,
        }
    }

    /// The next upload is answered with `text`.
    pub fn say(&self, text: &str) {
        self.lock().script.push_back(Answer::Text(text.into()));
    }

    /// The next upload is answered with HTTP `status`.
    pub fn fail_next(&self, status: u16) {
        self.lock().script.push_back(Answer::Fail(status));
    }

    /// The uploads received so far.
    pub fn uploads(&self) -> Vec<Upload> {
        self.lock().uploads.clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().expect("fake STT state")
    }
}

async fn transcribe(
    State(inner): State<Arc<Mutex<Inner>>>,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, String) {
    let content_type = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let Some(boundary) = content_type.split("boundary=").nth(1) else {
        return (StatusCode::BAD_REQUEST, "not multipart".into());
    };
    let (fields, file) = parse_multipart(&body, boundary.trim_matches('"'));
    let mut inner = inner.lock().expect("fake STT state");
    inner.uploads.push(Upload {
        authorization: headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
        fields,
        file,
    });
    match inner.script.pop_front() {
        Some(Answer::Text(text)) => (StatusCode::OK, json!({"text": text}).to_string()),
        Some(Answer::Fail(status)) => (
            StatusCode::from_u16(status).expect("a status"),
            json!({"error": {"message": "injected failure"}}).to_string(),
        ),
        None => (StatusCode::OK, json!({"text": ""}).to_string()),
    }
}

/// The text fields and the `file` part of a multipart/form-data body.
fn parse_multipart(body: &[u8], boundary: &str) -> (BTreeMap<String, String>, Vec<u8>) {
    let delimiter = format!("--{boundary}");
    let mut fields = BTreeMap::new();
    let mut file = Vec::new();
    for part in split(body, delimiter.as_bytes()).into_iter().skip(1) {
        let Some(split_at) = find(part, b"\r\n\r\n") else {
            continue; // the closing "--"
        };
        let headers = String::from_utf8_lossy(&part[..split_at]);
        let mut content = &part[split_at + 4..];
        content = content.strip_suffix(b"\r\n").unwrap_or(content);
        let Some(name) = headers
            .split("name=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
        else {
            continue;
        };
        if name == "file" {
            file = content.to_vec();
        } else {
            fields.insert(
                name.to_owned(),
                String::from_utf8_lossy(content).into_owned(),
            );
        }
    }
    (fields, file)
}

fn split<'a>(mut body: &'a [u8], delimiter: &[u8]) -> Vec<&'a [u8]> {
    let mut parts = Vec::new();
    while let Some(at) = find(body, delimiter) {
        parts.push(&body[..at]);
        body = &body[at + delimiter.len()..];
    }
    parts.push(body);
    parts
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
