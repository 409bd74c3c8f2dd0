//! [`Jobs`]: the `scheduled_jobs` table in the conversations' database.

use crate::jobs::sql;
use crate::jobs::{Job, JobError, JobKind, JobRecord, NewJob};
use crate::store::backend::on_pool;
use crate::store::{Backend, TrackerStore};

/// A claimed row: id, key, kind, sender, appointment, payload, due_at, attempts.
type ClaimRow = (i64, String, String, String, Option<i64>, String, f64, i64);
/// A listed row: key, kind, sender, status, due_at, attempts, outcome.
type RecordRow = (String, String, String, String, f64, i64, Option<String>);

/// How a run ended, as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FinalStatus {
    /// Its messages were recorded (and handed to the patient's channel).
    Sent,
    /// Not sent: no longer true (appointment cancelled or moved, handoff, ...).
    Skipped,
    /// Not sent: failed too often.
    Failed,
}

impl FinalStatus {
    fn as_str(self) -> &'static str {
        match self {
            Self::Sent => "sent",
            Self::Skipped => "skipped",
            Self::Failed => "failed",
        }
    }
}

/// The jobs, next to the conversations (same pool, same SQLite write turn).
#[derive(Clone)]
pub struct Jobs {
    store: TrackerStore,
}

impl Jobs {
    /// The jobs in `store`'s database (which the store migrated).
    pub fn new(store: TrackerStore) -> Self {
        Self { store }
    }

    /// The store the jobs live in.
    pub fn store(&self) -> &TrackerStore {
        &self.store
    }

    /// Creates `job` at `now` unless a job with its key exists; true when created.
    pub async fn schedule(&self, job: &NewJob, now: f64) -> Result<bool, JobError> {
        let payload = job.payload.to_string();
        let _writing = self.store.serialize_write().await;
        let created: Result<u64, sqlx::Error> = on_pool!(self.store.backend(), pool => {
            sqlx::query(sql::INSERT)
                .bind(&job.key)
                .bind(job.kind.as_str())
                .bind(&job.sender_id)
                .bind(job.appointment_id)
                .bind(&payload)
                .bind(job.due_at)
                .bind(now)
                .execute(pool)
                .await
                .map(|done| done.rows_affected())
        });
        Ok(created.map_err(|e| self.db(e))? == 1)
    }

    /// Takes up to `limit` jobs due at `now` for this process until `lease_until`.
    pub async fn claim(
        &self,
        now: f64,
        lease_until: f64,
        limit: i64,
    ) -> Result<Vec<Job>, JobError> {
        let _writing = self.store.serialize_write().await;
        let rows: Result<Vec<ClaimRow>, sqlx::Error> = match self.store.backend() {
            Backend::Sqlite(pool) => {
                sqlx::query_as(sql::CLAIM_SQLITE)
                    .bind(now)
                    .bind(lease_until)
                    .bind(limit)
                    .fetch_all(pool)
                    .await
            }
            Backend::Postgres(pool) => {
                sqlx::query_as(sql::CLAIM_POSTGRES)
                    .bind(now)
                    .bind(lease_until)
                    .bind(limit)
                    .fetch_all(pool)
                    .await
            }
        };
        let mut jobs: Vec<Job> = rows
            .map_err(|e| self.db(e))?
            .into_iter()
            .map(|row| job(row, lease_until))
            .collect::<Result<_, _>>()?;
        // RETURNING gives no order.
        jobs.sort_by(|a, b| a.due_at.total_cmp(&b.due_at).then(a.id.cmp(&b.id)));
        Ok(jobs)
    }

    /// Ends `job` with `status` and `outcome` at `now`; false when this process's lease
    /// ran out and another took the job over (it then finishes it).
    pub async fn finish(
        &self,
        job: &Job,
        status: FinalStatus,
        outcome: &str,
        now: f64,
    ) -> Result<bool, JobError> {
        self.update(sql::FINISH, job, status.as_str(), outcome, now)
            .await
    }

    /// Puts `job` back, due again at `at`, because of `reason`; a postponed run that did
    /// not fail (`counts` false) does not use up one of its attempts.
    pub async fn retry_at(
        &self,
        job: &Job,
        at: f64,
        reason: &str,
        counts: bool,
        now: f64,
    ) -> Result<bool, JobError> {
        let _writing = self.store.serialize_write().await;
        let changed: Result<u64, sqlx::Error> = on_pool!(self.store.backend(), pool => {
            sqlx::query(sql::RETRY)
                .bind(job.id)
                .bind(job.lease_until)
                .bind(at)
                .bind(reason)
                .bind(now)
                .bind(i64::from(counts))
                .execute(pool)
                .await
                .map(|done| done.rows_affected())
        });
        Ok(changed.map_err(|e| self.db(e))? == 1)
    }

    /// Every job of `sender`, by due time.
    pub async fn of_sender(&self, sender: &str) -> Result<Vec<JobRecord>, JobError> {
        let rows: Result<Vec<RecordRow>, sqlx::Error> = on_pool!(self.store.backend(), pool => {
            sqlx::query_as(sql::OF_SENDER).bind(sender).fetch_all(pool).await
        });
        rows.map_err(|e| self.db(e))?
            .into_iter()
            .map(
                |(key, kind, sender_id, status, due_at, attempts, outcome)| {
                    Ok(JobRecord {
                        kind: JobKind::parse(&kind).ok_or_else(|| JobError::Corrupt {
                            id: 0,
                            reason: format!("job `{key}`: unknown kind `{kind}`"),
                        })?,
                        key,
                        sender_id,
                        status,
                        due_at,
                        attempts,
                        outcome,
                    })
                },
            )
            .collect()
    }

    /// Appointment `id`'s status and start (Unix seconds), if it exists.
    pub(crate) async fn appointment(&self, id: i64) -> Result<Option<(String, i64)>, JobError> {
        let row: Result<Option<(String, i64)>, sqlx::Error> = on_pool!(self.store.backend(), pool => {
            sqlx::query_as(sql::APPOINTMENT).bind(id).fetch_optional(pool).await
        });
        row.map_err(|e| self.db(e))
    }

    async fn update(
        &self,
        sql: &'static str,
        job: &Job,
        status: &str,
        outcome: &str,
        now: f64,
    ) -> Result<bool, JobError> {
        let _writing = self.store.serialize_write().await;
        let changed: Result<u64, sqlx::Error> = on_pool!(self.store.backend(), pool => {
            sqlx::query(sql)
                .bind(job.id)
                .bind(job.lease_until)
                .bind(status)
                .bind(outcome)
                .bind(now)
                .execute(pool)
                .await
                .map(|done| done.rows_affected())
        });
        Ok(changed.map_err(|e| self.db(e))? == 1)
    }

    pub(crate) fn db(&self, source: sqlx::Error) -> JobError {
        JobError::database(self.store.url(), source)
    }
}

/// The job a claimed row holds.
fn job(row: ClaimRow, lease_until: f64) -> Result<Job, JobError> {
    let (id, key, kind, sender_id, appointment_id, payload, due_at, attempts) = row;
    let kind = JobKind::parse(&kind).ok_or_else(|| JobError::Corrupt {
        id,
        reason: format!("unknown kind `{kind}`"),
    })?;
    let payload = serde_json::from_str(&payload).map_err(|e| JobError::Corrupt {
        id,
        reason: format!("payload: {e}"),
    })?;
    Ok(Job {
        id,
        key,
        kind,
        sender_id,
        appointment_id,
        payload,
        due_at,
        attempts,
        lease_until,
    })
}
