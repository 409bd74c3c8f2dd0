//! Shared by the store's tests: database URLs, the skip-or-fail rule for services, and
//! event builders.

use crate::store::{RedisLocks, StoreError, TrackerStore};
use bela_engine::names::SenderId;
use serde_json::{Value, json};
use std::sync::atomic::{AtomicU64, Ordering};

/// Default test database (trust auth); overridden by `BELA_TEST_DATABASE_URL`.
const DEFAULT_POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

/// Default test Redis; overridden by `BELA_TEST_REDIS_URL`.
const DEFAULT_REDIS_URL: &str = "redis://127.0.0.1:6379";

/// The Redis URL the tests use.
pub fn redis_url() -> String {
    std::env::var("BELA_TEST_REDIS_URL").unwrap_or_else(|_| DEFAULT_REDIS_URL.to_owned())
}

/// The PostgreSQL URL the tests use.
pub fn postgres_url() -> String {
    std::env::var("BELA_TEST_DATABASE_URL").unwrap_or_else(|_| DEFAULT_POSTGRES_URL.to_owned())
}

/// Whether an unreachable service must fail the test (CI sets `BELA_REQUIRE_SERVICES=1`).
pub fn services_required() -> bool {
    std::env::var("BELA_REQUIRE_SERVICES").is_ok_and(|v| v == "1")
}

/// Decides what an unreachable service means: a skip (with a note) on a developer's
/// machine, a panic under `BELA_REQUIRE_SERVICES=1`.
pub fn skip_or_fail(service: &str, url: &str, error: &dyn std::fmt::Display) {
    if services_required() {
        panic!("{service} not reachable at {url} and BELA_REQUIRE_SERVICES=1: {error}");
    }
    eprintln!("skipping: {service} not reachable at {url} ({error})");
}

/// A migrated store on the test PostgreSQL, or `None` when it is unreachable and not
/// required. Errors other than an unreachable server always fail.
pub async fn postgres_store() -> Option<TrackerStore> {
    let url = postgres_url();
    match TrackerStore::connect(&url).await {
        Ok(store) => Some(store),
        Err(e) if is_unreachable(&e) => {
            skip_or_fail("PostgreSQL", &url, &e);
            None
        }
        Err(e) => panic!("PostgreSQL at {url}: {e}"),
    }
}

/// Redis locks on the test server, or `None` when it is unreachable and not required.
pub async fn redis_locks() -> Option<RedisLocks> {
    let url = redis_url();
    match RedisLocks::connect(&url).await {
        Ok(locks) => Some(locks),
        Err(e) if is_unreachable(&e) => {
            skip_or_fail("Redis", &url, &e);
            None
        }
        Err(e) => panic!("Redis at {url}: {e}"),
    }
}

fn is_unreachable(e: &StoreError) -> bool {
    match e {
        StoreError::Database { source, .. } => {
            matches!(source, sqlx::Error::Io(_) | sqlx::Error::PoolTimedOut)
        }
        StoreError::Redis { source, .. } => source.is_io_error() || source.is_connection_refusal(),
        _ => false,
    }
}

/// A sender id no other test (or concurrent test run on the same database) uses.
pub fn unique_sender(label: &str) -> SenderId {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    SenderId::new(format!("{label}-{}-{nanos}-{n}", std::process::id()))
}

/// A Rasa `user` event.
pub fn user(text: &str, timestamp: f64) -> Value {
    json!({
        "event": "user",
        "timestamp": timestamp,
        "text": text,
        "parse_data": {"intent": {"name": "greet", "confidence": 0.93}, "entities": []},
    })
}

/// A Rasa `bot` event.
pub fn bot(text: &str, timestamp: f64) -> Value {
    json!({"event": "bot", "timestamp": timestamp, "text": text, "data": {}})
}
