//! In-process per-sender ordering: a keyed async mutex whose entries vanish when unused.

use bela_engine::names::SenderId;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use tokio::sync::OwnedMutexGuard;

type Entries = HashMap<SenderId, Entry>;

/// One sender's mutex and how many tasks hold or await it.
struct Entry {
    mutex: Arc<tokio::sync::Mutex<()>>,
    users: usize,
}

/// Serialises work per sender inside one process; different senders run concurrently.
///
/// Waiters are served first come, first served (tokio's mutex is fair), which keeps one
/// sender's messages in arrival order. An entry lives only while some task holds or awaits
/// it, so the map never grows beyond the conversations in flight.
#[derive(Clone, Default)]
pub struct SenderLocks {
    entries: Arc<Mutex<Entries>>,
}

/// Holds one sender's in-process lock until dropped.
pub struct SenderGuard {
    // Declared first so the mutex is released before the registration is withdrawn.
    _held: OwnedMutexGuard<()>,
    _registration: Registration,
}

/// Counts a task as a user of a sender's entry; removes the entry with its last user,
/// also when a waiting task is cancelled.
struct Registration {
    entries: Arc<Mutex<Entries>>,
    sender: SenderId,
}

impl SenderLocks {
    /// No locks yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Waits until no other task holds `sender`'s lock, then holds it.
    pub async fn lock(&self, sender: &SenderId) -> SenderGuard {
        let (mutex, registration) = {
            let mut entries = lock_map(&self.entries);
            let entry = entries.entry(sender.clone()).or_insert_with(|| Entry {
                mutex: Arc::default(),
                users: 0,
            });
            entry.users += 1;
            let registration = Registration {
                entries: Arc::clone(&self.entries),
                sender: sender.clone(),
            };
            (Arc::clone(&entry.mutex), registration)
        };
        SenderGuard {
            _held: mutex.lock_owned().await,
            _registration: registration,
        }
    }

    /// How many senders currently have an entry (held or awaited).
    pub fn active(&self) -> usize {
        lock_map(&self.entries).len()
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        let mut entries = lock_map(&self.entries);
        if let Some(entry) = entries.get_mut(&self.sender) {
            entry.users -= 1;
            if entry.users == 0 {
                entries.remove(&self.sender);
            }
        }
    }
}

/// The map is only touched in short non-panicking sections, so a poisoned lock still
/// holds consistent data.
fn lock_map(entries: &Mutex<Entries>) -> MutexGuard<'_, Entries> {
    entries.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn one_sender_waits_others_do_not() {
        let locks = SenderLocks::new();
        let a = SenderId::new("a");
        let held = locks.lock(&a).await;
        let other = tokio::time::timeout(Duration::from_secs(1), locks.lock(&"b".into())).await;
        assert!(other.is_ok(), "another sender must not wait");
        let same = tokio::time::timeout(Duration::from_millis(50), locks.lock(&a)).await;
        assert!(same.is_err(), "the same sender must wait");
        drop(held);
        let again = tokio::time::timeout(Duration::from_secs(1), locks.lock(&a)).await;
        assert!(again.is_ok());
    }

    #[tokio::test]
    async fn entries_vanish_when_unused_even_after_cancelled_waits() {
        let locks = SenderLocks::new();
        let a = SenderId::new("a");
        let held = locks.lock(&a).await;
        // A waiter that gives up must not leave its registration behind.
        let _ = tokio::time::timeout(Duration::from_millis(20), locks.lock(&a)).await;
        assert_eq!(locks.active(), 1);
        drop(held);
        assert_eq!(locks.active(), 0);
        for i in 0..100 {
            drop(locks.lock(&SenderId::new(format!("s{i}"))).await);
        }
        assert_eq!(locks.active(), 0);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn serves_one_sender_in_arrival_order() {
        let locks = SenderLocks::new();
        let a = SenderId::new("a");
        let order = Arc::new(Mutex::new(Vec::new()));
        let first = locks.lock(&a).await;
        let mut tasks = Vec::new();
        for i in 0..20 {
            let (task_locks, task_a, order) = (locks.clone(), a.clone(), Arc::clone(&order));
            tasks.push(tokio::spawn(async move {
                let _g = task_locks.lock(&task_a).await;
                order.lock().unwrap_or_else(PoisonError::into_inner).push(i);
            }));
            // Let task i queue up before task i + 1 is spawned.
            while locks.entries.lock().unwrap().get(&a).map(|e| e.users) != Some(i + 2) {
                tokio::task::yield_now().await;
            }
        }
        drop(first);
        for t in tasks {
            t.await.unwrap();
        }
        let order = order.lock().unwrap().clone();
        assert_eq!(order, (0..20).collect::<Vec<_>>());
    }
}
