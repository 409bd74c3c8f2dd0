//! Slot mapping evaluation: what Rasa's `action_extract_slots` sets after a user
//! message, as a pure function of the message and the dialogue state.

use super::defaults::{KNOWLEDGE_BASE_SLOTS, REQUESTED_SLOT, SESSION_STARTED_METADATA};
use super::mapping::{MappingKind, SlotMapping};
use super::{Domain, SlotType, defaults};
use crate::names::{ActionName, IntentName, SlotName};
use crate::nlu::ParsedEntity;
use serde_json::Value;

/// What the extraction needs to know about the conversation.
pub struct ExtractionContext<'a> {
    /// The latest user message's intent.
    pub intent: Option<&'a IntentName>,
    /// The latest user message's entities.
    pub entities: &'a [ParsedEntity],
    /// The latest user message's text (`None` when there is no user message yet).
    pub text: Option<&'a str>,
    /// The active loop (form). At a form's activation, pass the form: that is how
    /// `from_trigger_intent` mappings fill (Rasa runs the extraction again then).
    pub active_loop: Option<&'a ActionName>,
    /// The value of `requested_slot`.
    pub requested_slot: Option<&'a SlotName>,
    /// True when the active loop rejected its execution (it could not fill the
    /// requested slot from the message).
    pub loop_rejected: bool,
    /// The current value of a slot (`None` when unset).
    pub slot_value: &'a (dyn Fn(&SlotName) -> Option<Value> + Sync),
}

/// The outcome of an extraction.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Extraction {
    /// Slots to set, in Rasa's order (domain order of the slots).
    pub slots: Vec<(SlotName, Value)>,
    /// Custom actions of `custom` mappings to run (each once), whose `SlotSet` and
    /// `BotUttered` events Rasa keeps.
    pub custom_actions: Vec<ActionName>,
    /// `action_validate_slot_mappings` when the domain declares it: Rasa runs it on the
    /// extracted slots and keeps its `SlotSet` events (a slot it does not mention stays
    /// as extracted).
    pub validation_action: Option<ActionName>,
}

impl Domain {
    /// The slot events Rasa's `action_extract_slots` would produce for the latest user
    /// message: each slot's mappings are tried in order and the first that yields a
    /// value sets the slot (unless the value is null and the slot is unset already).
    ///
    /// As in Rasa 3, a mapping without `conditions` applies to every message, form or
    /// no form (a `from_text` mapping without conditions takes every text); conditions
    /// restrict it to an active loop and, optionally, its requested slot.
    pub fn extract_slots(&self, ctx: &ExtractionContext) -> Extraction {
        let mut out = Extraction::default();
        for slot in self.slots.values() {
            if is_default_slot(slot.name.as_str()) {
                continue;
            }
            for mapping in &slot.mappings {
                if !self.mapping_applies(&slot.name, mapping, ctx) {
                    continue;
                }
                let values = predefined_values(mapping, ctx);
                if !values.is_empty() {
                    let value = if slot.slot_type == SlotType::List {
                        Value::Array(values)
                    } else {
                        values.into_iter().last().unwrap_or(Value::Null)
                    };
                    let current = (ctx.slot_value)(&slot.name).filter(|v| !v.is_null());
                    if !value.is_null() || current.is_some() {
                        out.slots.push((slot.name.clone(), value));
                        break;
                    }
                }
                if let MappingKind::Custom {
                    action: Some(action),
                } = &mapping.kind
                    && !out.custom_actions.contains(action)
                {
                    out.custom_actions.push(action.clone());
                }
            }
        }
        if self.has_action(defaults::VALIDATE_SLOT_MAPPINGS) {
            out.validation_action = Some(ActionName::new(defaults::VALIDATE_SLOT_MAPPINGS));
        }
        out
    }

    fn mapping_applies(
        &self,
        slot: &SlotName,
        mapping: &SlotMapping,
        ctx: &ExtractionContext,
    ) -> bool {
        self.mapping_is_valid(mapping)
            && self.intent_is_desired(mapping, ctx)
            && conditions_hold(slot, mapping, ctx)
            && !self.fails_unique_entity_check(slot, mapping, ctx)
    }

