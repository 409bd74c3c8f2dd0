//! Creating the appointment jobs: each look scans the appointments near their reminder or
//! follow-up time and creates the jobs still missing (a job's key makes this idempotent,
//! so every process may scan). Booking, rescheduling and attendance thus need no hook:
//! a moved appointment gets a new reminder key (its start is in it), and the old job
//! finds the appointment moved when it runs.

use crate::jobs::sql;
use crate::jobs::{JobError, JobKind, JobSettings, Jobs, NewJob};
use crate::store::backend::on_pool;
use serde_json::json;

const HOUR: f64 = 3600.0;
const DAY: f64 = 86_400.0;
/// Jobs are created this far ahead of their due time (visible, and due even if the
/// scheduler is slow).
const LOOKAHEAD: f64 = DAY;
/// A follow-up more than this late (the server was down) is not created any more: a
/// "how are you the day after" message a week later helps no one.
const FOLLOW_UP_GRACE: f64 = DAY;

/// An active appointment near its reminder: id, patient, name, procedure, start_at,
/// start_zoned, updated_at.
type StartingRow = (i64, String, String, String, i64, String, f64);
/// An attended appointment: id, patient, name, procedure, end_at.
type AttendedRow = (i64, String, String, String, i64);

/// Creates the reminder and follow-up jobs due by `now` plus the look-ahead; how many
/// were new.
pub async fn schedule_appointment_jobs(
    jobs: &Jobs,
    settings: &JobSettings,
    now: f64,
) -> Result<usize, JobError> {
    let mut created = 0;
    for job in reminders(jobs, settings, now).await? {
        created += usize::from(jobs.schedule(&job, now).await?);
    }
    for job in follow_ups(jobs, settings, now).await? {
        created += usize::from(jobs.schedule(&job, now).await?);
    }
    Ok(created)
}

/// The reminders of the active appointments starting within the reminder time (plus the
/// look-ahead), except those booked or moved after their reminder time: the booking's own
/// answer told the patient already.
async fn reminders(jobs: &Jobs, settings: &JobSettings, now: f64) -> Result<Vec<NewJob>, JobError> {
    let Some(hours) = settings.reminder_hours else {
        return Ok(Vec::new());
    };
    let before = f64::from(hours) * HOUR;
    let rows: Result<Vec<StartingRow>, sqlx::Error> = on_pool!(jobs.store().backend(), pool => {
        sqlx::query_as(sql::STARTING)
            .bind(now.floor() as i64)
            .bind((now + before + LOOKAHEAD).ceil() as i64)
            .fetch_all(pool)
            .await
    });
    Ok(rows
        .map_err(|e| jobs.db(e))?
        .into_iter()
        .filter_map(
            |(id, patient, name, procedure, start_at, start, updated_at)| {
                let due_at = start_at as f64 - before;
                (updated_at <= due_at).then(|| NewJob {
                    key: format!("{}:{id}:{start_at}", JobKind::Reminder.as_str()),
                    kind: JobKind::Reminder,
                    sender_id: patient,
                    appointment_id: Some(id),
                    payload: json!({
                        "appointment": id.to_string(),
                        "start_at": start_at,
                        "start": start,
                        "procedure": procedure,
                        "patient_name": name,
                    }),
                    due_at,
                })
            },
        )
        .collect())
}

/// The follow-ups of attended appointments, one per configured day, that are due within
/// the look-ahead and not too late.
async fn follow_ups(
    jobs: &Jobs,
    settings: &JobSettings,
    now: f64,
) -> Result<Vec<NewJob>, JobError> {
    let Some(&last_day) = settings.follow_up_days.iter().max() else {
        return Ok(Vec::new());
    };
    let from = now - f64::from(last_day) * DAY - FOLLOW_UP_GRACE;
    let rows: Result<Vec<AttendedRow>, sqlx::Error> = on_pool!(jobs.store().backend(), pool => {
        sqlx::query_as(sql::ATTENDED)
            .bind(from.floor() as i64)
            .bind((now + LOOKAHEAD).ceil() as i64)
            .fetch_all(pool)
            .await
    });
    let mut out = Vec::new();
    for (id, patient, name, procedure, end_at) in rows.map_err(|e| jobs.db(e))? {
        for (occurrence, &day) in settings.follow_up_days.iter().enumerate() {
            let due_at = end_at as f64 + f64::from(day) * DAY;
            if due_at > now + LOOKAHEAD || due_at < now - FOLLOW_UP_GRACE {
                continue;
            }
            out.push(NewJob {
                key: format!("{}:{id}:{day}", JobKind::FollowUp.as_str()),
                kind: JobKind::FollowUp,
                sender_id: patient.clone(),
                appointment_id: Some(id),
                payload: json!({
                    "appointment": id.to_string(),
                    "day": day,
                    "occurrence": occurrence,
                    "procedure": procedure,
                    "patient_name": name,
                }),
                due_at,
            });
        }
    }
    Ok(out)
}
