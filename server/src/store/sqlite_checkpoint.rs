//! Copying the SQLite file's write-ahead log back into the database on a thread of its
//! own, so no writer waits for it.
//!
//! By default the connection whose commit takes the WAL past 1,000 pages runs the
//! checkpoint itself, inside that commit: with `synchronous = NORMAL` that is the only
//! moment a commit waits for the disk (the WAL and the database are flushed), and on the
//! connection thread every job queued behind it — a webhook's acknowledgement among them
//! — waited too. The connection thread therefore never checkpoints; this thread runs a
//! passive checkpoint (which neither blocks writers nor waits for them) every
//! [`INTERVAL`].

use rusqlite::{Connection, OpenFlags};
use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

/// How often the log is copied back: often enough that it stays a few MiB at thousands of
/// writes per second.
const INTERVAL: Duration = Duration::from_millis(500);

/// Keeps the checkpointing thread running; it ends when this is dropped.
#[derive(Clone, Debug)]
pub(super) struct Checkpointer {
    _running: mpsc::Sender<()>,
}

impl Checkpointer {
    /// Starts checkpointing `file` on a connection of its own.
    pub(super) fn start(file: &Path, busy_timeout: Duration) -> Result<Self, rusqlite::Error> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let connection = Connection::open_with_flags(file, flags)?;
        connection.busy_timeout(busy_timeout)?;
        let (running, stop) = mpsc::channel::<()>();
        std::thread::Builder::new()
            .name("bela-sqlite-checkpoint".into())
            .spawn(move || run(&connection, &stop))
            .map_err(|e| {
                rusqlite::Error::SqliteFailure(
                    rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_ERROR),
                    Some(format!("cannot start the checkpoint thread: {e}")),
                )
            })?;
        Ok(Self { _running: running })
    }
}

fn run(connection: &Connection, stop: &mpsc::Receiver<()>) {
    while let Err(mpsc::RecvTimeoutError::Timeout) = stop.recv_timeout(INTERVAL) {
        // PASSIVE copies what no reader still needs and returns; what it leaves waits
        // for the next round. A failure (e.g. the disk) is retried then as well.
        let checkpoint = connection.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
        if let Err(error) = checkpoint {
            tracing::warn!(%error, "SQLite checkpoint failed; retrying");
        }
    }
}
