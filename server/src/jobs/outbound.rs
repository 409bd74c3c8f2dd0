//! How a job's messages leave the server: the [`Outbound`] of the patient's channel.
//!
//! A job first records its messages in the patient's conversation (any client of the
//! tracker, such as a REST client polling `GET /conversations/{id}/tracker`, sees them
//! there); then the outbound of the channel the patient last wrote from, if the server has
//! one, delivers them. WhatsApp queues them in its durable outbox. Channels without an
//! outbound (REST, the shell) only record them.

use crate::conversations::OutputMessage;
use crate::jobs::{JobError, JobKind};
use bela_engine::dialogue::actions::BoxFuture;
use std::sync::Arc;

/// A job's messages for one patient.
#[derive(Debug, Clone, Copy)]
pub struct Delivery<'a> {
    /// The job's key: delivering the same key twice must deliver once (a job retried
    /// after a crash delivers again).
    pub job_key: &'a str,
    /// What the job is.
    pub kind: JobKind,
    /// The patient's id on the channel (the sender id).
    pub recipient: &'a str,
    /// What the bot said.
    pub messages: &'a [OutputMessage],
    /// Values for the kind's message template, where a channel needs one to write first
    /// (WhatsApp outside the 24-hour window).
    pub template_parameters: &'a [String],
}

/// A channel that can deliver messages the patient did not just ask for.
pub trait Outbound: Send + Sync {
    /// The input channel name it serves (`whatsapp`), as recorded on user events.
    fn channel(&self) -> &str;

    /// Delivers (or durably queues) `delivery`; how many messages it queued (0 when the
    /// key was delivered before).
    fn deliver<'a>(&'a self, delivery: Delivery<'a>) -> BoxFuture<'a, Result<usize, JobError>>;
}

/// The outbounds the server has, by channel.
#[derive(Clone, Default)]
pub struct Outbounds {
    channels: Vec<Arc<dyn Outbound>>,
}

impl Outbounds {
    /// Adds `outbound` (a later one for the same channel wins).
    pub fn add(&mut self, outbound: Arc<dyn Outbound>) {
        self.channels.insert(0, outbound);
    }

    /// The outbound of `channel`, if any.
    pub fn of(&self, channel: Option<&str>) -> Option<&dyn Outbound> {
        let channel = channel?;
        self.channels
            .iter()
            .find(|o| o.channel() == channel)
            .map(|o| &**o)
    }
}
