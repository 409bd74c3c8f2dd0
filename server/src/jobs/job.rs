//! A scheduled job: what it is for, whom it goes to and when.

use serde_json::Value;

/// What a job does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JobKind {
    /// Reminds the patient of an active appointment `reminder_hours` before it.
    Reminder,
    /// Asks how the patient is, and how satisfied, some days after an attended appointment.
    FollowUp,
    /// Writes to an inactive lead for a campaign.
    Reactivation,
}

impl JobKind {
    /// Every kind, for parsing stored values.
    pub const ALL: [Self; 3] = [Self::Reminder, Self::FollowUp, Self::Reactivation];

    /// The stored name, also the first part of the job's key.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Reminder => "reminder",
            Self::FollowUp => "follow_up",
            Self::Reactivation => "reactivation",
        }
    }

    /// The kind stored as `name`.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// The external intent the job triggers in the patient's conversation (Rasa's way of
    /// starting a reminder); the domain's rules map it to the job's action. `None`: the
    /// job runs its response directly (a campaign's).
    pub fn external_intent(self) -> Option<&'static str> {
        match self {
            Self::Reminder => Some("EXTERNAL_appointment_reminder"),
            Self::FollowUp => Some("EXTERNAL_follow_up"),
            Self::Reactivation => None,
        }
    }
}

/// A job to create; created once per `key`.
#[derive(Debug, Clone, PartialEq)]
pub struct NewJob {
    /// Unique per occurrence: `reminder:<appointment>:<start>`, `follow_up:<appointment>:<day>`,
    /// `reactivation:<campaign>:<sender>`.
    pub key: String,
    /// What it does.
    pub kind: JobKind,
    /// The conversation it runs in (the patient's sender id).
    pub sender_id: String,
    /// The appointment it is about, if any.
    pub appointment_id: Option<i64>,
    /// What the job's action needs (procedure, name, campaign text, ...).
    pub payload: Value,
    /// When it is due (Unix seconds).
    pub due_at: f64,
}

/// A job a process claimed and now runs.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    /// The row.
    pub id: i64,
    /// See [`NewJob::key`].
    pub key: String,
    /// What it does.
    pub kind: JobKind,
    /// The patient's sender id.
    pub sender_id: String,
    /// The appointment, if any.
    pub appointment_id: Option<i64>,
    /// See [`NewJob::payload`].
    pub payload: Value,
    /// When it came due.
    pub due_at: f64,
    /// Runs started so far, this one included.
    pub attempts: i64,
    /// Until when this process holds it (the claim's token: finishing checks it).
    pub lease_until: f64,
}

/// A stored job as `GET`-style listings and tests see it.
#[derive(Debug, Clone, PartialEq)]
pub struct JobRecord {
    /// See [`NewJob::key`].
    pub key: String,
    /// What it does.
    pub kind: JobKind,
    /// The patient's sender id.
    pub sender_id: String,
    /// `pending`, `running`, `sent`, `skipped` or `failed`.
    pub status: String,
    /// When it is due.
    pub due_at: f64,
    /// Runs started.
    pub attempts: i64,
    /// Why it was skipped or failed, or how many messages it sent.
    pub outcome: Option<String>,
}
