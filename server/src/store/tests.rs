//! The store and the locks against real databases: SQLite (memory and file) and, when
//! reachable, PostgreSQL.

use crate::store::test_support::{
    bot, postgres_store, postgres_url, redis_locks, unique_sender, user,
};
use crate::store::{ConversationLocks, StoreError, TrackerStore};
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;

async fn sqlite_memory() -> TrackerStore<Value> {
    match TrackerStore::connect("sqlite::memory:").await {
        Ok(store) => store,
        Err(e) => panic!("in-memory SQLite: {e}"),
    }
}

/// Append, load, optimistic conflicts, replace and delete on any backend.
async fn check_round_trip(store: &TrackerStore<Value>) {
    let sender = unique_sender("round-trip");
    assert_eq!(
        store.load(&sender).await.expect("the store answers"),
        Vec::<Value>::new()
    );
    assert_eq!(store.len(&sender).await.expect("the store answers"), 0);

    let first = [user("oi, qto custa o botox?", 1733080000.25)];
    assert_eq!(
        store
            .append(&sender, 0, &first)
            .await
            .expect("the store answers"),
        1
    );
    let second = [
        bot("O botox custa a partir de R$ 900.", 1733080001.5),
        json!({"event": "action", "timestamp": 1733080001.75, "name": "action_listen"}),
    ];
    assert_eq!(
        store
            .append(&sender, 1, &second)
            .await
            .expect("the store answers"),
        3
    );
    let all: Vec<Value> = first.iter().chain(&second).cloned().collect();
    assert_eq!(store.load(&sender).await.expect("the store answers"), all);
    assert_eq!(store.len(&sender).await.expect("the store answers"), 3);
    assert!(
        store
            .senders()
            .await
            .expect("the store answers")
            .contains(&sender)
    );

    // A writer that read 1 event (stale) or imagines 5 (ahead) is refused, nothing written.
    for stale in [1, 5] {
        let e = store
            .append(&sender, stale, &[user("de novo", 1733080002.0)])
            .await
            .unwrap_err();
        assert!(
            matches!(e, StoreError::Conflict { expected, actual: 3, .. } if expected == stale),
            "{e}"
        );
    }
    assert_eq!(store.load(&sender).await.expect("the store answers"), all);

    // An empty append changes nothing but still checks the length.
    assert_eq!(
        store
            .append(&sender, 3, &[])
            .await
            .expect("the store answers"),
        3
    );
    assert!(
        store
            .append(&sender, 2, &[])
            .await
            .unwrap_err()
            .is_conflict()
    );

    let fresh = [json!({"event": "session_started", "timestamp": 1733090000.0})];
    assert_eq!(
        store
            .replace(&sender, &fresh)
            .await
            .expect("the store answers"),
        1
    );
    assert_eq!(
        store.load(&sender).await.expect("the store answers"),
        fresh.to_vec()
    );
    assert_eq!(
        store
            .append(&sender, 1, &second)
            .await
            .expect("the store answers"),
        3
    );

    assert!(store.delete(&sender).await.expect("the store answers"));
    assert!(!store.delete(&sender).await.expect("the store answers"));
    assert!(
        store
            .load(&sender)
            .await
            .expect("the store answers")
            .is_empty()
    );
    assert!(
        !store
            .senders()
            .await
            .expect("the store answers")
            .contains(&sender)
    );
}

/// A bad event rejects the whole batch with its position, and writes nothing.
async fn check_invalid_batch(store: &TrackerStore<Value>) {
    let sender = unique_sender("invalid");
    let batch = [user("oi", 1.0), json!({"event": "bot", "text": "sem hora"})];
    let e = store.append(&sender, 0, &batch).await.unwrap_err();
    assert!(
        matches!(e, StoreError::InvalidEvent { index: 1, .. }),
        "{e}"
    );
    assert!(e.is_user_error());
    assert!(e.to_string().contains("timestamp"), "{e}");
    assert_eq!(store.len(&sender).await.expect("the store answers"), 0);
}

