//! Scheduled jobs that survive restarts and never send twice: appointment reminders,
//! post-procedure follow-ups (with a satisfaction question) and reactivation campaigns.
//!
//! Jobs are rows of `scheduled_jobs` (migration 0007) in the conversations' database,
//! unique per occurrence (their key), so scheduling again creates nothing. Reminders and
//! follow-ups are created by scanning the appointments on every look; campaigns by
//! `POST /campaigns/reactivation`. A process takes due jobs with a lease in one statement
//! (`FOR UPDATE SKIP LOCKED` on PostgreSQL), so two processes never run the same job, and
//! a job its process left behind runs again once the lease ends. Each job runs through the
//! patient's conversation ([`Scheduler`]) and goes out through the patient's channel
//! ([`Outbound`]). Pending jobs are picked up by whichever process looks next, including
//! after a restart.

mod campaign;
mod error;
mod job;
mod outbound;
mod run;
mod scan;
mod settings;
mod sql;
mod store;
#[cfg(test)]
mod tests;

pub use campaign::{Campaign, CampaignMessage, CampaignScheduled, schedule_campaign};
pub use error::JobError;
pub use job::{Job, JobKind, JobRecord, NewJob};
pub use outbound::{Delivery, Outbound, Outbounds};
pub(crate) use run::SchedulerTask;
pub use run::{JOB_METADATA, RunReport, Scheduler};
pub use scan::schedule_appointment_jobs;
pub use settings::{DEFAULT_INTERVAL, DEFAULT_LEASE, JobSettings};
pub use store::{FinalStatus, Jobs};
