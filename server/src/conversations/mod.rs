//! Conversations: the dialogue processor over the tracker store, one sender at a time.
//!
//! Every change to a conversation goes through a [`Session`]: it holds the sender's
//! conversation lock (in-process, and across processes with PostgreSQL or Redis), loads the
//! stored events into a [`Tracker`], lets the caller run the processor on it, and stores
//! only the events appended since — in one transaction, with the length it read as the
//! expected length. A session dropped without [`Session::save`] (processing failed, the
//! client went away) stores nothing, so a conversation is always a sequence of whole
//! turns.

mod output;

pub use output::{OutputMessage, collect_messages};

use crate::store::{ConversationGuard, ConversationLocks, DatabaseKind, StoreError, TrackerStore};
use bela_engine::dialogue::events::Event;
use bela_engine::dialogue::processor::Processor;
use bela_engine::dialogue::tracker::Tracker;
use bela_engine::names::SenderId;
use std::path::{Path, PathBuf};

/// The dialogue model's processor, where conversations are stored, and their locks.
pub struct Conversations {
    processor: Processor,
    dialogue_dir: PathBuf,
    store: TrackerStore,
    locks: ConversationLocks,
}

/// One sender's conversation, held exclusively until saved or dropped.
pub struct Session<'a> {
    conversations: &'a Conversations,
    guard: ConversationGuard,
    /// How many of the tracker's events are already stored.
    stored: usize,
    /// The conversation; append to it, then [`save`](Session::save).
    pub tracker: Tracker,
}

impl Conversations {
    /// Conversations run by `processor` (loaded from `dialogue_dir`), kept in `store`,
    /// serialised per sender by `locks`.
    pub fn new(
        processor: Processor,
        dialogue_dir: PathBuf,
        store: TrackerStore,
        locks: ConversationLocks,
    ) -> Self {
        Self {
            processor,
            dialogue_dir,
            store,
            locks,
        }
    }

    /// Opens the store at `database_url` (migrating it) and the locks that fit it
    /// (`lock_store_url`: Redis; see [`ConversationLocks::connect`]).
    pub async fn connect(
        processor: Processor,
        dialogue_dir: PathBuf,
        database_url: &str,
        lock_store_url: Option<&str>,
    ) -> Result<Self, StoreError> {
        let store = TrackerStore::connect(database_url).await?;
        let locks = ConversationLocks::connect(database_url, lock_store_url).await?;
        Ok(Self::new(processor, dialogue_dir, store, locks))
    }

    /// One line for the start-up log: which store and which locks.
    pub fn describe(&self) -> String {
        format!(
            "conversations stored in {} ({}), locks: {}",
            self.store.url(),
            match self.store.kind() {
                DatabaseKind::Sqlite => "SQLite",
                DatabaseKind::Postgres => "PostgreSQL",
            },
            self.locks.describe()
        )
    }

    /// The dialogue processor.
    pub fn processor(&self) -> &Processor {
        &self.processor
    }

    /// Where the dialogue model was loaded from.
    pub fn dialogue_dir(&self) -> &Path {
        &self.dialogue_dir
    }

    /// The tracker store.
    pub fn store(&self) -> &TrackerStore {
        &self.store
    }

    /// Waits for `sender`'s conversation lock, then loads the conversation.
    pub async fn open(&self, sender: &SenderId) -> Result<Session<'_>, StoreError> {
        let guard = self.locks.lock(sender).await?;
        let events = self.store.load(sender).await?;
        let stored = events.len();
        let tracker = self.tracker_of(sender, events);
        Ok(Session {
            conversations: self,
            guard,
            stored,
            tracker,
        })
    }

    /// `sender`'s conversation as stored, without taking its lock (a read).
    pub async fn load(&self, sender: &SenderId) -> Result<Tracker, StoreError> {
        let events = self.store.load(sender).await?;
        Ok(self.tracker_of(sender, events))
    }

    /// A tracker for `sender` over `events`, with the model's initial slots.
    pub fn tracker_of(&self, sender: &SenderId, events: Vec<Event>) -> Tracker {
        Tracker::from_events(
            sender.clone(),
            self.processor.model().initial_slots().clone(),
            events,
        )
    }
}

impl Session<'_> {
    /// Opens a session for a conversation with no events: runs `action_session_start`
    /// (Rasa does the same when a tracker is first fetched).
    pub async fn start_if_new(&mut self, channel: Option<&str>, now: f64) {
        if self.tracker.events().is_empty() {
            self.conversations
                .processor
                .start_session(&mut self.tracker, channel, None, now)
                .await;
        }
    }

    /// Stores the events appended to the tracker and releases the lock.
    pub async fn save(self) -> Result<Tracker, StoreError> {
        let sender = self.tracker.sender_id();
        let new = &self.tracker.events()[self.stored..];
        if !new.is_empty() {
            self.conversations
                .store
                .append(sender, self.stored as u64, new)
                .await?;
        }
        self.guard.release().await?;
        Ok(self.tracker)
    }

    /// Replaces the whole conversation with `events`, releases the lock and returns the
    /// new tracker.
    pub async fn replace(self, events: Vec<Event>) -> Result<Tracker, StoreError> {
        let sender = self.tracker.sender_id().clone();
        self.conversations.store.replace(&sender, &events).await?;
        self.guard.release().await?;
        Ok(self.conversations.tracker_of(&sender, events))
    }
}
