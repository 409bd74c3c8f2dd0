//! The jobs' SQL, shared by SQLite and PostgreSQL (`$n` placeholders, `RETURNING`).

/// Creates a job unless its key exists: key, kind, sender, appointment, payload, due_at,
/// now.
pub(crate) const INSERT: &str = "INSERT INTO scheduled_jobs \
     (job_key, kind, sender_id, appointment_id, payload, due_at, status, attempts, \
      created_at, updated_at) \
     VALUES ($1, $2, $3, $4, $5, $6, 'pending', 0, $7, $7) \
     ON CONFLICT (job_key) DO NOTHING";

/// Which jobs a process may take at `$1`: pending and due, or running with an expired
/// lease (their process died mid-run).
macro_rules! takeable {
    () => {
        "((status = 'pending' AND due_at <= $1) OR (status = 'running' AND lease_until <= $1))"
    };
}

/// The claim up to its subquery's end: takes up to `$3` due jobs at `$1` until `$2`,
/// oldest first. One statement, so on SQLite (one writer at a time) two processes never
/// take the same row.
macro_rules! claim_head {
    () => {
        concat!(
            "UPDATE scheduled_jobs SET status = 'running', lease_until = $2, \
             attempts = attempts + 1, updated_at = $1 WHERE ",
            takeable!(),
            " AND id IN (SELECT id FROM scheduled_jobs WHERE ",
            takeable!(),
            " ORDER BY due_at, id LIMIT $3"
        )
    };
}

/// Closes the claim.
macro_rules! claim_tail {
    () => {
        ") RETURNING id, job_key, kind, sender_id, appointment_id, payload, due_at, attempts"
    };
}

/// The claim on SQLite.
pub(crate) const CLAIM_SQLITE: &str = concat!(claim_head!(), claim_tail!());
/// The claim on PostgreSQL: rows another transaction is taking are skipped rather than
/// waited for, and the outer condition is re-checked on a row another process just took.
pub(crate) const CLAIM_POSTGRES: &str =
    concat!(claim_head!(), " FOR UPDATE SKIP LOCKED", claim_tail!());

/// Ends job `$1` held until `$2` with status `$3`, outcome `$4` at `$5`; only while the
/// lease is still this process's.
pub(crate) const FINISH: &str = "UPDATE scheduled_jobs SET status = $3, outcome = $4, \
     lease_until = NULL, updated_at = $5 \
     WHERE id = $1 AND status = 'running' AND lease_until = $2";

/// Puts job `$1` held until `$2` back as pending, due at `$3`, with the reason `$4`; `$6`
/// is 0 when the run does not count against the job's attempts (it was only postponed).
pub(crate) const RETRY: &str = "UPDATE scheduled_jobs SET status = 'pending', due_at = $3, \
     outcome = $4, lease_until = NULL, updated_at = $5, attempts = attempts - 1 + $6 \
     WHERE id = $1 AND status = 'running' AND lease_until = $2";

/// Every job of sender `$1`, by due time (tests, staff).
pub(crate) const OF_SENDER: &str = "SELECT job_key, kind, sender_id, status, due_at, attempts, \
     outcome FROM scheduled_jobs WHERE sender_id = $1 ORDER BY due_at, id";

/// Active appointments starting in `($1, $2]`: id, patient, name, procedure, start_at,
/// start_zoned, updated_at (reminders).
pub(crate) const STARTING: &str = "SELECT id, patient, patient_name, procedure, start_at, \
     start_zoned, updated_at FROM appointments \
     WHERE status IN ('booked', 'confirmed') AND start_at > $1 AND start_at <= $2";

/// Attended appointments ending in `($1, $2]`: id, patient, name, procedure, end_at
/// (follow-ups).
pub(crate) const ATTENDED: &str = "SELECT id, patient, patient_name, procedure, end_at \
     FROM appointments WHERE status = 'attended' AND end_at > $1 AND end_at <= $2";

/// Appointment `$1`'s status and start (the send-time check).
pub(crate) const APPOINTMENT: &str = "SELECT status, start_at FROM appointments WHERE id = $1";
