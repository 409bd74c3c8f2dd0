//! Reading `slots`: types, settings and mappings, checked as Rasa checks them.

use super::super::mapping::{MappingCondition, MappingKind, SlotMapping};
use super::super::slots::OTHER_CATEGORY;
use super::super::{Slot, SlotType};
use super::reader::{Map, Reader, RefKind};
use crate::data::yaml_value;
use crate::names::{ActionName, EntityName, IntentName, SlotName};
use saphyr::MarkedYaml;
use serde_json::Value;

const SLOT_KEYS: &[&str] = &[
    "type",
    "influence_conversation",
    "initial_value",
    "values",
    "min_value",
    "max_value",
    "mappings",
];

const MAPPING_KEYS: &[&str] = &[
    "type",
    "entity",
    "role",
    "group",
    "intent",
    "not_intent",
    "value",
    "action",
    "conditions",
];

/// A slot's settings as written, before they are checked together.
#[derive(Default)]
struct Written<'n, 'a> {
    type_node: Option<&'n MarkedYaml<'a>>,
    influence: Option<(bool, &'n MarkedYaml<'a>)>,
    initial: Value,
    values: Option<Vec<String>>,
    min: Option<f64>,
    max: Option<f64>,
    mappings: Option<Vec<SlotMapping>>,
}

impl<'a> Reader<'a> {
    pub(super) fn slots(&mut self, value: &MarkedYaml<'a>) {
        if yaml_value::is_null(value) {
            return;
        }
        let Some(map) = self.mapping(value, "`slots`") else {
            return;
        };
        for (key, props) in map {
            let Some(name) = self.string(key, "a slot name") else {
                continue;
            };
            let at = self.src.at(key);
            if let Some(slot) = self.slot(&name, key, props) {
                self.part.slots.push((slot, at));
            }
        }
    }

    fn slot(&mut self, name: &str, key: &MarkedYaml<'a>, props: &MarkedYaml<'a>) -> Option<Slot> {
        let what = format!("slot `{name}`");
        let map = self.mapping(props, &what)?;
        let mut w = Written::default();
        self.entries(map, SLOT_KEYS, &what, |r, k, _, v| match k {
            "type" => w.type_node = Some(v),
            "influence_conversation" => {
                w.influence = r
                    .boolean(v, &format!("`influence_conversation` of {what}"))
                    .map(|b| (b, v));
            }
            "initial_value" => w.initial = yaml_value::to_json(v),
            "values" => w.values = Some(r.categories(name, v)),
            "min_value" => w.min = r.number(v, &format!("`min_value` of {what}")),
            "max_value" => w.max = r.number(v, &format!("`max_value` of {what}")),
            _ => w.mappings = Some(r.mappings(name, v)),
        });
        let Some(type_node) = w.type_node else {
            self.error(
                key,
                format!("{what} needs a `type` (text, bool, categorical, float, list or any)"),
            );
            return None;
        };
        let slot_type = self.slot_type(name, type_node, &mut w)?;
        let mut slot = Slot::new(name, slot_type);
        slot.initial_value = w.initial;
        if let Some((influence, node)) = w.influence {
            if influence && matches!(slot.slot_type, SlotType::Any) {
                self.error(node, format!("{what} is of type `any`, which cannot influence the conversation; remove `influence_conversation` or set it to false"));
            }
            slot.influence_conversation =
                influence && !matches!(slot.slot_type, SlotType::Any | SlotType::Custom(_));
        }
        if let SlotType::Float { min, max } = slot.slot_type
            && let Some(x) = slot.initial_value.as_f64()
            && !(min..=max).contains(&x)
        {
            self.warning(
                key,
                format!("{what} has an initial value {x} outside its range [{min}, {max}]"),
            );
        }
        match w.mappings {
            Some(mappings) => slot.mappings = mappings,
            None => self.error(
                key,
                format!("{what} needs `mappings`: Rasa 3 slots are only filled through them (e.g. `mappings: [{{type: from_entity, entity: {name}}}]`, or `[{{type: custom}}]` for slots set by actions)"),
            ),
        }
        Some(slot)
    }

