//! Slot mappings: how a slot is filled from the user's messages.

use crate::names::{ActionName, EntityName, IntentName, SlotName};
use serde_json::Value;

/// What a mapping takes its value from.
#[derive(Debug, Clone, PartialEq)]
pub enum MappingKind {
    /// An extracted entity of this type (and role and group, which must match exactly:
    /// a mapping without a role only takes entities without one).
    FromEntity {
        /// The entity type.
        entity: EntityName,
        /// The role the entity must have.
        role: Option<String>,
        /// The group the entity must have.
        group: Option<String>,
    },
    /// The whole text of the message.
    FromText,
    /// A fixed value, when the message's intent matches.
    FromIntent {
        /// The value set.
        value: Value,
    },
    /// A fixed value, when the form is activated by the message.
    FromTriggerIntent {
        /// The value set.
        value: Value,
    },
    /// Filled by a custom action (or the form's validation action when none is named).
    Custom {
        /// The action that fills the slot.
        action: Option<ActionName>,
    },
}

impl MappingKind {
    /// Rasa's name of the mapping type (`from_entity`, ...).
    pub fn type_name(&self) -> &'static str {
        match self {
            Self::FromEntity { .. } => "from_entity",
            Self::FromText => "from_text",
            Self::FromIntent { .. } => "from_intent",
            Self::FromTriggerIntent { .. } => "from_trigger_intent",
            Self::Custom { .. } => "custom",
        }
    }
}

/// A condition on the dialogue state under which a mapping applies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MappingCondition {
    /// The loop (form) that must be active; `None` (`active_loop: null`) means no loop.
    pub active_loop: Option<ActionName>,
    /// The slot the form must be asking for, if any.
    pub requested_slot: Option<SlotName>,
}

/// One mapping of a slot.
#[derive(Debug, Clone, PartialEq)]
pub struct SlotMapping {
    /// Where the value comes from.
    pub kind: MappingKind,
    /// The mapping applies only to messages with one of these intents (empty: any).
    pub intent: Vec<IntentName>,
    /// The mapping never applies to messages with these intents.
    pub not_intent: Vec<IntentName>,
    /// The mapping applies when one of these holds (empty: always).
    pub conditions: Vec<MappingCondition>,
}

impl SlotMapping {
    /// A mapping of `kind` with no intent filter and no conditions.
    pub fn new(kind: MappingKind) -> Self {
        Self {
            kind,
            intent: Vec::new(),
            not_intent: Vec::new(),
            conditions: Vec::new(),
        }
    }
}
