//! The domain as JSON, in the shape of Rasa's `GET /domain` (the domain file's
//! structure: Rasa's defaults are not listed).

use super::defaults::{KNOWLEDGE_BASE_SLOTS, REQUESTED_SLOT, SESSION_STARTED_METADATA};
use super::mapping::{MappingKind, SlotMapping};
use super::{Domain, EntityDecl, IntentDecl, Slot, SlotType, UsedEntities};
use serde_json::{Map, Value, json};

impl Domain {
    /// The domain as Rasa's `GET /domain` returns it: `version`, `intents`, `entities`,
    /// `slots`, `responses`, `actions`, `forms`, `e2e_actions`, `session_config` and
    /// `config.store_entities_as_slots`.
    pub fn to_json(&self) -> Value {
        let intents: Vec<Value> = self
            .intents
            .iter()
            .filter(|i| !i.is_default)
            .map(intent_json)
            .collect();
        let entities: Vec<Value> = self.entities.iter().map(entity_json).collect();
        let slots: Map<String, Value> = self
            .slots
            .values()
            .filter(|s| !self.is_added_slot(s))
            .map(|s| (s.name.to_string(), slot_json(s)))
            .collect();
        let responses: Map<String, Value> = self
            .responses
            .iter()
            .map(|(name, vs)| (name.to_string(), vs.iter().map(|v| v.to_json()).collect()))
            .collect();
        let forms: Map<String, Value> = self
            .forms
            .iter()
            .map(|(name, f)| {
                let mut form = json!({"required_slots": f.required_slots});
                if !f.ignored_intents.is_empty() {
                    form["ignored_intents"] = json!(f.ignored_intents);
                }
                (name.to_string(), form)
            })
            .collect();
        let mut out = json!({
            "config": {"store_entities_as_slots": self.store_entities_as_slots},
            "session_config": {
                "session_expiration_time": number(self.session_config.expiration_minutes),
                "carry_over_slots_to_new_session": self.session_config.carry_over_slots,
            },
            "intents": intents,
            "entities": entities,
            "slots": slots,
            "responses": responses,
            "actions": self.actions,
            "forms": forms,
            "e2e_actions": self.e2e_actions,
        });
        if let Some(v) = &self.version {
            out["version"] = json!(v);
        }
        out
    }

    /// True for a slot Rasa adds itself (not written in the domain file).
    fn is_added_slot(&self, slot: &Slot) -> bool {
        let name = slot.name.as_str();
        let added = name == SESSION_STARTED_METADATA
            || name == REQUESTED_SLOT
            || KNOWLEDGE_BASE_SLOTS.iter().any(|(n, _)| *n == name);
        added && slot.mappings.is_empty() && !slot.influence_conversation
    }
}

fn intent_json(intent: &IntentDecl) -> Value {
    let props = match &intent.used_entities {
        UsedEntities::AllExcept(ignored) if ignored.is_empty() => {
            return json!(intent.name);
        }
        UsedEntities::AllExcept(ignored) => json!({"ignore_entities": ignored}),
        UsedEntities::Only(used) if used.is_empty() => json!({"use_entities": false}),
        UsedEntities::Only(used) => json!({"use_entities": used}),
    };
    json!({ intent.name.as_str(): props })
}

fn entity_json(entity: &EntityDecl) -> Value {
    if entity.roles.is_empty() && entity.groups.is_empty() && entity.influence_conversation {
        return json!(entity.name);
    }
    let mut props = Map::new();
    if !entity.roles.is_empty() {
        props.insert("roles".into(), json!(entity.roles));
    }
    if !entity.groups.is_empty() {
        props.insert("groups".into(), json!(entity.groups));
    }
    if !entity.influence_conversation {
        props.insert("influence_conversation".into(), json!(false));
    }
    json!({ entity.name.as_str(): props })
}

fn slot_json(slot: &Slot) -> Value {
    let mut out = json!({
        "type": slot.slot_type.type_name(),
        "initial_value": slot.initial_value,
        "influence_conversation": slot.influence_conversation,
        "mappings": slot.mappings.iter().map(mapping_json).collect::<Vec<_>>(),
    });
    match &slot.slot_type {
        SlotType::Categorical { values } => out["values"] = json!(values),
        SlotType::Float { min, max } => {
            out["min_value"] = json!(min);
            out["max_value"] = json!(max);
        }
        _ => {}
    }
    out
}

fn mapping_json(mapping: &SlotMapping) -> Value {
    let mut out = json!({"type": mapping.kind.type_name()});
    match &mapping.kind {
        MappingKind::FromEntity {
            entity,
            role,
            group,
        } => {
            out["entity"] = json!(entity);
            if let Some(r) = role {
                out["role"] = json!(r);
            }
            if let Some(g) = group {
                out["group"] = json!(g);
            }
        }
        MappingKind::FromIntent { value } | MappingKind::FromTriggerIntent { value } => {
            out["value"] = value.clone();
        }
        MappingKind::Custom { action: Some(a) } => out["action"] = json!(a),
        MappingKind::Custom { action: None } | MappingKind::FromText => {}
    }
    if !mapping.intent.is_empty() {
        out["intent"] = json!(mapping.intent);
    }
    if !mapping.not_intent.is_empty() {
        out["not_intent"] = json!(mapping.not_intent);
    }
    if !mapping.conditions.is_empty() {
        let conditions: Vec<Value> = mapping
            .conditions
            .iter()
            .map(|c| {
                let mut cond = json!({"active_loop": c.active_loop});
                if let Some(r) = &c.requested_slot {
                    cond["requested_slot"] = json!(r);
                }
                cond
            })
            .collect();
        out["conditions"] = json!(conditions);
    }
    out
}

/// A whole number as an integer (`60`, as Rasa writes the default), others as floats.
fn number(x: f64) -> Value {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        json!(x as i64)
    } else {
        json!(x)
    }
}
