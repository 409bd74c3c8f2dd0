//! Reactivation campaigns: one job per lead of a segment, once per lead per campaign.

use crate::jobs::{JobError, JobKind, Jobs, NewJob};
use crate::leads::{Leads, Segment};
use serde_json::json;

/// What a campaign says: a text, or a response of the domain (`utter_reactivation`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CampaignMessage {
    /// This text, as it is.
    Text(String),
    /// This response (its variations and buttons), run as an action.
    Response(String),
}

/// A campaign to send.
#[derive(Debug, Clone, PartialEq)]
pub struct Campaign {
    /// Names the campaign: a lead gets a campaign's message once, however often it is
    /// posted.
    pub id: String,
    /// Whom it goes to.
    pub segment: Segment,
    /// What it says.
    pub message: CampaignMessage,
}

/// How a campaign was scheduled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CampaignScheduled {
    /// Leads in the segment.
    pub leads: usize,
    /// Jobs created now (the others had this campaign already).
    pub scheduled: usize,
}

/// Creates a job due at `now` for every lead of the campaign's segment that has none for
/// this campaign yet.
pub async fn schedule_campaign(
    jobs: &Jobs,
    leads: &Leads,
    campaign: &Campaign,
    now: f64,
) -> Result<CampaignScheduled, JobError> {
    let found = leads
        .segment(&campaign.segment, now)
        .await
        .map_err(|e| JobError::Action(e.to_string()))?;
    let message = match &campaign.message {
        CampaignMessage::Text(text) => json!({"text": text}),
        CampaignMessage::Response(name) => json!({"response": name}),
    };
    let mut scheduled = 0;
    for lead in &found {
        let mut payload = json!({"campaign": campaign.id, "name": lead.name});
        if let (Some(p), Some(m)) = (payload.as_object_mut(), message.as_object()) {
            p.extend(m.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        let job = NewJob {
            key: format!(
                "{}:{}:{}",
                JobKind::Reactivation.as_str(),
                campaign.id,
                lead.sender
            ),
            kind: JobKind::Reactivation,
            sender_id: lead.sender.clone(),
            appointment_id: None,
            payload,
            due_at: now,
        };
        scheduled += usize::from(jobs.schedule(&job, now).await?);
    }
    Ok(CampaignScheduled {
        leads: found.len(),
        scheduled,
    })
}