/// `tasks` concurrent writers, spread over `stores` and their `locks` (one pair per
/// simulated process), each doing lock → load → append(expected_len) → unlock for one
/// sender: every append must succeed and every event survive, in a gap-free sequence.
async fn check_ordering(pairs: Vec<(TrackerStore<Value>, ConversationLocks)>, tasks: usize) {
    let sender = unique_sender("ordering");
    let pairs = Arc::new(pairs);
    let handles: Vec<_> = (0..tasks)
        .map(|i| {
            let (pairs, sender) = (Arc::clone(&pairs), sender.clone());
            tokio::spawn(async move {
                let (store, locks) = &pairs[i % pairs.len()];
                let guard = locks.lock(&sender).await?;
                let events = store.load(&sender).await?;
                let event = user(&format!("mensagem {i}"), 1733080000.0 + i as f64);
                let len = store.append(&sender, events.len() as u64, &[event]).await?;
                guard.release().await?;
                Ok::<u64, StoreError>(len)
            })
        })
        .collect();
    let mut lengths = Vec::new();
    for handle in handles {
        lengths.push(
            handle
                .await
                .expect("the store answers")
                .unwrap_or_else(|e| panic!("{e}")),
        );
    }
    lengths.sort_unstable();
    assert_eq!(lengths, (1..=tasks as u64).collect::<Vec<_>>());
    let (store, locks) = &pairs[0];
    let mut texts: Vec<String> = store
        .load(&sender)
        .await
        .expect("the store answers")
        .iter()
        .filter_map(|e| e["text"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(texts.len(), tasks);
    texts.sort();
    texts.dedup();
    assert_eq!(texts.len(), tasks, "every task's event is stored once");
    assert_eq!(locks.active(), 0, "unused in-process locks are removed");
}

/// `writers` tasks append at once, all having read an empty conversation, without locks:
/// exactly one wins, the others get a conflict, nothing is half-written.
async fn check_racing_writers(store: &TrackerStore<Value>, writers: usize) {
    let sender = unique_sender("race");
    let handles: Vec<_> = (0..writers)
        .map(|i| {
            let (store, sender) = (store.clone(), sender.clone());
            tokio::spawn(async move {
                let events = [user(&format!("oi {i}"), 1.0), bot("Olá!", 2.0)];
                store.append(&sender, 0, &events).await
            })
        })
        .collect();
    let (mut won, mut conflicts) = (0, 0);
    for handle in handles {
        match handle.await.expect("the store answers") {
            Ok(len) => {
                assert_eq!(len, 2);
                won += 1;
            }
            Err(e) if e.is_conflict() => conflicts += 1,
            Err(e) => panic!("{e}"),
        }
    }
    assert_eq!((won, conflicts), (1, writers - 1));
    assert_eq!(
        store.load(&sender).await.expect("the store answers").len(),
        2
    );
}

/// Only the latest session is loaded, from its `action_session_start`; appends go on at
/// the right position.
async fn check_latest_session(store: &TrackerStore<Value>) {
    let sender = unique_sender("sessions");
    let session = |t: f64| {
        vec![
            json!({"event": "action", "timestamp": t, "name": "action_session_start"}),
            json!({"event": "session_started", "timestamp": t}),
            json!({"event": "action", "timestamp": t, "name": "action_listen"}),
            user("oi", t),
        ]
    };
    assert_eq!(
        store
            .load_latest_session(&sender)
            .await
            .expect("the store answers"),
        (0, Vec::new())
    );
    let first = session(1.0);
    store
        .append(&sender, 0, &first)
        .await
        .expect("the store answers");
    assert_eq!(
        store
            .load_latest_session(&sender)
            .await
            .expect("the store answers"),
        (0, first.clone())
    );
    let second = session(5000.0);
    store
        .append(&sender, 4, &second)
        .await
        .expect("the store answers");
    let (offset, latest) = store
        .load_latest_session(&sender)
        .await
        .expect("the store answers");
    assert_eq!((offset, latest), (4, second.clone()));
    store
        .append(&sender, offset + 4, &[bot("Olá!", 5001.0)])
        .await
        .expect("the store answers");
    assert_eq!(store.len(&sender).await.expect("the store answers"), 9);
    assert_eq!(
        store.load(&sender).await.expect("the store answers").len(),
        9,
        "nothing is dropped"
    );
}

#[tokio::test]
async fn sqlite_loads_the_latest_session() {
    check_latest_session(&sqlite_memory().await).await;
}

#[tokio::test]
async fn sqlite_file_loads_the_latest_session_and_rejects_bad_batches() {
    // A file is served by its own connection thread, not the pool an in-memory one uses.
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}", dir.path().join("bela.db").display());
    let store = TrackerStore::connect(&url)
        .await
        .expect("the store answers");
    check_latest_session(&store).await;
    check_invalid_batch(&store).await;
}

#[tokio::test]
async fn postgres_loads_the_latest_session() {
    if let Some(store) = postgres_store().await {
        check_latest_session(&store).await;
    }
}

#[tokio::test]
async fn sqlite_memory_round_trip() {
    let store = sqlite_memory().await;
    check_round_trip(&store).await;
    check_invalid_batch(&store).await;
}

#[tokio::test]
async fn sqlite_file_is_created_and_survives_a_restart() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("project/.bela/bela.db");
    let url = format!("sqlite://{}", file.display());
    let sender = unique_sender("restart");
    let events = [user("tem horario amanha?", 10.0), bot("Temos sim!", 11.0)];
    {
        let store: TrackerStore<Value> = TrackerStore::connect(&url)
            .await
            .expect("the store answers");
        check_round_trip(&store).await;
        store
            .append(&sender, 0, &events)
            .await
            .expect("the store answers");
    }
    assert!(
        file.is_file(),
        "the database file and its directory are created"
    );
    // Reopening re-runs the (already applied) migrations and finds the conversation.
    let store: TrackerStore<Value> = TrackerStore::connect(&url)
        .await
        .expect("the store answers");
    assert_eq!(
        store.load(&sender).await.expect("the store answers"),
        events.to_vec()
    );
    assert_eq!(
        store.senders().await.expect("the store answers"),
        vec![sender]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_in_process_locks_order_one_sender() {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}", dir.path().join("bela.db").display());
    let store = TrackerStore::connect(&url)
        .await
        .expect("the store answers");
    check_racing_writers(&store, 8).await;
    check_ordering(vec![(store, ConversationLocks::in_process())], 40).await;
}

#[tokio::test]
async fn a_stored_event_the_type_cannot_read_is_reported_as_corrupt() {
    #[derive(serde::Serialize, serde::Deserialize)]
    struct Strict {
        event: String,
        timestamp: f64,
        text: String,
    }
    impl crate::store::EventRecord for Strict {
        fn type_name(&self) -> Result<&str, String> {
            Ok(&self.event)
        }
        fn timestamp(&self) -> Result<f64, String> {
            Ok(self.timestamp)
        }
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}", dir.path().join("bela.db").display());
    let sender = unique_sender("corrupt");
    let raw: TrackerStore<Value> = TrackerStore::connect(&url)
        .await
        .expect("the store answers");
    let action = json!({"event": "action", "timestamp": 2.0, "name": "action_listen"});
    raw.append(&sender, 0, &[user("oi", 1.0), action])
        .await
        .expect("the store answers");
    let typed: TrackerStore<Strict> = TrackerStore::connect(&url)
        .await
        .expect("the store answers");
    let e = typed.load(&sender).await.err().expect("an error");
    assert!(matches!(e, StoreError::Corrupt { seq: 1, .. }), "{e}");
    assert!(!e.is_user_error());
}

#[tokio::test]
async fn unsupported_urls_are_user_errors() {
    let e = TrackerStore::<Value>::connect("mysql://root:hunter2@db/bela")
        .await
        .err()
        .expect("the store answers");
    assert!(e.is_user_error());
    assert!(e.to_string().contains("mysql://root:***@db/bela"), "{e}");
    assert!(!e.to_string().contains("hunter2"));
}

#[tokio::test]
async fn postgres_round_trip() {
    let Some(store) = postgres_store().await else {
        return;
    };
    check_round_trip(&store).await;
    check_invalid_batch(&store).await;
    check_racing_writers(&store, 8).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_advisory_locks_order_one_sender_across_processes() {
    let Some(first) = postgres_store().await else {
        return;
    };
    // A second pool and a second set of in-process locks: another server process.
    let second = postgres_store().await.expect("the store answers");
    let url = postgres_url();
    let pairs = vec![
        (
            first,
            ConversationLocks::connect(&url, None)
                .await
                .expect("the store answers"),
        ),
        (
            second,
            ConversationLocks::connect(&url, None)
                .await
                .expect("the store answers"),
        ),
    ];
    check_ordering(pairs, 40).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_locks_order_one_sender_across_processes() {
    let (Some(first), Some(second)) = (redis_locks().await, redis_locks().await) else {
        return;
    };
    // Two pools on one SQLite file stand for two processes sharing the conversations.
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}", dir.path().join("bela.db").display());
    let pairs = vec![
        (
            TrackerStore::connect(&url)
                .await
                .expect("the store answers"),
            ConversationLocks::with_redis(first),
        ),
        (
            TrackerStore::connect(&url)
                .await
                .expect("the store answers"),
            ConversationLocks::with_redis(second),
        ),
    ];
    check_ordering(pairs, 40).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redis_lock_is_renewed_while_held_and_freed_on_drop() {
    let Some(locks) = redis_locks().await else {
        return;
    };
    let (here, elsewhere) = (locks.clone().with_ttl(Duration::from_millis(150)), locks);
    let sender = unique_sender("redis-ttl");
    let held = here.lock(&sender).await.expect("the store answers");
    // Held well past its TTL: renewal keeps others out.
    let waiting = tokio::time::timeout(Duration::from_millis(500), elsewhere.lock(&sender));
    assert!(waiting.await.is_err(), "the lock must still be held");
    drop(held);
    let after = tokio::time::timeout(Duration::from_secs(2), elsewhere.lock(&sender)).await;
    let guard = after
        .expect("a dropped guard frees the lock")
        .expect("the lock is taken");
    guard.unlock().await.expect("the store answers");
}

#[tokio::test]
async fn a_lock_store_that_is_not_redis_is_refused() {
    let e = ConversationLocks::connect("sqlite::memory:", Some("memcached://cache"))
        .await
        .err()
        .expect("the store answers");
    assert!(e.is_user_error(), "{e}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_locks_survive_cancelled_waits_and_dropped_guards() {
    if postgres_store().await.is_none() {
        return;
    }
    let url = postgres_url();
    let here = ConversationLocks::connect(&url, None)
        .await
        .expect("the store answers");
    let elsewhere = ConversationLocks::connect(&url, None)
        .await
        .expect("the store answers");
    let sender = unique_sender("pg-cancel");
    let held = here.lock(&sender).await.expect("the store answers");
    // A wait given up inside PostgreSQL's lock queue must not leave the lock behind.
    let gave_up = tokio::time::timeout(Duration::from_millis(100), elsewhere.lock(&sender));
    assert!(
        gave_up.await.is_err(),
        "the lock must be exclusive across pools"
    );
    // Dropped, not released: the unlock runs in the background.
    drop(held);
    let taken = tokio::time::timeout(Duration::from_secs(5), elsewhere.lock(&sender))
        .await
        .expect("the lock is free again")
        .expect("the store answers");
    taken.release().await.expect("the store answers");
    let again = tokio::time::timeout(Duration::from_secs(5), here.lock(&sender))
        .await
        .expect("the first process can lock again")
        .expect("the store answers");
    again.release().await.expect("the store answers");
}
