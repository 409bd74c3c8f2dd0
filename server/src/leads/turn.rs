//! What one turn tells about its sender as a lead, read from the turn's new events.

use crate::leads::{LeadStage, LeadTag, TagKind};
use bela_engine::dialogue::events::{Event, EventKind, UserUttered};
use serde_json::Value;

/// The action whose run makes a lead `quoted`.
const QUOTE_ACTION: &str = "action_quote";
/// The action whose run, when it stored an appointment, makes a lead `booked`.
const BOOK_ACTION: &str = "action_book_appointment";

/// The sender as the turn's user messages show it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Contact {
    /// WhatsApp's `wa_id` from the message metadata.
    pub phone: Option<String>,
    /// The profile name from the message metadata (`name`).
    pub name: Option<String>,
    /// The input channel.
    pub source: Option<String>,
    /// The first message's time (Unix seconds).
    pub first_at: f64,
    /// The latest message's time.
    pub last_at: f64,
}

/// What a turn changes about its sender's lead.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TurnFacts {
    /// Set when the turn holds a user message: the sender wrote.
    pub contact: Option<Contact>,
    /// Interests named by the user messages, without repeats.
    pub tags: Vec<(LeadTag, TagKind)>,
    /// The furthest stage the turn's actions reached (`quoted`), if any.
    pub stage: Option<LeadStage>,
    /// `action_book_appointment` ran: the lead is `booked` if it stored an appointment.
    pub booking_attempted: bool,
    /// The time of the turn's first event (appointments stored since then are its own).
    pub started_at: f64,
    /// The satisfaction answer `action_store_satisfaction` recorded (slot `satisfaction`).
    pub satisfaction: Option<Satisfaction>,
}

/// A patient's answer to a follow-up's satisfaction question.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct Satisfaction {
    /// The appointment it is about (its id).
    pub appointment: String,
    /// 1 (bad) to 5 (great).
    pub score: u8,
    /// What the patient answered.
    pub answer: String,
}

/// The slot `action_store_satisfaction` sets.
const SATISFACTION_SLOT: &str = "satisfaction";

impl TurnFacts {
    /// Reads the turn's `events` (only those appended by the turn).
    pub fn of(events: &[Event]) -> Self {
        let mut facts = Self {
            started_at: events.first().map_or(0.0, |e| e.timestamp),
            ..Self::default()
        };
        for event in events {
            match &event.kind {
                // A scheduled job's external intent is the clinic writing, not the contact.
                EventKind::User(user) if !is_external(user) => {
                    facts.add_message(user, event.timestamp)
                }
                EventKind::Slot { name, value } if name.as_str() == SATISFACTION_SLOT => {
                    facts.satisfaction = serde_json::from_value(value.clone()).ok();
                }
                EventKind::Action(action) => match action.name.as_ref().map(|n| n.as_str()) {
                    Some(QUOTE_ACTION) => facts.stage = facts.stage.max(Some(LeadStage::Quoted)),
                    Some(BOOK_ACTION) => facts.booking_attempted = true,
                    _ => {}
                },
                _ => {}
            }
        }
        facts
    }

    /// Whether the turn changes nothing about the lead (no write needed).
    pub fn is_empty(&self) -> bool {
        self.contact.is_none()
            && self.stage.is_none()
            && !self.booking_attempted
            && self.satisfaction.is_none()
    }

    fn add_message(&mut self, user: &UserUttered, at: f64) {
        let metadata = user.parse_data.metadata.as_ref();
        let text = |key: &str| {
            metadata
                .and_then(|m| m.get(key))
                .and_then(Value::as_str)
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        let contact = self.contact.get_or_insert_with(|| Contact {
            first_at: at,
            ..Contact::default()
        });
        contact.first_at = contact.first_at.min(at);
        contact.last_at = contact.last_at.max(at);
        // The latest message's details win: a renamed profile shows its new name.
        contact.phone = text("wa_id").or(contact.phone.take());
        contact.name = text("name").or(contact.name.take());
        contact.source = user.input_channel.clone().or(contact.source.take());
        for entity in &user.parse_data.entities {
            let (Some(kind), Some(value)) =
                (TagKind::of_entity(&entity.entity), entity.value.as_str())
            else {
                continue;
            };
            let tag = LeadTag::new(value.trim());
            if !tag.as_str().is_empty() && !self.tags.iter().any(|(t, _)| *t == tag) {
                self.tags.push((tag, kind));
            }
        }
    }
}

/// Whether `user` is an external intent (`trigger_intent`, a scheduled job).
fn is_external(user: &UserUttered) -> bool {
    user.parse_data
        .metadata
        .as_ref()
        .and_then(|m| m.get("is_external"))
        .and_then(Value::as_bool)
        .unwrap_or(false)
}
