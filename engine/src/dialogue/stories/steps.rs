//! Reads the steps of stories, rules and rule conditions.

use super::model::{
    ActionStep, ActiveLoopStep, Alternative, BotStep, CheckpointStep, OrStep, SlotStep, SlotValue,
    Step, StoryEntity, UserStep,
};
use super::reader::{Context, Reader};
use crate::data::markup;
use crate::data::yaml_value;
use crate::names::{ActionName, EntityName, IntentName, SlotName};
use saphyr::MarkedYaml;

/// The keys that say what kind of step a mapping is, in the order they are checked.
const STEP_KINDS: &[&str] = &[
    "intent",
    "user",
    "action",
    "bot",
    "slot_was_set",
    "active_loop",
    "checkpoint",
    "or",
];

impl Reader<'_> {
    /// Reads a list of steps, leaving out the ones with errors.
    pub(super) fn steps(&mut self, nodes: &[MarkedYaml], context: Context) -> Vec<Step> {
        let mut steps = Vec::new();
        for node in nodes {
            self.step(node, context, &mut steps);
        }
        steps
    }

    fn step(&mut self, node: &MarkedYaml, context: Context, out: &mut Vec<Step>) {
        let at = self.src.at(node);
        let Some(map) = node.data.as_mapping() else {
            self.error(
                at,
                format!(
                    "a step must be a mapping such as `intent: greet` or `action: utter_greet`, not {}",
                    yaml_value::kind(node)
                ),
            );
            return;
        };
        let keys: Vec<String> = map
            .keys()
            .map(|k| yaml_value::scalar_text(k).unwrap_or_default().into_owned())
            .collect();
        let has = |k: &str| keys.iter().any(|x| x == k);
        let kind = if has("intent") || has("user") {
            "user"
        } else if has("checkpoint") {
            "checkpoint"
        } else if let Some(k) = STEP_KINDS.iter().find(|k| has(k)) {
            k
        } else {
            let keys = keys.join("`, `");
            self.error(
                at,
                format!(
                    "unknown step with `{keys}`; a step has one of `intent`, `user`, `action`, `bot`, `slot_was_set`, `active_loop`, `checkpoint` or `or`"
                ),
            );
            return;
        };
        let allowed: &[&str] = match kind {
            "user" => &["intent", "user", "entities", "metadata"],
            "checkpoint" => &["checkpoint", "slot_was_set"],
            "action" => &["action"],
            "bot" => &["bot"],
            "slot_was_set" => &["slot_was_set"],
            "active_loop" => &["active_loop"],
            _ => &["or"],
        };
        for (key, k) in map.keys().zip(&keys) {
            if !allowed.contains(&k.as_str()) {
                self.error(
                    self.src.at(key),
                    format!(
                        "`{k}` cannot be combined with `{kind}` in one step; write separate steps"
                    ),
                );
                return;
            }
        }
        if let Some(message) = not_allowed(kind, context) {
            self.error(at, message);
            return;
        }
        let value = |k: &str| node.data.as_mapping_get(k);
        match kind {
            "user" => {
                if let Some(step) = self.user(node) {
                    out.push(Step::User(step));
                }
            }
            "action" => {
                if let Some(name) = value("action").and_then(|v| self.name(v, "`action`")) {
                    out.push(Step::Action(ActionStep {
                        name: ActionName::new(name),
                        location: at,
                    }));
                }
            }
            "bot" => {
                if let Some(text) = value("bot").and_then(|v| self.name(v, "`bot`")) {
                    out.push(Step::Bot(BotStep { text, location: at }));
                }
            }
            "slot_was_set" => {
                if let Some(v) = value("slot_was_set") {
                    out.extend(self.slots(v).into_iter().map(Step::Slot));
                }
            }
            "active_loop" => {
                if let Some(v) = value("active_loop") {
                    let name = if yaml_value::is_null(v) {
                        None
                    } else {
                        let Some(n) = self.name(v, "`active_loop`") else {
                            return;
                        };
                        Some(ActionName::new(n))
                    };
                    out.push(Step::ActiveLoop(ActiveLoopStep { name, location: at }));
                }
            }
            "checkpoint" => {
                let Some(name) = value("checkpoint").and_then(|v| self.name(v, "`checkpoint`"))
                else {
                    return;
                };
                let slots = value("slot_was_set")
                    .map(|v| self.slots(v))
                    .unwrap_or_default();
                out.push(Step::Checkpoint(CheckpointStep {
                    name,
                    slots,
                    location: at,
                }));
            }
            _ => {
                if let Some(step) = value("or").and_then(|v| self.or(v)) {
                    out.push(Step::Or(step));
                }
            }
        }
    }

    fn user(&mut self, node: &MarkedYaml) -> Option<UserStep> {
        let at = self.src.at(node);
        let intent = match node.data.as_mapping_get("intent") {
            Some(v) => {
                let mut name = self.name(v, "`intent`")?;
                if let Some(stripped) = name.strip_prefix('/') {
                    self.warning(
                        self.src.at(v),
                        format!("intent `{name}` starts with `/`, which is not needed in stories"),
                    );
                    name = stripped.to_owned();
                }
                Some(IntentName::new(name))
            }
            None => None,
        };
        let (mut text, mut text_entities) = (None, Vec::new());
        if let Some((key, value)) = node.data.as_mapping().and_then(|m| {
            m.iter()
                .find(|(k, _)| yaml_value::as_str(k) == Some("user"))
        }) {
            let raw = self.name(value, "`user`")?;
            let start = self
                .src
                .scalar_lines(key, value, &raw)
                .first()
                .cloned()
                .unwrap_or_else(|| self.src.at(value));
            let m = markup::parse_reporting(&raw, |col| start.shifted(col), &mut self.diags)?;
            text = Some(m.text);
            text_entities = m.entities;
        }
        let entities = match node.data.as_mapping_get("entities") {
            Some(v) => self.entities(v)?,
            None => Vec::new(),
        };
        Some(UserStep {
            intent,
            entities,
            text,
            text_entities,
            metadata: node
                .data
                .as_mapping_get("metadata")
                .map(yaml_value::to_json),
            location: at,
        })
    }

    /// `entities:` of a user step: `- name: value` (with optional `role` and `group`
    /// keys beside it) or bare `- name`.
    fn entities(&mut self, node: &MarkedYaml) -> Option<Vec<StoryEntity>> {
        if yaml_value::is_null(node) {
            return Some(Vec::new());
        }
        let items = self.list(node, "entities", "a list of `name: value` entries or names")?;
        let mut out = Vec::new();
        for item in items {
            let location = self.src.at(item);
            if let Some(map) = item.data.as_mapping() {
                let attr = |k: &str| {
                    item.data
                        .as_mapping_get(k)
                        .and_then(yaml_value::scalar_text)
                        .map(|s| s.into_owned())
                };
                let (role, group) = (attr("role"), attr("group"));
                let before = out.len();
                for (key, value) in map {
                    let k = yaml_value::scalar_text(key).unwrap_or_default();
                    if k == "role" || k == "group" {
                        continue;
                    }
                    out.push(StoryEntity {
                        entity: EntityName::new(k.trim()),
                        value: yaml_value::scalar_text(value).map(|v| v.into_owned()),
                        role: role.clone(),
                        group: group.clone(),
                        location: self.src.at(key),
                    });
                }
                if out.len() == before {
                    self.error(location, "an entity entry needs `name: value`");
                    return None;
                }
            } else {
                let name = self.name(item, "an entity")?;
                out.push(StoryEntity {
                    entity: EntityName::new(name),
                    value: None,
                    role: None,
                    group: None,
                    location,
                });
            }
        }
        Some(out)
    }

    /// `slot_was_set:` entries: `- name: value` or bare `- name`.
    fn slots(&mut self, node: &MarkedYaml) -> Vec<SlotStep> {
        let what = "a list of `slot: value` entries or slot names";
        let Some(items) = self.list(node, "slot_was_set", what) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items {
            if let Some(map) = item.data.as_mapping() {
                for (key, value) in map {
                    if let Some(name) = self.name(key, "a slot") {
                        out.push(SlotStep {
                            name: SlotName::new(name),
                            value: SlotValue::Value(yaml_value::to_json(value)),
                            location: self.src.at(key),
                        });
                    }
                }
            } else if let Some(name) = self.name(item, "a slot") {
                out.push(SlotStep {
                    name: SlotName::new(name),
                    value: SlotValue::Filled,
                    location: self.src.at(item),
                });
            }
        }
        out
    }

    /// `or:` alternatives: user steps or `slot_was_set` entries.
    fn or(&mut self, node: &MarkedYaml) -> Option<OrStep> {
        let location = self.src.at(node);
        let items = self.list(node, "or", "a list of alternatives")?;
        let mut alternatives = Vec::new();
        for item in items {
            let mut parsed = Vec::new();
            self.step(item, Context::Story, &mut parsed);
            let alternative = match parsed.as_slice() {
                [Step::User(u)] => Alternative::User(u.clone()),
                [] => continue,
                steps if steps.iter().all(|s| matches!(s, Step::Slot(_))) => Alternative::Slots(
                    steps
                        .iter()
                        .filter_map(|s| match s {
                            Step::Slot(slot) => Some(slot.clone()),
                            _ => None,
                        })
                        .collect(),
                ),
                _ => {
                    self.error(
                        self.src.at(item),
                        "an `or` alternative must be a user step (`intent`/`user`) or `slot_was_set`",
                    );
                    continue;
                }
            };
            alternatives.push(alternative);
        }
        if alternatives.is_empty() {
            self.error(location, "`or` needs at least one alternative");
            return None;
        }
        Some(OrStep {
            alternatives,
            location,
        })
    }
}

/// Why a kind of step cannot appear in `context`, if it cannot.
fn not_allowed(kind: &str, context: Context) -> Option<String> {
    match (context, kind) {
        (Context::Rule, "checkpoint") => {
            Some("rules cannot have checkpoints; use a story, or split the rule".to_owned())
        }
        (Context::Condition, "slot_was_set" | "active_loop") => None,
        (Context::Condition, other) => Some(format!(
            "a rule `condition` holds only `slot_was_set` and `active_loop` entries, not `{other}`"
        )),
        _ => None,
    }
}
