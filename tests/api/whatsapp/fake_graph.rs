//! A fake Graph API on loopback: records every message request and answers from a script
//! of injected failures, then with success.

use axum::Json;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use serde_json::{Value, json};
use std::collections::VecDeque;
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
    server: tokio::task::JoinHandle<()>,
}

impl Drop for FakeGraph {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl FakeGraph {
    /// Starts the fake on a free loopback port.
    pub async fn start() -> Self {
        let inner = Arc::new(Mutex::new(Inner::default()));
        let app = Router::new()
            .route("/{version}/{phone}/messages", post(messages))
            .with_state(inner.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self {
            base,
            inner,
            server,
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
