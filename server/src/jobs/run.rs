//! [`Scheduler`]: takes due jobs and runs each through the patient's conversation.
//!
//! A job runs under the patient's conversation lock, like a turn: a reminder or follow-up
//! is an external intent (`EXTERNAL_appointment_reminder`, Rasa's way) that the domain's
//! rules answer with the job's action; a campaign runs its response. The new events carry
//! the job's key in their metadata and are stored through the same session as a turn;
//! then the patient's channel delivers the bot's messages. A run that died half-way is
//! taken over when its lease ends: events already recorded under the key are delivered
//! again rather than produced again, and the channel drops a key it queued before, so a
//! patient never gets a job twice.

use crate::conversations::{Conversations, OutputMessage, collect_messages};
use crate::jobs::outbound::{Delivery, Outbounds};
use crate::jobs::store::FinalStatus;
use crate::jobs::{Job, JobError, JobKind, JobSettings, Jobs, Outbound};
use crate::leads::LeadStage;
use bela_engine::dialogue::events::{BotUttered, Event, EventKind, ParseData};
use bela_engine::dialogue::policy::ACTION_LISTEN;
use bela_engine::dialogue::processor::UserMessage;
use bela_engine::dialogue::tracker::Tracker;
use bela_engine::names::{ActionName, IntentName, SenderId};
use bela_engine::nlu::IntentScore;
use jiff::Zoned;
use serde_json::{Value, json};
use std::sync::Arc;

use tokio::task::JoinHandle;

/// Jobs taken per claim.
const BATCH: i64 = 20;
/// Runs of a failing job before it is recorded as failed.
const MAX_ATTEMPTS: i64 = 5;
/// A patient who wrote this recently and is inside a form is not interrupted.
const BUSY_WINDOW: f64 = 30.0 * 60.0;
/// How long such a job waits.
const BUSY_DELAY: f64 = 15.0 * 60.0;
/// The event metadata key naming the job that produced an event.
pub const JOB_METADATA: &str = "job";

/// What one [`Scheduler::run_due_jobs`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RunReport {
    /// Appointment jobs created by the scan.
    pub scheduled: usize,
    /// Jobs whose messages were recorded (and handed to a channel).
    pub sent: usize,
    /// Jobs no longer true (cancelled or moved appointment, handoff).
    pub skipped: usize,
    /// Jobs put back for later (a failure, or the patient was mid-conversation).
    pub retried: usize,
    /// Jobs that failed for good.
    pub failed: usize,
}

