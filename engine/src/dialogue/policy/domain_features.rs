//! The domain decides what policies see: which entities an intent uses and how each slot
//! featurizes (Rasa's `SingleStateFeaturizer` inputs).

use super::state::Featurizer;
use crate::dialogue::domain::Domain;
use crate::names::{IntentName, SlotName};
use crate::nlu::ParsedEntity;
use serde_json::Value;

impl Featurizer for Domain {
    fn entity_features(
        &self,
        intent: Option<&IntentName>,
        entities: &[ParsedEntity],
    ) -> Vec<String> {
        self.featurized_entities(intent, entities)
    }

    fn slot_feature(&self, slot: &SlotName, value: &Value) -> Option<String> {
        let slot = self.slot(slot).filter(|s| s.influence_conversation)?;
        let feature = slot.state(Some(value).filter(|v| !v.is_null()))?;
        let parts: Vec<String> = feature.values().iter().map(f32::to_string).collect();
        Some(parts.join(","))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialogue::domain::{Slot, SlotType};
    use serde_json::json;

    fn entity(name: &str, role: Option<&str>) -> ParsedEntity {
        let mut e: ParsedEntity =
            serde_json::from_value(json!({"entity": name, "value": "x"})).expect("entity");
        e.role = role.map(str::to_owned);
        e
    }

    #[test]
    fn entities_with_roles_and_slots_by_type() {
        let mut domain = Domain::default();
        domain
            .slots
            .insert(SlotName::new("vip"), Slot::new("vip", SlotType::Bool));
        let mut hidden = Slot::new("note", SlotType::Text);
        hidden.influence_conversation = false;
        domain.slots.insert(SlotName::new("note"), hidden);
        let features =
            domain.entity_features(None, &[entity("city", Some("from")), entity("city", None)]);
        assert_eq!(features, ["city", "city#from"]);
        assert_eq!(
            domain.slot_feature(&SlotName::new("vip"), &json!(true)),
            domain.slot_feature(&SlotName::new("vip"), &json!("true"))
        );
        assert_ne!(
            domain.slot_feature(&SlotName::new("vip"), &json!(true)),
            domain.slot_feature(&SlotName::new("vip"), &json!(false))
        );
        assert_eq!(
            domain.slot_feature(&SlotName::new("vip"), &Value::Null),
            None
        );
        assert_eq!(
            domain.slot_feature(&SlotName::new("note"), &json!("x")),
            None
        );
        assert_eq!(
            domain.slot_feature(&SlotName::new("unknown"), &json!("x")),
            None
        );
    }
}
