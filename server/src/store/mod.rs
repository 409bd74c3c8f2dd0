//! Conversation persistence and per-sender ordering.
//!
//! [`TrackerStore`] keeps each conversation as an append-only event list in SQLite (the
//! default, a file under the project's `.bela/`) or PostgreSQL (`DATABASE_URL=postgres://...`),
//! migrating the schema on start-up. [`ConversationLocks`] makes one sender's messages run
//! strictly in order: in-process, and across server processes through PostgreSQL advisory
//! locks or, with `BELA_LOCK_STORE=redis://...`, Redis.
//!
//! Typical processing of one message:
//!
//! ```text
//! let guard = locks.lock(&sender).await?;
//! let events = store.load(&sender).await?;
//! let new_events = engine.handle(&events, message);
//! store.append(&sender, events.len() as u64, &new_events).await?;
//! guard.release().await?;
//! ```

pub(crate) mod backend;
mod conversation_lock;
mod error;
mod event;
mod local_lock;
mod pg_lock;
mod redis_lock;
mod sqlite_batch;
mod sqlite_checkpoint;
mod sqlite_thread;
mod sqlite_tracker;
mod tracker_sql;
mod tracker_store;

/// Helpers for tests that need PostgreSQL or Redis (feature `test-support`).
#[cfg(any(test, feature = "test-support"))]
pub mod test_support;
#[cfg(test)]
mod tests;

pub use backend::{Backend, DatabaseKind};
pub use conversation_lock::{ConversationGuard, ConversationLocks};
pub use error::{StoreError, redact_url};
pub use event::EventRecord;
pub use local_lock::{SenderGuard, SenderLocks};
pub use pg_lock::{PgAdvisoryGuard, PgAdvisoryLocks};
pub use redis_lock::{RedisGuard, RedisLocks};
pub(crate) use sqlite_thread::Access;
pub use tracker_store::TrackerStore;
