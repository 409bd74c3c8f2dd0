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

use crate::leads::Leads;
use crate::store::{ConversationGuard, ConversationLocks, DatabaseKind, StoreError, TrackerStore};
use bela_engine::dialogue::events::{Event, now};
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
    leads: Leads,
}

/// One sender's conversation, held exclusively until saved or dropped.
pub struct Session<'a> {
    conversations: &'a Conversations,
    guard: ConversationGuard,
    /// Where the tracker's first event sits in the stored conversation (earlier
    /// sessions are not loaded).
    offset: u64,
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
            leads: Leads::new(store.clone()),
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

    /// The contacts as leads, updated after every stored turn.
    pub fn leads(&self) -> &Leads {
        &self.leads
    }

    /// Waits for `sender`'s conversation lock, then loads the conversation.
    pub async fn open(&self, sender: &SenderId) -> Result<Session<'_>, StoreError> {
        let guard = self.locks.lock(sender).await?;
        let (offset, events) = self.store.load_latest_session(sender).await?;
        let stored = events.len();
        let tracker = self.tracker_of(sender, events);
        Ok(Session {
            conversations: self,
            guard,
            offset,
            stored,
            tracker,
        })
    }

    /// `sender`'s conversation as stored (its latest session), without taking its lock
    /// (a read).
    pub async fn load(&self, sender: &SenderId) -> Result<Tracker, StoreError> {
        let (_, events) = self.store.load_latest_session(sender).await?;
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
        let (tracker, guard) = self.save_locked().await?;
        guard.release().await?;
        Ok(tracker)
    }

    /// Stores the events appended to the tracker and hands back the still-held lock, so
    /// the caller can record what the turn produced (a channel's queued replies) before
    /// another turn of this sender runs.
    pub async fn save_locked(self) -> Result<(Tracker, ConversationGuard), StoreError> {
        let sender = self.tracker.sender_id();
        let new = &self.tracker.events()[self.stored..];
        if !new.is_empty() {
            self.conversations
                .store
                .append(sender, self.offset + self.stored as u64, new)
                .await?;
            // Every turn of every channel ends here, still under the sender's lock, so
            // the lead follows the conversation turn by turn.
            self.conversations.leads.after_turn(sender, new).await;
            if crate::privacy::asks_erasure(new) {
                // The patient confirmed "apaguem meus dados": nothing of theirs stays,
                // this turn included.
                crate::privacy::erase_contact(&self.conversations.store, sender, now()).await?;
                tracing::info!(%sender, "contact data erased at the patient's request");
            }
        }
        Ok((self.tracker, self.guard))
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

#[cfg(test)]
mod tests {
    use super::*;
    use bela_engine::dialogue::actions::ActionRegistry;
    use bela_engine::dialogue::domain::Domain;
    use bela_engine::dialogue::events::{EventKind, ParseData};
    use bela_engine::dialogue::model::{DialogueModel, PolicySettings};
    use bela_engine::dialogue::processor::{Interpreter, UserMessage};
    use bela_engine::dialogue::stories::DialogueData;
    use std::sync::Arc;

    struct NoNlu;

    impl Interpreter for NoNlu {
        fn parse(&self, _: &UserMessage) -> ParseData {
            ParseData::default()
        }
    }

    async fn conversations() -> Conversations {
        let model = DialogueModel::train(
            Domain::default(),
            Vec::new(),
            &DialogueData::default(),
            PolicySettings::default(),
            "test".into(),
        );
        let processor = Processor::new(Arc::new(model), ActionRegistry::new(), Arc::new(NoNlu));
        let store = TrackerStore::connect("sqlite::memory:")
            .await
            .expect("in-memory store");
        Conversations::new(
            processor,
            PathBuf::from("models/core-test"),
            store,
            ConversationLocks::in_process(),
        )
    }

    fn slot(value: &str, timestamp: f64) -> Event {
        Event::new(EventKind::slot("procedure", value.into()), timestamp)
    }

    #[tokio::test]
    async fn save_appends_only_the_new_events_and_a_dropped_session_stores_nothing() {
        let conversations = conversations().await;
        let sender = SenderId::new("5511");
        let mut session = conversations.open(&sender).await.expect("opens");
        session.start_if_new(None, 1.0).await;
        session.tracker.update(slot("botox", 2.0));
        let saved = session.save().await.expect("saves");
        let stored = conversations.store().load(&sender).await.expect("loads");
        assert_eq!(stored, saved.events());
        assert!(stored.len() > 1, "the session start was stored too");

        let mut session = conversations.open(&sender).await.expect("opens again");
        session.start_if_new(None, 3.0).await;
        assert_eq!(session.tracker.events(), stored, "no second session start");
        session.tracker.update(slot("peeling", 4.0));
        drop(session);
        assert_eq!(
            conversations.store().load(&sender).await.expect("loads"),
            stored,
            "the unsaved turn is gone, the lock released"
        );

        let mut session = conversations.open(&sender).await.expect("the lock is free");
        session.tracker.update(slot("peeling", 5.0));
        let tracker = session.save().await.expect("saves");
        assert_eq!(
            tracker.slot("procedure"),
            Some(&serde_json::json!("peeling"))
        );
        assert_eq!(
            conversations.store().len(&sender).await.expect("len"),
            stored.len() as u64 + 1
        );
    }

    #[tokio::test]
    async fn replace_swaps_the_whole_conversation() {
        let conversations = conversations().await;
        let sender = SenderId::new("5512");
        let mut session = conversations.open(&sender).await.expect("opens");
        session.start_if_new(None, 1.0).await;
        session.save().await.expect("saves");
        let session = conversations.open(&sender).await.expect("opens");
        let tracker = session
            .replace(vec![slot("botox", 9.0)])
            .await
            .expect("replaces");
        assert_eq!(tracker.events().len(), 1);
        let reloaded = conversations.load(&sender).await.expect("loads");
        assert_eq!(reloaded.events(), tracker.events());
        assert!(conversations.describe().contains("SQLite"));
    }
}
