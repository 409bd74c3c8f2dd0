//! The inbox and outbox SQL on both databases (PostgreSQL when reachable).

use super::inbox::Inbox;
use super::outbox::Outbox;
use crate::store::TrackerStore;
use crate::store::test_support::{postgres_store, unique_sender};
use serde_json::json;

/// In-memory SQLite (sqlx's pool), a SQLite file (its connection thread) and PostgreSQL;
/// the directory holding the file lives as long as the stores.
async fn stores() -> (Vec<TrackerStore>, tempfile::TempDir) {
    let sqlite: TrackerStore = TrackerStore::connect("sqlite::memory:")
        .await
        .expect("in-memory store");
    let dir = tempfile::tempdir().expect("a temporary directory");
    let url = format!("sqlite://{}", dir.path().join("bela.db").display());
    let file = TrackerStore::connect(&url)
        .await
        .expect("SQLite file store");
    let mut all = vec![sqlite, file];
    if let Some(pg) = postgres_store().await {
        all.push(
            TrackerStore::connect(pg.url())
                .await
                .expect("PostgreSQL store"),
        );
    }
    (all, dir)
}

#[tokio::test]
async fn a_message_is_stored_once_and_finished_with_its_replies_atomically() {
    let (stores, _dir) = stores().await;
    for store in stores {
        let inbox = Inbox::new(store.clone());
        let outbox = Outbox::new(store);
        let sender = unique_sender("wa-inbox");
        let sender = sender.as_str();
        let (first, second) = (format!("{sender}-w1"), format!("{sender}-w2"));
        assert!(
            inbox
                .insert(&first, sender, "{}", 1.0)
                .await
                .expect("insert")
        );
        assert!(
            !inbox
                .insert(&first, sender, "{}", 2.0)
                .await
                .expect("insert")
        );
        assert!(
            inbox
                .insert(&second, sender, "[]", 3.0)
                .await
                .expect("insert")
        );
        assert!(
            inbox
                .pending_senders()
                .await
                .expect("senders")
                .iter()
                .any(|s| s == sender)
        );

        let pending = inbox
            .next_pending(sender)
            .await
            .expect("pending")
            .expect("one");
        assert_eq!(pending.payload, "{}", "oldest first");
        let replies = vec![
            (sender.to_owned(), json!({"n": 1})),
            (sender.to_owned(), json!({"n": 2})),
        ];
        inbox
            .finish(pending.id, &replies, 4.0)
            .await
            .expect("finish");
        // Finishing again (a second drain) queues nothing more.
        inbox
            .finish(pending.id, &replies, 5.0)
            .await
            .expect("finish");
        let next = inbox
            .next_pending(sender)
            .await
            .expect("pending")
            .expect("one");
        assert_eq!(next.payload, "[]");

        let mine = |due: Vec<super::outbox::DueReply>| -> Vec<_> {
            due.into_iter().filter(|r| r.recipient == sender).collect()
        };
        let due = mine(outbox.due(10.0, 1000).await.expect("due"));
        assert_eq!(due.len(), 1, "one reply per recipient at a time");
        assert_eq!(due[0].message, r#"{"n":1}"#);
        assert!(outbox.claim(&due[0], 10.0).await.expect("claim"));
        assert!(
            !outbox.claim(&due[0], 10.0).await.expect("claim"),
            "taken once"
        );
        outbox
            .retry_at(due[0].id, 20.0, "HTTP 500")
            .await
            .expect("retry");
        assert!(
            mine(outbox.due(10.0, 1000).await.expect("due")).is_empty(),
            "the second waits"
        );
        let retried = mine(outbox.due(20.0, 1000).await.expect("due"));
        assert_eq!((retried[0].id, retried[0].attempts), (due[0].id, 1));
        outbox.mark_sent(due[0].id, "wamid.X").await.expect("sent");
        let second = mine(outbox.due(20.0, 1000).await.expect("due"));
        assert_eq!(second[0].message, r#"{"n":2}"#);
        outbox.fail(second[0].id, "refused").await.expect("fail");
        assert!(mine(outbox.due(1e12, 1000).await.expect("due")).is_empty());
    }
}
