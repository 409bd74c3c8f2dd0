//! The calendar's write lock: a transaction no other calendar writer runs beside, in this
//! process or another.

use sqlx::Transaction;
use sqlx::postgres::{PgPool, Postgres};
use sqlx::sqlite::{Sqlite, SqlitePool};

/// The first key of the calendar's PostgreSQL advisory locks (`bela` in ASCII). The
/// two-key form lives apart from the one-key locks the conversations take.
const ADVISORY_NAMESPACE: i32 = 0x6265_6c61;

/// What a write changes; writers of different kinds need not wait for each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WriteLock {
    /// Appointments (book, reschedule, status).
    Appointments = 1,
    /// Voucher redemptions.
    Vouchers = 2,
}

/// Begins a transaction holding the calendar's write lock for `what`.
pub(crate) trait BeginSerial {
    /// The driver.
    type Db: sqlx::Database;

    /// A transaction in which no other calendar writer of `what` runs until it ends.
    fn begin_serial(
        &self,
        what: WriteLock,
    ) -> impl Future<Output = Result<Transaction<'static, Self::Db>, sqlx::Error>> + Send;
}

impl BeginSerial for SqlitePool {
    type Db = Sqlite;

    async fn begin_serial(
        &self,
        _: WriteLock,
    ) -> Result<Transaction<'static, Sqlite>, sqlx::Error> {
        // Takes SQLite's one write lock before the first read, so the read that decides
        // the write sees the latest commit (a deferred transaction would read an older
        // snapshot and then fail to upgrade). It also holds off other processes on the
        // same file, which wait in the busy handler.
        self.begin_with("BEGIN IMMEDIATE").await
    }
}

impl BeginSerial for PgPool {
    type Db = Postgres;

    async fn begin_serial(
        &self,
        what: WriteLock,
    ) -> Result<Transaction<'static, Postgres>, sqlx::Error> {
        let mut tx = self.begin().await?;
        // Released by the commit or rollback, whatever happens to the connection.
        sqlx::query("SELECT pg_advisory_xact_lock($1, $2)")
            .bind(ADVISORY_NAMESPACE)
            .bind(what as i32)
            .execute(&mut *tx)
            .await?;
        Ok(tx)
    }
}
