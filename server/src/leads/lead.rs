//! A lead as the API shows it.

use crate::leads::LeadStage;
use serde::Serialize;

bela_engine::name_type!(
    /// An interest tag: a procedure or concern id (`botox`, `rugas`).
    LeadTag
);

/// What a tag names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TagKind {
    /// A procedure asked about (`procedure` entity).
    Procedure,
    /// A concern described (`concern` entity).
    Concern,
    /// How satisfied the patient said they were after a procedure: `satisfeito` (4–5),
    /// `neutro` (3) or `insatisfeito` (1–2), from the follow-up's answer.
    Satisfaction,
}

impl TagKind {
    /// The stored name, which is also the entity's.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Procedure => "procedure",
            Self::Concern => "concern",
            Self::Satisfaction => "satisfaction",
        }
    }

    /// The kind of tag entity `entity` gives, if any.
    pub fn of_entity(entity: &str) -> Option<Self> {
        match entity {
            "procedure" => Some(Self::Procedure),
            "concern" => Some(Self::Concern),
            _ => None,
        }
    }
}

/// A contact of the clinic.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Lead {
    /// The conversation's sender id.
    pub sender: String,
    /// The phone number (WhatsApp's `wa_id`), when the channel gave one.
    pub phone: Option<String>,
    /// The profile name the channel gave.
    pub name: Option<String>,
    /// The input channel of the first contact (`whatsapp`, `rest`).
    pub source: Option<String>,
    /// How far it got.
    pub stage: LeadStage,
    /// Interests, sorted.
    pub tags: Vec<LeadTag>,
    /// First message, Unix seconds.
    pub first_contact: f64,
    /// Latest message, Unix seconds.
    pub last_contact: f64,
}
