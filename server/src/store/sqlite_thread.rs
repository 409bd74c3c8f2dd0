//! One SQLite connection on a thread of its own, driven from async code.
//!
//! sqlx's SQLite driver also runs each connection on a thread, but hands every statement
//! (and `BEGIN`, `COMMIT`, each fetched row) across to it and back: a wake-up and a
//! context switch each, which was about half of a webhook turn's time. Here the caller
//! sends a whole job (a load, or a claim + insert + commit) and the thread runs it with
//! synchronous calls, so a job costs one hop however many statements it runs. Jobs run
//! one after another in the order they were sent, those queued together in one
//! transaction (see [`sqlite_batch`](super::sqlite_batch)).

use crate::store::error::StoreError;
use crate::store::sqlite_batch::{self, Done, Job, copy};
use crate::store::sqlite_checkpoint::Checkpointer;
use rusqlite::{Connection, OpenFlags};
use std::path::Path;
use std::sync::{Arc, mpsc};
use std::time::Duration;

/// The connection's page cache in KiB, filled only as pages are read.
const SQLITE_CACHE_KIB: i64 = 16 * 1024;

/// What a job does to the database.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Access {
    /// Only reads.
    Read,
    /// Writes (it then waits for the process's write turn).
    Write,
}

/// A handle to the thread that owns the connection; the thread (and the connection) end
/// when the last handle is dropped.
#[derive(Clone, Debug)]
pub(crate) struct SqliteThread {
    jobs: mpsc::Sender<Job>,
    /// Copies the WAL back on another thread (this connection never does).
    _checkpoints: Checkpointer,
}

impl SqliteThread {
    /// Opens the (existing, migrated) database `file` in WAL mode with
    /// `synchronous = NORMAL`, as the pool's connections are, and starts its thread;
    /// `url` names the database in errors. Writes take `writing` (the process's SQLite
    /// write turn) while they run.
    pub(crate) fn open(
        file: &Path,
        busy_timeout: Duration,
        url: &str,
        writing: Arc<tokio::sync::Mutex<()>>,
    ) -> Result<Self, StoreError> {
        let sqlite_error = |source| StoreError::Sqlite {
            url: url.to_owned(),
            source,
        };
        let connection = connect(file, busy_timeout).map_err(sqlite_error)?;
        let checkpoints = Checkpointer::start(file, busy_timeout).map_err(sqlite_error)?;
        let (jobs, queue) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("bela-sqlite".into())
            .spawn(move || sqlite_batch::serve(&connection, &queue, &writing))
            .map_err(|e| StoreError::SqliteThread {
                url: url.to_owned(),
                reason: format!("cannot start its thread: {e}"),
            })?;
        Ok(Self {
            jobs,
            _checkpoints: checkpoints,
        })
    }

    /// Runs `job` once the jobs sent before it are done. A write's result comes once its
    /// changes are committed, and an error from it rolls back its changes (only those).
    /// `None` when the job panicked (or the thread is gone).
    pub(crate) async fn run<T, E, F>(&self, access: Access, job: F) -> Option<Result<T, E>>
    where
        T: Send + 'static,
        E: From<rusqlite::Error> + Send + 'static,
        F: FnOnce(&Connection) -> Result<T, E> + Send + 'static,
    {
        let (reply, result) = tokio::sync::oneshot::channel();
        let run = move |connection: Result<&Connection, rusqlite::Error>| {
            let outcome = connection.map_err(E::from).and_then(job);
            Done {
                keep: outcome.is_ok(),
                tell: Box::new(move |failed_commit: Option<&rusqlite::Error>| {
                    let outcome = match failed_commit {
                        Some(e) => Err(E::from(copy(e))),
                        None => outcome,
                    };
                    // The caller may have gone away (a cancelled request): nothing to tell.
                    let _ = reply.send(outcome);
                }),
            }
        };
        let job = Job {
            writes: access == Access::Write,
            run: Box::new(run),
        };
        self.jobs.send(job).ok()?;
        result.await.ok()
    }
}

