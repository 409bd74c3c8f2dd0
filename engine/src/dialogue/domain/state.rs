//! What the domain contributes to a dialogue state as Rasa's featurizers see it: the
//! featurized slots and the entity labels of the latest user message.

use super::{Domain, SlotFeature};
use crate::names::{EntityName, IntentName, SlotName};
use crate::nlu::ParsedEntity;
use serde_json::Value;

/// Separates an entity from its role or group in state labels (`time#start`).
pub const ENTITY_LABEL_SEPARATOR: char = '#';

impl Domain {
    /// The slots that appear in the state, in domain order, with their features: those
    /// that influence the conversation and whose features are not all zero (Rasa's
    /// `_get_slots_sub_state`). `value` gives a slot's current value.
    pub fn slot_states(
        &self,
        value: impl Fn(&SlotName) -> Option<Value>,
    ) -> Vec<(SlotName, SlotFeature)> {
        self.slots
            .values()
            .filter(|s| s.influence_conversation)
            .filter_map(|s| {
                s.state(value(&s.name).as_ref())
                    .map(|f| (s.name.clone(), f))
            })
            .collect()
    }

    /// The entity labels of a user message the policies see (Rasa's
    /// `_get_featurized_entities`): each entity's type, plus `type#role` and
    /// `type#group` for declared roles and groups, kept when the intent uses the entity.
    /// Sorted and without repeats.
    pub fn featurized_entities(
        &self,
        intent: Option<&IntentName>,
        entities: &[ParsedEntity],
    ) -> Vec<String> {
        let declared_intent = intent.and_then(|i| self.intent(i));
        let mut out = Vec::new();
        for e in entities {
            let name = EntityName::new(e.entity.as_str());
            let declared = self.entity(&name);
            let used = match (declared_intent, intent) {
                (Some(_), Some(i)) => self.intent_uses_entity(i, &name),
                // Rasa keeps every label for an intent the domain does not know.
                _ => true,
            };
            if !used {
                continue;
            }
            out.push(e.entity.clone());
            let labels = [
                (&e.role, declared.map(|d| &d.roles)),
                (&e.group, declared.map(|d| &d.groups)),
            ];
            for (label, known) in labels {
                if let Some(label) = label
                    && (declared_intent.is_none() || known.is_some_and(|k| k.contains(label)))
                {
                    out.push(format!("{}{ENTITY_LABEL_SEPARATOR}{label}", e.entity));
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::path::Path;

    const DOMAIN: &str = "intents:\n  - inform\n  - greet:\n      use_entities: []\nentities:\n  - procedure\n  - time:\n      roles: [start]\nslots:\n  procedure:\n    type: text\n    mappings: []\n  name:\n    type: any\n    mappings: []\n  ok:\n    type: bool\n    mappings: []\n";

    fn entity(name: &str, role: Option<&str>) -> ParsedEntity {
        ParsedEntity {
            entity: name.into(),
            start: 0,
            end: 1,
            value: json!("x"),
            extractor: "test".into(),
            confidence_entity: None,
            role: role.map(Into::into),
            group: None,
            processors: Vec::new(),
            additional_info: None,
        }
    }

    #[test]
    fn slot_states_leave_out_unset_and_unfeaturized_slots() {
        let d = Domain::parse(DOMAIN, Path::new("d.yml")).domain;
        let states = d.slot_states(|s: &SlotName| match s.as_str() {
            "procedure" | "name" => Some(json!("botox")),
            _ => None,
        });
        let names: Vec<&str> = states.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["procedure"]);
        assert_eq!(states[0].1.values(), [1.0]);
    }

    #[test]
    fn entity_labels_follow_the_intent_and_declared_roles() {
        let d = Domain::parse(DOMAIN, Path::new("d.yml")).domain;
        let ents = [
            entity("time", Some("start")),
            entity("procedure", None),
            entity("time", Some("other")),
        ];
        let inform = IntentName::new("inform");
        assert_eq!(
            d.featurized_entities(Some(&inform), &ents),
            ["procedure", "time", "time#start"]
        );
        let greet = IntentName::new("greet");
        assert!(d.featurized_entities(Some(&greet), &ents).is_empty());
        let unknown = IntentName::new("nope");
        assert_eq!(
            d.featurized_entities(Some(&unknown), &ents),
            ["procedure", "time", "time#other", "time#start"]
        );
    }
}