    fn slot_type(
        &mut self,
        name: &str,
        node: &MarkedYaml<'a>,
        w: &mut Written<'_, 'a>,
    ) -> Option<SlotType> {
        let what = format!("slot `{name}`");
        let written = self.string(node, &format!("the `type` of {what}"))?;
        let type_name = builtin_type(&written).unwrap_or(&written);
        let slot_type = match type_name {
            "text" => SlotType::Text,
            "bool" => SlotType::Bool,
            "list" => SlotType::List,
            "any" => SlotType::Any,
            "categorical" => {
                let mut values = w.values.take().unwrap_or_default();
                if values.is_empty() {
                    self.warning(node, format!("categorical {what} lists no `values`; every value will featurize as `{OTHER_CATEGORY}`"));
                }
                if !values.iter().any(|v| v == OTHER_CATEGORY) {
                    values.push(OTHER_CATEGORY.to_owned());
                }
                SlotType::Categorical { values }
            }
            "float" => {
                let (min, max) = (w.min.unwrap_or(0.0), w.max.unwrap_or(1.0));
                if min >= max {
                    self.error(
                        node,
                        format!("float {what} has `min_value` {min} not below `max_value` {max}"),
                    );
                }
                SlotType::Float { min, max }
            }
            "unfeaturized" => {
                self.error(node, format!("{what}: the `unfeaturized` slot type was removed in Rasa 3; use `type: any` (or another type with `influence_conversation: false`)"));
                return None;
            }
            path if path.contains('.') => {
                self.warning(node, format!("{what} has the custom slot class `{path}`, which Bela cannot run; it is kept as a slot that never influences the conversation"));
                SlotType::Custom(path.to_owned())
            }
            other => {
                self.error(node, format!("{what} has unknown type `{other}`; use text, bool, categorical, float, list or any"));
                return None;
            }
        };
        if w.values.is_some() {
            self.warning(
                node,
                format!("`values` only applies to categorical slots; ignored for {what}"),
            );
        }
        if !matches!(slot_type, SlotType::Float { .. }) && (w.min.is_some() || w.max.is_some()) {
            self.warning(
                node,
                format!("`min_value` / `max_value` only apply to float slots; ignored for {what}"),
            );
        }
        Some(slot_type)
    }

    /// A categorical slot's values: lower-cased as Rasa stores them; nulls dropped.
    fn categories(&mut self, slot: &str, value: &MarkedYaml<'a>) -> Vec<String> {
        let Some(items) = self.list(value, &format!("`values` of slot `{slot}`")) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items {
            match yaml_value::scalar_text(item) {
                _ if yaml_value::is_null(item) => self.warning(
                    item,
                    format!("slot `{slot}` lists `null` as a value; it is reserved for an unset slot and ignored (quote it, \"null\", to mean the text)"),
                ),
                Some(text) => out.push(text.to_lowercase()),
                None => self.error(item, format!("a value of slot `{slot}` must be a scalar, not {}", yaml_value::kind(item))),
            }
        }
        out
    }

    fn mappings(&mut self, slot: &str, value: &MarkedYaml<'a>) -> Vec<SlotMapping> {
        let Some(items) = self.list(value, &format!("`mappings` of slot `{slot}`")) else {
            return Vec::new();
        };
        items
            .iter()
            .filter_map(|item| {
                let map = self.mapping(item, &format!("a mapping of slot `{slot}`"))?;
                self.mapping_of(slot, item, map)
            })
            .collect()
    }