/// How running one job ended.
enum Outcome {
    Sent(String),
    Skipped(&'static str),
    Later(f64, &'static str),
}

/// Runs the jobs of one server process. Any number of processes may run on one database.
pub struct Scheduler {
    conversations: Arc<Conversations>,
    jobs: Jobs,
    settings: JobSettings,
    outbounds: Outbounds,
}

impl Scheduler {
    /// A scheduler over `conversations` (whose database holds the jobs).
    pub fn new(conversations: Arc<Conversations>, settings: JobSettings) -> Self {
        Self {
            jobs: Jobs::new(conversations.store().clone()),
            conversations,
            settings,
            outbounds: Outbounds::default(),
        }
    }

    /// The same scheduler, delivering through `outbound` too.
    pub fn with_outbound(mut self, outbound: Arc<dyn Outbound>) -> Self {
        self.outbounds.add(outbound);
        self
    }

    /// The jobs' table.
    pub fn jobs(&self) -> &Jobs {
        &self.jobs
    }

    /// Runs the loop every [`JobSettings::interval`] until the handle is aborted.
    pub fn spawn(self: Arc<Self>) -> JoinHandle<()> {
        tokio::spawn(async move {
            let mut ticks = tokio::time::interval(self.settings.interval);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                ticks.tick().await;
                match self
                    .run_due_jobs(bela_engine::dialogue::events::now())
                    .await
                {
                    Ok(report) if report != RunReport::default() => {
                        tracing::info!(?report, "scheduled jobs run");
                    }
                    Ok(_) => {}
                    Err(error) => tracing::error!(%error, "scheduled jobs not run"),
                }
            }
        })
    }

    /// Creates the appointment jobs due by `now`, then runs every job due at `now` (the
    /// clock is a parameter so tests can move it).
    pub async fn run_due_jobs(&self, now: f64) -> Result<RunReport, JobError> {
        let mut report = RunReport {
            scheduled: super::scan::schedule_appointment_jobs(&self.jobs, &self.settings, now)
                .await?,
            ..RunReport::default()
        };
        let lease = self.settings.lease.as_secs_f64().max(1.0);
        loop {
            let claimed = self.jobs.claim(now, now + lease, BATCH).await?;
            if claimed.is_empty() {
                return Ok(report);
            }
            for job in &claimed {
                self.settle(job, now, &mut report).await?;
            }
        }
    }

    /// Runs `job` and stores how it ended.
    async fn settle(&self, job: &Job, now: f64, report: &mut RunReport) -> Result<(), JobError> {
        match self.run(job, now).await {
            Ok(Outcome::Sent(outcome)) => {
                report.sent += 1;
                self.jobs
                    .finish(job, FinalStatus::Sent, &outcome, now)
                    .await?;
            }
            Ok(Outcome::Skipped(reason)) => {
                report.skipped += 1;
                self.jobs
                    .finish(job, FinalStatus::Skipped, reason, now)
                    .await?;
            }
            Ok(Outcome::Later(at, reason)) => {
                report.retried += 1;
                self.jobs.retry_at(job, at, reason, false, now).await?;
            }
            Err(error) if job.attempts >= MAX_ATTEMPTS => {
                tracing::error!(job = %job.key, %error, "scheduled job failed for good");
                report.failed += 1;
                let error = error.to_string();
                self.jobs
                    .finish(job, FinalStatus::Failed, &error, now)
                    .await?;
            }
            Err(error) => {
                tracing::warn!(job = %job.key, %error, "scheduled job will be retried");
                report.retried += 1;
                let delay = 60.0 * f64::from(1u32 << job.attempts.clamp(0, 6) as u32);
                let error = error.to_string();
                self.jobs
                    .retry_at(job, now + delay, &error, true, now)
                    .await?;
            }
        }
        Ok(())
    }

    async fn run(&self, job: &Job, now: f64) -> Result<Outcome, JobError> {
        if let Some(reason) = self.stale(job, now).await? {
            return Ok(Outcome::Skipped(reason));
        }
        let sender = SenderId::new(job.sender_id.as_str());
        let mut session = self.conversations.open(&sender).await?;
        let channel = session.tracker.latest_input_channel().map(str::to_owned);
        let mut events = recorded(&session.tracker, &job.key);
        if events.is_empty() {
            if session.tracker.is_paused() {
                return Ok(Outcome::Skipped("the conversation is with staff"));
            }
            if busy(&session.tracker, now) {
                return Ok(Outcome::Later(
                    now + BUSY_DELAY,
                    "the patient is mid-conversation",
                ));
            }
            events = self
                .converse(&session.tracker, job, channel.as_deref(), now)
                .await?;
            session.tracker.extend(events.iter().cloned());
        }
        let said: Vec<BotUttered> = events
            .iter()
            .filter_map(|e| match &e.kind {
                EventKind::Bot(bot) => Some(bot.clone()),
                _ => None,
            })
            .collect();
        let messages = collect_messages(sender.as_str(), &said);
        let (_, guard) = session.save_locked().await?;
        let delivered = self.deliver(job, channel.as_deref(), &messages).await;
        guard.release().await?;
        let delivered = delivered?;
        if job.kind == JobKind::Reactivation {
            // The campaign wrote to a quiet lead; its next message makes it engaged.
            self.conversations
                .leads()
                .set_stage(&sender, LeadStage::Inactive)
                .await
                .map_err(|e| JobError::Action(e.to_string()))?;
        }
        Ok(Outcome::Sent(format!(
            "{} message(s) recorded, {delivered} queued on {}",
            messages.len(),
            channel.as_deref().unwrap_or("no channel")
        )))
    }

    /// Why `job` no longer holds at `now`, if so: its appointment was cancelled, moved or
    /// already started (reminders), or is not attended (follow-ups).
    async fn stale(&self, job: &Job, now: f64) -> Result<Option<&'static str>, JobError> {
        let Some(id) = job.appointment_id else {
            return Ok(None);
        };
        let Some((status, start_at)) = self.jobs.appointment(id).await? else {
            return Ok(Some("the appointment no longer exists"));
        };
        Ok(match job.kind {
            JobKind::Reminder if !matches!(status.as_str(), "booked" | "confirmed") => {
                Some("the appointment was cancelled")
            }
            JobKind::Reminder if job.payload["start_at"].as_i64() != Some(start_at) => {
                Some("the appointment was moved")
            }
            JobKind::Reminder if start_at as f64 <= now => Some("the appointment has started"),
            JobKind::FollowUp if status != "attended" => Some("the appointment was not attended"),
            _ => None,
        })
    }