    /// Rasa skips mappings naming an entity, or (for `from_intent`) an intent, the
    /// domain does not have; the loader warns about them.
    pub(super) fn mapping_is_valid(&self, mapping: &SlotMapping) -> bool {
        match &mapping.kind {
            MappingKind::FromEntity { entity, .. } => self.entity(entity).is_some(),
            MappingKind::FromIntent { .. } => {
                mapping.intent.iter().all(|i| self.intent(i).is_some())
            }
            _ => true,
        }
    }

    fn intent_is_desired(&self, mapping: &SlotMapping, ctx: &ExtractionContext) -> bool {
        let Some(intent) = ctx.intent else {
            return mapping.intent.is_empty();
        };
        if mapping.intent.contains(intent) {
            return true;
        }
        if !mapping.intent.is_empty() || mapping.not_intent.contains(intent) {
            return false;
        }
        // A form's ignored intents block its mappings while it is active.
        let Some(active) = ctx.active_loop else {
            return true;
        };
        let loop_matches = mapping.conditions.is_empty()
            || mapping
                .conditions
                .iter()
                .any(|c| c.active_loop.as_ref() == Some(active));
        let ignored = loop_matches
            && self
                .form(active)
                .is_some_and(|f| f.ignored_intents.contains(intent));
        !ignored
    }

    /// While a form is active, an entity mapping of one of its slots other than the
    /// requested one only fills when no other slot of the form has the same mapping.
    fn fails_unique_entity_check(
        &self,
        slot: &SlotName,
        mapping: &SlotMapping,
        ctx: &ExtractionContext,
    ) -> bool {
        if !matches!(mapping.kind, MappingKind::FromEntity { .. }) {
            return false;
        }
        let Some(form) = ctx.active_loop else {
            return false;
        };
        if ctx.requested_slot == Some(slot) {
            return false;
        }
        let required = self.required_slots(form);
        if !required.contains(slot) {
            return false;
        }
        let uses = required
            .iter()
            .filter_map(|s| self.slot(s))
            .flat_map(|s| &s.mappings)
            .filter(|m| *m == mapping)
            .count();
        uses > 1
    }
}

fn is_default_slot(name: &str) -> bool {
    name == REQUESTED_SLOT
        || name == SESSION_STARTED_METADATA
        || KNOWLEDGE_BASE_SLOTS.iter().any(|(n, _)| *n == name)
}

/// Rasa's `_matches_mapping_conditions` (trigger-intent mappings check theirs when
/// taking the value instead).
fn conditions_hold(slot: &SlotName, mapping: &SlotMapping, ctx: &ExtractionContext) -> bool {
    if mapping.conditions.is_empty()
        || matches!(mapping.kind, MappingKind::FromTriggerIntent { .. })
    {
        return true;
    }
    if ctx.loop_rejected && ctx.requested_slot == Some(slot) {
        return false;
    }
    mapping
        .conditions
        .iter()
        .any(|c| match (&c.active_loop, ctx.active_loop) {
            (Some(wanted), Some(active)) if wanted == active => {
                c.requested_slot.is_none() || c.requested_slot.as_ref() == ctx.requested_slot
            }
            (None, None) => true,
            _ => false,
        })
}

/// The candidate values of a predefined mapping (empty when it does not fill).
fn predefined_values(mapping: &SlotMapping, ctx: &ExtractionContext) -> Vec<Value> {
    match &mapping.kind {
        MappingKind::FromEntity {
            entity,
            role,
            group,
        } => ctx
            .entities
            .iter()
            .filter(|e| {
                e.entity == entity.as_str()
                    && e.role.as_ref() == role.as_ref()
                    && e.group.as_ref() == group.as_ref()
            })
            .map(|e| e.value.clone())
            .collect(),
        MappingKind::FromIntent { value } => vec![value.clone()],
        MappingKind::FromTriggerIntent { value } => {
            let Some(active) = ctx.active_loop else {
                return Vec::new();
            };
            let in_conditions = mapping.conditions.is_empty()
                || mapping
                    .conditions
                    .iter()
                    .any(|c| c.active_loop.as_ref() == Some(active));
            if in_conditions {
                vec![value.clone()]
            } else {
                Vec::new()
            }
        }
        MappingKind::FromText => vec![
            ctx.text
                .map_or(Value::Null, |t| Value::String(t.to_owned())),
        ],
        MappingKind::Custom { .. } => Vec::new(),
    }
}