    fn mapping_of(
        &mut self,
        slot: &str,
        node: &MarkedYaml<'a>,
        map: &Map<'a>,
    ) -> Option<SlotMapping> {
        let by = format!("slot `{slot}`");
        let what = format!("a mapping of {by}");
        let mut fields: Vec<(&str, &MarkedYaml<'a>)> = Vec::new();
        self.entries(map, MAPPING_KEYS, &what, |_, k, _, v| {
            if let Some(known) = MAPPING_KEYS.iter().find(|m| **m == k) {
                fields.push((known, v));
            }
        });
        let get = |k: &str| fields.iter().find(|(f, _)| *f == k).map(|(_, v)| *v);
        let Some(type_node) = get("type") else {
            self.error(node, format!("{what} needs a `type` (from_entity, from_text, from_intent, from_trigger_intent or custom)"));
            return None;
        };
        let type_name = self.string(type_node, &format!("the `type` of {what}"))?;
        let text_of =
            |r: &mut Self, k: &str| get(k).and_then(|v| r.string(v, &format!("`{k}` of {what}")));
        let value_of = |r: &mut Self, k: &str| match get("value") {
            Some(v) => Some(yaml_value::to_json(v)),
            None => {
                r.error(
                    type_node,
                    format!("a `{k}` mapping of {by} needs a `value`"),
                );
                None
            }
        };
        let kind = match type_name.as_str() {
            "from_entity" => {
                let Some(entity) = text_of(self, "entity") else {
                    if get("entity").is_none() {
                        self.error(
                            type_node,
                            format!("a `from_entity` mapping of {by} needs an `entity`"),
                        );
                    }
                    return None;
                };
                if let Some(n) = get("entity") {
                    self.reference(RefKind::MappingEntity, &entity, n, &by);
                }
                MappingKind::FromEntity {
                    entity: EntityName::new(entity),
                    role: text_of(self, "role"),
                    group: text_of(self, "group"),
                }
            }
            "from_text" => MappingKind::FromText,
            "from_intent" => MappingKind::FromIntent {
                value: value_of(self, "from_intent")?,
            },
            "from_trigger_intent" => MappingKind::FromTriggerIntent {
                value: value_of(self, "from_trigger_intent")?,
            },
            "custom" => MappingKind::Custom {
                action: text_of(self, "action").map(ActionName::new),
            },
            other => {
                self.error(type_node, format!("{what} has unknown type `{other}`; use from_entity, from_text, from_intent, from_trigger_intent or custom"));
                return None;
            }
        };
        let mut mapping = SlotMapping::new(kind);
        for (key, list) in [
            ("intent", &mut mapping.intent),
            ("not_intent", &mut mapping.not_intent),
        ] {
            if let Some(v) = get(key) {
                for (name, n) in self.names(v, &format!("`{key}` of {what}")) {
                    self.reference(RefKind::MappingIntent, &name, n, &by);
                    list.push(IntentName::new(name));
                }
            }
        }
        if let Some(v) = get("conditions") {
            mapping.conditions = self.conditions(&by, v);
        }
        Some(mapping)
    }

    fn conditions(&mut self, by: &str, value: &MarkedYaml<'a>) -> Vec<MappingCondition> {
        let Some(items) = self.list(value, &format!("`conditions` of a mapping of {by}")) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items {
            let Some(map) = self.mapping(item, &format!("a condition of a mapping of {by}")) else {
                continue;
            };
            let mut condition = MappingCondition {
                active_loop: None,
                requested_slot: None,
            };
            self.entries(
                map,
                &["active_loop", "requested_slot"],
                "a mapping condition",
                |r, k, _, v| {
                    if yaml_value::is_null(v) {
                        return;
                    }
                    let Some(name) = r.string(v, &format!("`{k}` of a mapping condition of {by}"))
                    else {
                        return;
                    };
                    if k == "active_loop" {
                        r.reference(RefKind::ConditionLoop, &name, v, by);
                        condition.active_loop = Some(ActionName::new(name));
                    } else {
                        r.reference(RefKind::ConditionSlot, &name, v, by);
                        condition.requested_slot = Some(SlotName::new(name));
                    }
                },
            );
            out.push(condition);
        }
        out
    }
}

/// The built-in type a Rasa slot class path names (`rasa.shared.core.slots.FloatSlot`
/// is `float`), as Rasa resolves it.
fn builtin_type(path: &str) -> Option<&'static str> {
    let class = path.strip_prefix("rasa.shared.core.slots.")?;
    Some(match class {
        "TextSlot" => "text",
        "BooleanSlot" => "bool",
        "CategoricalSlot" => "categorical",
        "FloatSlot" => "float",
        "ListSlot" => "list",
        "AnySlot" => "any",
        _ => return None,
    })
}
