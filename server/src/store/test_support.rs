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

/// A migrated store on the test PostgreSQL (the database is created if missing), or
/// `None` when the server is unreachable and not required. Other errors always fail.
pub async fn postgres_store() -> Option<TrackerStore<Value>> {
    let url = postgres_url();
    let mut connected = TrackerStore::connect(&url).await;
    for _ in 0..5 {
        if !connected.as_ref().err().is_some_and(is_missing_database) {
            break;
        }
        create_database(&url).await;
        // A concurrent creator may not have committed yet.
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        connected = TrackerStore::connect(&url).await;
    }
    match connected {
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

fn is_missing_database(e: &StoreError) -> bool {
    matches!(e, StoreError::Database { source, .. }
        if source.as_database_error().and_then(|d| d.code()).as_deref() == Some("3D000"))
}

/// Creates the test database named by `url` through the server's `postgres` database, so
/// a fresh server only needs to be running; a concurrent creation is fine.
async fn create_database(url: &str) {
    use sqlx::Connection;
    let Some((server, name)) = url.rsplit_once('/') else {
        return;
    };
    let name = name.split('?').next().unwrap_or(name);
    let admin = format!("{server}/postgres");
    let mut connection = sqlx::PgConnection::connect(&admin)
        .await
        .unwrap_or_else(|e| panic!("PostgreSQL at {admin}: {e}"));
    let create = format!("CREATE DATABASE \"{}\"", name.replace('"', "\"\""));
    if let Err(e) = sqlx::raw_sql(sqlx::AssertSqlSafe(create))
        .execute(&mut connection)
        .await
    {
        // Another test got there first: "already exists", or, mid-creation, a catalog clash.
        let code = e.as_database_error().and_then(|d| d.code());
        let raced = matches!(code.as_deref(), Some("42P04" | "23505"));
        assert!(raced, "creating the test database at {url}: {e}");
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
