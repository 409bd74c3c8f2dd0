//! A fake Graph API on loopback: records every message request and answers from a script
//! of injected failures, then with success; serves media (metadata, then the file at the
//! URL it gives) to bearer-token requests.

use super::Loopback;
use axum::Json;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A Graph API error body with Meta's `code` and `message`.
pub fn meta_error(code: i64, message: &str) -> Value {
    json!({"error": {"message": message, "type": "OAuthException", "code": code}})
}

/// One request the fake received.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// `{version}/{phone_number_id}`.
    pub path: String,
    /// The `Authorization` header.
    pub authorization: Option<String>,
    /// The JSON body.
    pub body: Value,
}

#[derive(Default)]
struct Inner {
    requests: Vec<Recorded>,
    /// Mark-as-read requests: the wamids.
    reads: Vec<String>,
    script: VecDeque<Scripted>,
    /// `http://127.0.0.1:PORT`, for the media URLs it hands out.
    base: String,
    /// Media ids and their files.
    media: HashMap<String, Vec<u8>>,
    /// Media requests: the path and the `Authorization` header.
    media_requests: Vec<(String, Option<String>)>,
}

/// An injected answer to one request.
enum Scripted {
    /// This status and error body.
    Fail(StatusCode, Value),
    /// No answer for this long (the client times out).
    Stall(Duration),
}

/// The running fake; dropping it stops it.
pub struct FakeGraph {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    inner: Arc<Mutex<Inner>>,
    _server: Loopback,
}

impl FakeGraph {
    /// Starts the fake on a free loopback port.
    pub async fn start() -> Self {
        let inner = Arc::new(Mutex::new(Inner::default()));
        let app = Router::new()
            .route("/{version}/{phone}/messages", post(messages))
            .route("/{version}/{media_id}", get(media_info))
            .route("/whatsapp_business/attachments/{media_id}", get(media_file))
            .with_state(inner.clone());
        let server = Loopback::serve(app).await;
        inner.lock().expect("fake Graph state").base = server.base.clone();
        Self {
            base: server.base.clone(),
            inner,
            _server: server,
        }
    }

    /// The next request is answered with `status` and `body`.
    pub fn fail_next(&self, status: u16, body: Value) {
        let status = StatusCode::from_u16(status).expect("a status");
        self.lock().script.push_back(Scripted::Fail(status, body));
    }

    /// The next request gets no answer for `delay`.
    pub fn stall_next(&self, delay: Duration) {
        self.lock().script.push_back(Scripted::Stall(delay));
    }

    /// Serves `bytes` as medium `media_id`.
    pub fn serve_media(&self, media_id: &str, bytes: Vec<u8>) {
        self.lock().media.insert(media_id.into(), bytes);
    }

    /// The media requests so far: path and `Authorization` header.
    pub fn media_requests(&self) -> Vec<(String, Option<String>)> {
        self.lock().media_requests.clone()
    }

    /// The inbound messages marked read so far.
    pub fn reads(&self) -> Vec<String> {
        self.lock().reads.clone()
    }

    /// The message requests received so far (mark-as-read requests aside).
    pub fn requests(&self) -> Vec<Recorded> {
        self.lock().requests.clone()
    }

    /// Waits until `n` requests arrived (failing after 10 s), then a little longer so a
    /// request too many would be seen; returns them all.
    pub async fn wait_for(&self, n: usize) -> Vec<Recorded> {
        for _ in 0..1000 {
            if self.requests().len() >= n {
                tokio::time::sleep(Duration::from_millis(300)).await;
                return self.requests();
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("expected {n} Graph requests, got {:?}", self.requests());
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().expect("fake Graph state")
    }
}

/// `GET /{version}/{media_id}`: the medium's metadata with a download URL.
async fn media_info(
    State(inner): State<Arc<Mutex<Inner>>>,
    Path((version, media_id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let mut inner = inner.lock().expect("fake Graph state");
    let known = note_media_request(&mut inner, format!("{version}/{media_id}"), &headers);
    match known.and_then(|()| inner.media.get(&media_id).ok_or(StatusCode::NOT_FOUND)) {
        Ok(bytes) => Json(json!({
            "messaging_product": "whatsapp",
            "url": format!("{}/whatsapp_business/attachments/{media_id}", inner.base),
            "mime_type": "audio/ogg; codecs=opus",
            "file_size": bytes.len(),
            "id": media_id,
        }))
        .into_response(),
        Err(status) => (status, Json(meta_error(100, "unknown media"))).into_response(),
    }
}

/// `GET` of the URL `media_info` gave: the file.
async fn media_file(
    State(inner): State<Arc<Mutex<Inner>>>,
    Path(media_id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let mut inner = inner.lock().expect("fake Graph state");
    let path = format!("whatsapp_business/attachments/{media_id}");
    let known = note_media_request(&mut inner, path, &headers);
    match known.and_then(|()| inner.media.get(&media_id).ok_or(StatusCode::NOT_FOUND)) {
        Ok(bytes) => bytes.clone().into_response(),
        Err(status) => status.into_response(),
    }
}

/// Records a media request; 401 without the bearer token.
fn note_media_request(
    inner: &mut Inner,
    path: String,
    headers: &HeaderMap,
) -> Result<(), StatusCode> {
    let authorization = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let authorised = authorization.as_deref() == Some("Bearer EAAG-teste");
    inner.media_requests.push((path, authorization));
    if authorised {
        Ok(())
    } else {
        Err(StatusCode::UNAUTHORIZED)
    }
}

async fn messages(
    State(inner): State<Arc<Mutex<Inner>>>,
    Path((version, phone)): Path<(String, String)>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> (StatusCode, Json<Value>) {
    let scripted = {
        let mut inner = inner.lock().expect("fake Graph state");
        record(&mut inner, version, phone, &headers, body)
    };
    match scripted {
        Ok(answer) => answer,
        Err(Scripted::Fail(status, body)) => (status, Json(body)),
        Err(Scripted::Stall(delay)) => {
            tokio::time::sleep(delay).await;
            (
                StatusCode::OK,
                Json(json!({"messages": [{"id": "wamid.LATE"}]})),
            )
        }
    }
}

/// Records the request; the answer, or what the script says instead.
fn record(
    inner: &mut Inner,
    version: String,
    phone: String,
    headers: &HeaderMap,
    body: Value,
) -> Result<(StatusCode, Json<Value>), Scripted> {
    if body["status"] == "read" {
        assert_eq!(body["typing_indicator"]["type"], "text", "{body}");
        let wamid = body["message_id"].as_str().unwrap_or_default().to_owned();
        inner.reads.push(wamid);
        return Ok((StatusCode::OK, Json(json!({"success": true}))));
    }
    inner.requests.push(Recorded {
        path: format!("{version}/{phone}"),
        authorization: headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
        body,
    });
    match inner.script.pop_front() {
        Some(scripted) => Err(scripted),
        None => {
            let id = format!("wamid.OUT{}", inner.requests.len());
            Ok((
                StatusCode::OK,
                Json(json!({"messaging_product": "whatsapp", "messages": [{"id": id}]})),
            ))
        }
    }
}
