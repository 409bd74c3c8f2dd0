//! WhatsApp as a scheduled job's [`Outbound`]: the job's messages join the durable outbox
//! (once per job key and message), the first carrying the job's template, which replaces
//! it when Meta refuses a business-initiated message outside the 24-hour window (131047).

use crate::channels::whatsapp::outgoing::{addressed, graph_messages};
use crate::channels::whatsapp::{CHANNEL, Core};
use crate::jobs::{Delivery, JobError, JobKind, Outbound};
use crate::routes::body::now;
use bela_engine::dialogue::actions::BoxFuture;
use serde_json::{Value, json};
use std::sync::Arc;

/// Queues scheduled jobs' messages in the channel's outbox.
pub struct WhatsAppOutbound {
    core: Arc<Core>,
}

impl WhatsAppOutbound {
    pub(crate) fn new(core: Arc<Core>) -> Self {
        Self { core }
    }

    /// The job kind's template filled with `parameters`, if one is configured.
    fn template(&self, kind: JobKind, parameters: &[String]) -> Option<Value> {
        let config = &self.core.settings.config;
        let templates = &config.job_templates;
        let name = match kind {
            JobKind::Reminder => templates.reminder.as_ref(),
            JobKind::FollowUp => templates.follow_up.as_ref(),
            JobKind::Reactivation => templates.reactivation.as_ref(),
        }?;
        let parameters: Vec<Value> = parameters
            .iter()
            .map(|p| json!({"type": "text", "text": p}))
            .collect();
        Some(json!({"type": "template", "template": {
            "name": name,
            "language": {"code": config.fallback_template_language},
            "components": [{"type": "body", "parameters": parameters}],
        }}))
    }

    async fn queue(&self, delivery: Delivery<'_>) -> Result<usize, JobError> {
        let failed = |e: crate::channels::whatsapp::error::WhatsAppError| JobError::Delivery {
            channel: CHANNEL.into(),
            reason: e.to_string(),
        };
        let template = self
            .template(delivery.kind, delivery.template_parameters)
            .map(|t| addressed(delivery.recipient, &t).to_string());
        let mut queued = 0;
        let bodies = delivery.messages.iter().flat_map(graph_messages);
        for (index, message) in bodies.enumerate() {
            let body = addressed(delivery.recipient, &message).to_string();
            // Only the first message opens the conversation: one template is enough.
            let fallback = if index == 0 {
                template.as_deref()
            } else {
                None
            };
            let key = format!("{}#{index}", delivery.job_key);
            let new = self
                .core
                .outbox
                .enqueue_once(delivery.recipient, &body, now(), &key, fallback)
                .await
                .map_err(failed)?;
            queued += usize::from(new);
        }
        if queued > 0 {
            self.core.outbox_wakeup.notify_one();
        }
        Ok(queued)
    }
}

impl Outbound for WhatsAppOutbound {
    fn channel(&self) -> &str {
        CHANNEL
    }

    fn deliver<'a>(&'a self, delivery: Delivery<'a>) -> BoxFuture<'a, Result<usize, JobError>> {
        Box::pin(self.queue(delivery))
    }
}