fn connect(file: &Path, busy_timeout: Duration) -> Result<Connection, rusqlite::Error> {
    // The connection is used by one thread only: SQLite's own mutexes are not needed.
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let connection = Connection::open_with_flags(file, flags)?;
    connection.busy_timeout(busy_timeout)?;
    connection.pragma_update(None, "journal_mode", "WAL")?;
    connection.pragma_update(None, "synchronous", "NORMAL")?;
    // Its commits never run a checkpoint (and wait for the disk): see `sqlite_checkpoint`.
    connection.pragma_update(None, "wal_autocheckpoint", 0)?;
    // sqlx turns foreign keys on for its connections; the same rules hold here.
    connection.pragma_update(None, "foreign_keys", "ON")?;
    // A turn reads the latest session of its conversation, whose events lie scattered
    // among other conversations' in the table: with SQLite's default 2 MiB page cache,
    // 100 conversations at once sent a dozen page reads per turn to the file.
    connection.pragma_update(None, "cache_size", -SQLITE_CACHE_KIB)?;
    // A turn's few statements stay prepared across turns.
    connection.set_prepared_statement_cache_capacity(32);
    Ok(connection)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn thread_on_new_file(dir: &tempfile::TempDir) -> SqliteThread {
        let file = dir.path().join("bela.db");
        drop(Connection::open(&file).expect("creates the file"));
        SqliteThread::open(
            &file,
            Duration::from_secs(1),
            "sqlite://test",
            Arc::default(),
        )
        .expect("opens")
    }

    #[tokio::test]
    async fn jobs_run_in_order_and_a_panicking_job_does_not_stop_the_thread() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let thread = thread_on_new_file(&dir);
        let created = thread.run(Access::Write, |c| {
            c.execute_batch("CREATE TABLE t (n INTEGER)")
        });
        assert!(matches!(created.await, Some(Ok(()))));
        let writes: Vec<_> = (0..10)
            .map(|n| {
                thread.run(Access::Write, move |c| {
                    c.execute("INSERT INTO t VALUES (?1)", [n])
                })
            })
            .collect();
        for write in writes {
            assert!(matches!(write.await, Some(Ok(1))));
        }
        let panicked = thread.run(Access::Write, |c| -> rusqlite::Result<()> {
            c.execute("INSERT INTO t VALUES (99)", [])?;
            panic!("a bug in a job")
        });
        assert_eq!(panicked.await, None);
        let failed = thread.run(Access::Write, |c| {
            c.execute("INSERT INTO t VALUES (98)", [])?;
            c.execute("INSERT INTO nowhere VALUES (1)", [])
        });
        assert!(matches!(failed.await, Some(Err(_))));
        let read = thread.run(Access::Read, |c| {
            let mut query = c.prepare("SELECT n FROM t ORDER BY rowid")?;
            query
                .query_map([], |row| row.get::<_, i64>(0))?
                .collect::<Result<Vec<_>, _>>()
        });
        // The panicking and the failing job's rows were rolled back, the others kept.
        assert_eq!(read.await.map(Result::ok), Some(Some((0..10).collect())));
    }

    #[tokio::test]
    async fn writes_queued_together_commit_together_but_fail_alone() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let thread = thread_on_new_file(&dir);
        let created = thread.run(Access::Write, |c| {
            c.execute_batch("CREATE TABLE t (n INTEGER)")
        });
        assert!(matches!(created.await, Some(Ok(()))));
        // Keeps the thread busy while the writes queue up behind it: they form one batch.
        let busy = thread.clone();
        let blocker = tokio::spawn(async move {
            busy.run(Access::Read, |_| {
                std::thread::sleep(Duration::from_millis(200));
                Ok::<_, rusqlite::Error>(())
            })
            .await
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        let writes: Vec<_> = (0..10)
            .map(|n| {
                let thread = thread.clone();
                tokio::spawn(async move {
                    thread
                        .run(Access::Write, move |c| {
                            c.execute("INSERT INTO t VALUES (?1)", [n])?;
                            if n == 5 {
                                c.execute("INSERT INTO nowhere VALUES (1)", [])?;
                            }
                            Ok::<_, rusqlite::Error>(n)
                        })
                        .await
                })
            })
            .collect();
        assert!(matches!(blocker.await, Ok(Some(Ok(())))));
        for (n, write) in writes.into_iter().enumerate() {
            let result = write.await.expect("the task ends");
            match n {
                5 => assert!(matches!(result, Some(Err(_)))),
                _ => assert!(matches!(result, Some(Ok(m)) if m == n as i32)),
            }
        }
        let stored = thread.run(Access::Read, |c| {
            c.query_row("SELECT COUNT(*), SUM(n) FROM t", [], |row| {
                Ok((row.get::<_, i64>(0)?, row.get::<_, i64>(1)?))
            })
        });
        assert_eq!(stored.await.map(Result::ok), Some(Some((9, 45 - 5))));
    }

    #[test]
    fn a_missing_file_is_an_error_naming_the_database() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let e = SqliteThread::open(
            &dir.path().join("none.db"),
            Duration::ZERO,
            "sqlite://x",
            Arc::default(),
        )
        .expect_err("nothing to open");
        assert!(e.to_string().contains("sqlite://x"), "{e}");
    }
}
