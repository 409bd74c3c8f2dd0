//! Which senders have a task processing their messages: at most one each, however many
//! messages arrive, and a bounded number of turns at once.
//!
//! A task per delivery (as before) left a queue of tasks per busy sender, each waiting
//! for the sender's lock only to find its message already handled by the one before;
//! and turns without a bound kept the SQLite thread's queue long, so the webhook's
//! acknowledgements (which must wait for their insert's commit) waited behind it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// Turns processed at once across all senders: enough for the SQLite thread to group
/// their writes, few enough that an acknowledgement's insert finds a short queue.
pub(super) const CONCURRENT_TURNS: usize = 4;

/// The senders being drained; for each, whether a message arrived since its task last
/// looked for one.
#[derive(Debug, Default)]
pub(super) struct Draining {
    senders: Mutex<HashMap<String, bool>>,
}

impl Draining {
    /// A ticket for draining `sender` when no task does it yet; otherwise `None`, and the
    /// running task is told to look again before it ends.
    pub(super) fn start(self: &Arc<Self>, sender: &str) -> Option<Ticket> {
        let mut senders = self.lock();
        if let Some(again) = senders.get_mut(sender) {
            *again = true;
            return None;
        }
        senders.insert(sender.to_owned(), false);
        Some(Ticket {
            draining: Arc::clone(self),
            sender: sender.to_owned(),
            done: false,
        })
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<String, bool>> {
        // The map stays consistent even if a holder panicked: each update is one step.
        self.senders.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The right to drain one sender; dropping it (the task ended, even by a panic or an
/// error) lets the next delivery start a new task.
#[derive(Debug)]
pub(super) struct Ticket {
    draining: Arc<Draining>,
    sender: String,
    done: bool,
}

impl Ticket {
    /// The sender.
    pub(super) fn sender(&self) -> &str {
        &self.sender
    }

    /// Called when no message was left: true when one arrived since the last look (look
    /// again); false ends the drain, atomically with the check, so a delivery after it
    /// starts a new task.
    pub(super) fn look_again(&mut self) -> bool {
        let mut senders = self.draining.lock();
        match senders.get_mut(&self.sender) {
            Some(again) if *again => {
                *again = false;
                true
            }
            _ => {
                senders.remove(&self.sender);
                self.done = true;
                false
            }
        }
    }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        if !self.done {
            self.draining.lock().remove(&self.sender);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_ticket_per_sender_and_a_late_delivery_is_not_missed() {
        let draining = Arc::new(Draining::default());
        let mut ticket = draining
            .start("a")
            .expect("the first delivery starts a task");
        assert!(draining.start("a").is_none(), "a second one does not");
        assert!(
            draining.start("b").is_some(),
            "another sender is independent"
        );
        assert!(ticket.look_again(), "the second delivery is looked for");
        assert!(!ticket.look_again(), "then the drain ends");
        assert!(
            draining.start("a").is_some(),
            "and a new delivery starts a task"
        );
    }

    #[test]
    fn a_dropped_ticket_frees_its_sender() {
        let draining = Arc::new(Draining::default());
        let ticket = draining.start("a").expect("starts");
        drop(ticket);
        let mut again = draining.start("a").expect("starts again after an error");
        assert!(!again.look_again());
        drop(again);
        assert!(
            draining.start("a").is_some(),
            "a finished ticket frees it too"
        );
    }
}
