//! Reading `responses`: variations with text, buttons, media, channel and conditions.

use super::super::{Button, ResponseCondition, ResponseVariation};
use super::reader::{Map, Reader, RefKind};
use crate::data::yaml_value;
use crate::names::{ResponseName, SlotName};
use saphyr::MarkedYaml;

const VARIATION_KEYS: &[&str] = &[
    "text",
    "image",
    "custom",
    "buttons",
    "button_type",
    "quick_replies",
    "attachment",
    "elements",
    "channel",
    "metadata",
    "condition",
    "id",
];

impl<'a> Reader<'a> {
    pub(super) fn responses(&mut self, value: &MarkedYaml<'a>) {
        if yaml_value::is_null(value) {
            return;
        }
        let Some(map) = self.mapping(value, "`responses`") else {
            return;
        };
        for (key, variations) in map {
            let Some(name) = self.string(key, "a response name") else {
                continue;
            };
            let what = format!("response `{name}`");
            let Some(items) = self.list(variations, &format!("{what} (a list of variations)"))
            else {
                continue;
            };
            if items.is_empty() {
                self.warning(
                    key,
                    format!("{what} has no variations; the bot will say nothing for it"),
                );
            }
            let read: Vec<ResponseVariation> = items
                .iter()
                .filter_map(|item| {
                    let map = self.mapping(item, &format!("a variation of {what}"))?;
                    self.variation(&name, item, map)
                })
                .collect();
            self.part
                .responses
                .push((ResponseName::new(name), read, self.src.at(key)));
        }
    }

    fn variation(
        &mut self,
        response: &str,
        node: &MarkedYaml<'a>,
        map: &Map<'a>,
    ) -> Option<ResponseVariation> {
        let what = format!("a variation of response `{response}`");
        let mut v = ResponseVariation::default();
        self.entries(map, VARIATION_KEYS, &what, |r, k, _, value| {
            let field = format!("`{k}` of {what}");
            let text = |r: &mut Self| {
                if yaml_value::is_null(value) {
                    None
                } else {
                    r.string(value, &field)
                }
            };
            match k {
                "text" => v.text = text(r),
                "image" => v.image = text(r),
                "button_type" => v.button_type = text(r),
                "channel" => v.channel = text(r),
                "id" => v.id = text(r),
                "buttons" => v.buttons = r.buttons(value, &field),
                "quick_replies" => v.quick_replies = r.buttons(value, &field),
                "condition" => v.condition = r.response_conditions(response, value),
                "custom" | "attachment" => {
                    let json = r.json_mapping(value, &field);
                    if k == "custom" {
                        v.custom = json
                    } else {
                        v.attachment = json
                    }
                }
                "elements" => {
                    v.elements = (!yaml_value::is_null(value)).then(|| yaml_value::to_json(value))
                }
                _ => v.metadata = Some(yaml_value::to_json(value)),
            }
        });
        if v.text.is_none() && v.custom.is_none() {
            self.error(node, format!("{what} needs a `text` or a `custom` payload"));
            return None;
        }
        Some(v)
    }

    /// A mapping converted to JSON (`custom`, `attachment`); null is no payload.
    fn json_mapping(&mut self, value: &MarkedYaml<'a>, field: &str) -> Option<serde_json::Value> {
        if yaml_value::is_null(value) {
            return None;
        }
        self.mapping(value, field)?;
        Some(yaml_value::to_json(value))
    }

    fn buttons(&mut self, value: &MarkedYaml<'a>, field: &str) -> Vec<Button> {
        let Some(items) = self.list(value, field) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items {
            let Some(map) = self.mapping(item, &format!("a button of {field}")) else {
                continue;
            };
            let mut button = Button::default();
            for (k, v) in map {
                let key = yaml_value::scalar_text(k).unwrap_or_default();
                match key.as_ref() {
                    "title" => {
                        button.title = self.string(v, "a button's `title`").unwrap_or_default()
                    }
                    "payload" => {
                        button.payload = self.string(v, "a button's `payload`").unwrap_or_default()
                    }
                    other => {
                        button
                            .extra
                            .insert(other.to_owned(), yaml_value::to_json(v));
                    }
                }
            }
            if button.title.is_empty() {
                self.warning(item, "a button without a `title` shows as an empty button");
            }
            out.push(button);
        }
        out
    }

    fn response_conditions(
        &mut self,
        response: &str,
        value: &MarkedYaml<'a>,
    ) -> Vec<ResponseCondition> {
        let by = format!("response `{response}`");
        let Some(items) = self.list(value, &format!("`condition` of a variation of {by}")) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items {
            let Some(map) = self.mapping(item, &format!("a condition of {by}")) else {
                continue;
            };
            let mut name = None;
            let mut wanted = serde_json::Value::Null;
            self.entries(map, &["type", "name", "value"], &format!("a condition of {by}"), |r, k, _, v| match k {
                "type" => {
                    if r.string(v, "a condition's `type`").is_some_and(|t| t != "slot") {
                        r.warning(v, "response conditions test slots: `type` should be `slot`; the condition is read as a slot condition");
                    }
                }
                "name" => {
                    if let Some(slot) = r.string(v, "a condition's `name` (a slot)") {
                        r.reference(RefKind::ResponseSlot, &slot, v, &by);
                        name = Some(slot);
                    }
                }
                _ => wanted = yaml_value::to_json(v),
            });
            match name {
                Some(slot) => out.push(ResponseCondition {
                    slot: SlotName::new(slot),
                    value: wanted,
                }),
                None => self.error(
                    item,
                    format!("a condition of {by} needs the `name` of a slot"),
                ),
            }
        }
        out
    }
}
