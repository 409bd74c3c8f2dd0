//! Group commit for the SQLite file's thread: the jobs queued while it was busy run in one
//! transaction, each write in a savepoint of its own, and hear their results only once
//! that transaction is committed.
//!
//! A commit writes every page the transaction changed to the WAL (two system calls per
//! page) and takes and drops file locks; with 100 conversations at once, ten turns
//! committing together share the pages they have in common (the table's last page, the
//! counters) and the locks. No caller sees a write before it is committed: a read in the
//! batch may see an earlier write of the batch, so its result waits for the commit too.

use rusqlite::{Connection, ffi};
use std::panic::AssertUnwindSafe;
use std::sync::mpsc;

/// Most jobs in one transaction: bounds how long a read waits for the commit.
const MAX_BATCH: usize = 64;

/// Runs a job on the connection (or, given the error, only reports that it could not
/// run) and says what to keep.
pub(super) type Run = Box<dyn FnOnce(Result<&Connection, rusqlite::Error>) -> Done + Send>;
/// Hands a job's result to its caller once the batch's transaction has ended: given the
/// error when the commit failed.
pub(super) type Tell = Box<dyn FnOnce(Option<&rusqlite::Error>) + Send>;

/// Work for the connection's thread.
pub(super) struct Job {
    /// Whether the job writes (the batch then takes the write lock up front).
    pub(super) writes: bool,
    /// The job itself.
    pub(super) run: Run,
}

/// A job that has run.
pub(super) struct Done {
    /// Keep its changes (false: roll them back, e.g. after an error).
    pub(super) keep: bool,
    /// Its result, for its caller.
    pub(super) tell: Tell,
}

/// Runs jobs until every sender is dropped; `writing` is taken around each batch that
/// writes (writers elsewhere in the process take it too).
pub(super) fn serve(
    connection: &Connection,
    queue: &mpsc::Receiver<Job>,
    writing: &tokio::sync::Mutex<()>,
) {
    while let Ok(first) = queue.recv() {
        let mut batch = vec![first];
        batch.extend(queue.try_iter().take(MAX_BATCH - 1));
        run_batch(connection, batch, writing);
    }
}

fn run_batch(connection: &Connection, batch: Vec<Job>, writing: &tokio::sync::Mutex<()>) {
    let writes = batch.iter().any(|job| job.writes);
    let _turn = writes.then(|| writing.blocking_lock());
    // IMMEDIATE takes the write lock up front (waiting in the busy handler for another
    // process), instead of failing at the first write on a stale read snapshot.
    let begin = if writes {
        "BEGIN IMMEDIATE"
    } else {
        "BEGIN DEFERRED"
    };
    if let Err(e) = execute(connection, begin) {
        for job in batch {
            let done = (job.run)(Err(copy(&e)));
            (done.tell)(None);
        }
        return;
    }
    let done: Vec<Done> = batch
        .into_iter()
        .filter_map(|job| run_job(connection, job))
        .collect();
    let commit = execute(connection, "COMMIT");
    if commit.is_err() {
        let _ = execute(connection, "ROLLBACK");
    }
    for job in done {
        (job.tell)(commit.as_ref().err());
    }
}

/// Runs `job`, a write inside a savepoint that is rolled back unless the job keeps it;
/// `None` when the job panicked (its caller then hears nothing and reports so).
fn run_job(connection: &Connection, job: Job) -> Option<Done> {
    if !job.writes {
        return std::panic::catch_unwind(AssertUnwindSafe(|| (job.run)(Ok(connection)))).ok();
    }
    if let Err(e) = execute(connection, "SAVEPOINT job") {
        return Some((job.run)(Err(e)));
    }
    let done = std::panic::catch_unwind(AssertUnwindSafe(|| (job.run)(Ok(connection)))).ok();
    if !done.as_ref().is_some_and(|done| done.keep) {
        let _ = execute(connection, "ROLLBACK TO job");
    }
    let _ = execute(connection, "RELEASE job");
    done
}

fn execute(connection: &Connection, sql: &str) -> rusqlite::Result<()> {
    connection.prepare_cached(sql)?.execute([]).map(drop)
}

/// The same error for each job of a batch that failed as a whole.
pub(super) fn copy(error: &rusqlite::Error) -> rusqlite::Error {
    match error {
        rusqlite::Error::SqliteFailure(code, message) => {
            rusqlite::Error::SqliteFailure(*code, message.clone())
        }
        other => rusqlite::Error::SqliteFailure(
            ffi::Error::new(ffi::SQLITE_ERROR),
            Some(other.to_string()),
        ),
    }
}