    /// The job's events on a copy of `tracker`, each marked with the job's key.
    async fn converse(
        &self,
        tracker: &Tracker,
        job: &Job,
        channel: Option<&str>,
        now: f64,
    ) -> Result<Vec<Event>, JobError> {
        let processor = self.conversations.processor();
        let mut scratch = tracker.clone();
        let start = scratch.events().len();
        match job.kind.external_intent() {
            Some(intent) => {
                processor
                    .handle_message(&mut scratch, external_message(job, intent, channel, now))
                    .await;
            }
            None => {
                if let Some(response) = job.payload["response"].as_str() {
                    processor
                        .execute_action(
                            &mut scratch,
                            &ActionName::new(response),
                            channel,
                            now,
                            false,
                        )
                        .await
                        .map_err(|e| JobError::Action(e.to_string()))?;
                } else if let Some(text) = job.payload["text"].as_str() {
                    scratch.update(Event::new(
                        EventKind::Bot(BotUttered {
                            text: Some(text.to_owned()),
                            data: Default::default(),
                        }),
                        now,
                    ));
                }
                // The patient's answer is then read as the answer to this message.
                processor
                    .execute_action(
                        &mut scratch,
                        &ActionName::new(ACTION_LISTEN),
                        channel,
                        now,
                        false,
                    )
                    .await
                    .map_err(|e| JobError::Action(e.to_string()))?;
            }
        }
        let mut events = scratch.events()[start..].to_vec();
        for event in &mut events {
            event
                .metadata
                .insert(JOB_METADATA.into(), Value::String(job.key.clone()));
        }
        Ok(events)
    }

    async fn deliver(
        &self,
        job: &Job,
        channel: Option<&str>,
        messages: &[OutputMessage],
    ) -> Result<usize, JobError> {
        let Some(outbound) = self.outbounds.of(channel) else {
            // REST and other channels: the tracker holds the messages for the client.
            return Ok(0);
        };
        let parameters = template_parameters(job);
        outbound
            .deliver(Delivery {
                job_key: &job.key,
                kind: job.kind,
                recipient: &job.sender_id,
                messages,
                template_parameters: &parameters,
            })
            .await
    }
}

/// The events a previous run of job `key` recorded in the conversation.
fn recorded(tracker: &Tracker, key: &str) -> Vec<Event> {
    tracker
        .events()
        .iter()
        .filter(|e| e.metadata.get(JOB_METADATA).and_then(Value::as_str) == Some(key))
        .cloned()
        .collect()
}

/// Whether the patient is inside a form and wrote within [`BUSY_WINDOW`].
fn busy(tracker: &Tracker, now: f64) -> bool {
    tracker.active_loop_name().is_some()
        && tracker
            .latest_event_time()
            .is_some_and(|t| now - t < BUSY_WINDOW)
}

/// The external intent `intent` "said" in the patient's conversation, carrying the job's
/// payload as metadata for its action.
fn external_message(job: &Job, intent: &str, channel: Option<&str>, now: f64) -> UserMessage {
    let mut metadata =
        json!({"is_external": true, JOB_METADATA: job.key, "job_kind": job.kind.as_str()});
    if let (Some(metadata), Some(payload)) = (metadata.as_object_mut(), job.payload.as_object()) {
        metadata.extend(payload.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
    let intent = IntentScore {
        name: IntentName::new(intent),
        confidence: 1.0,
    };
    UserMessage {
        text: format!("EXTERNAL: {}", intent.name),
        input_channel: channel.map(str::to_owned),
        message_id: None,
        metadata: Some(metadata),
        parse_data: Some(ParseData {
            intent: Some(intent.clone()),
            intent_ranking: vec![intent],
            ..ParseData::default()
        }),
        timestamp: now,
    }
}

/// The values of the job's template: the patient's first name, then for a reminder the
/// appointment's date and time (`25/11 às 15:00`).
fn template_parameters(job: &Job) -> Vec<String> {
    let first_name = job.payload["patient_name"]
        .as_str()
        .or(job.payload["name"].as_str())
        .and_then(|n| n.split_whitespace().next())
        .unwrap_or("tudo bem")
        .to_owned();
    let mut out = vec![first_name];
    if job.kind == JobKind::Reminder
        && let Some(start) = job.payload["start"]
            .as_str()
            .and_then(|s| s.parse::<Zoned>().ok())
    {
        out.push(start.strftime("%d/%m às %H:%M").to_string());
    }
    out
}

/// Keeps the scheduler loop's task for as long as the server runs.
pub(crate) struct SchedulerTask(pub(crate) JoinHandle<()>);

impl Drop for SchedulerTask {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl std::fmt::Debug for Scheduler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scheduler")
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}
