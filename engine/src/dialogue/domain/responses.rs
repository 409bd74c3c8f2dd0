//! Responses: the bot's messages, each with variations, buttons and conditions.

use crate::names::SlotName;
use serde_json::{Map, Value};

/// A button (or quick reply) of a response.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Button {
    /// What the user sees.
    pub title: String,
    /// What the button sends back (often `/intent{"entity": "value"}`).
    pub payload: String,
    /// Other keys given (`type`, `url`, ...), kept for the channel.
    pub extra: Map<String, Value>,
}

impl Button {
    /// The button as JSON, in Rasa's shape.
    pub fn to_json(&self) -> Value {
        let mut map = self.extra.clone();
        map.insert("title".into(), Value::String(self.title.clone()));
        map.insert("payload".into(), Value::String(self.payload.clone()));
        Value::Object(map)
    }
}

/// A condition of a conditional response variation: slot `slot` must hold `value`.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseCondition {
    /// The slot tested.
    pub slot: SlotName,
    /// The value it must have (null: unset).
    pub value: Value,
}

/// One variation of a response.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ResponseVariation {
    /// The text, with `{slot}` placeholders.
    pub text: Option<String>,
    /// An image URL.
    pub image: Option<String>,
    /// Buttons.
    pub buttons: Vec<Button>,
    /// Quick replies (Rasa's `quick_replies`).
    pub quick_replies: Vec<Button>,
    /// `button_type` (`inline`, `vertical`, ...).
    pub button_type: Option<String>,
    /// A custom payload passed to the channel as is.
    pub custom: Option<Value>,
    /// An attachment payload.
    pub attachment: Option<Value>,
    /// Carousel elements.
    pub elements: Option<Value>,
    /// The channel this variation is for (`whatsapp`, `rest`, ...); `None`: any.
    pub channel: Option<String>,
    /// Conditions that must all hold for the variation to be chosen.
    pub condition: Vec<ResponseCondition>,
    /// Free metadata passed along with the message.
    pub metadata: Option<Value>,
    /// The variation's `id`, if given.
    pub id: Option<String>,
}

impl ResponseVariation {
    /// A plain text variation.
    pub fn text(text: impl Into<String>) -> Self {
        Self {
            text: Some(text.into()),
            ..Self::default()
        }
    }

    /// True when every condition holds for the slot values given by `slots`
    /// (Rasa's `_matches_filled_slots`; an unset slot is null).
    pub fn conditions_hold(&self, slots: &dyn Fn(&SlotName) -> Option<Value>) -> bool {
        self.condition.iter().all(|c| {
            let value = slots(&c.slot).unwrap_or(Value::Null);
            values_equal(&value, &c.value)
        })
    }

    /// The variation as JSON, in the domain file's shape.
    pub fn to_json(&self) -> Value {
        let mut map = Map::new();
        let mut put = |key: &str, value: Option<Value>| {
            if let Some(v) = value {
                map.insert(key.to_owned(), v);
            }
        };
        put("text", self.text.clone().map(Value::String));
        put("image", self.image.clone().map(Value::String));
        put("buttons", buttons_json(&self.buttons));
        put("quick_replies", buttons_json(&self.quick_replies));
        put("button_type", self.button_type.clone().map(Value::String));
        put("custom", self.custom.clone());
        put("attachment", self.attachment.clone());
        put("elements", self.elements.clone());
        put("channel", self.channel.clone().map(Value::String));
        put("metadata", self.metadata.clone());
        put("id", self.id.clone().map(Value::String));
        if !self.condition.is_empty() {
            let conditions = self
                .condition
                .iter()
                .map(|c| serde_json::json!({"type": "slot", "name": c.slot, "value": c.value}))
                .collect();
            put("condition", Some(Value::Array(conditions)));
        }
        Value::Object(map)
    }
}

/// The buttons as a JSON list, or `None` when there are none.
pub(super) fn buttons_json(buttons: &[Button]) -> Option<Value> {
    (!buttons.is_empty()).then(|| Value::Array(buttons.iter().map(Button::to_json).collect()))
}

/// Python's `==` on JSON values: numbers compare by value (`1 == 1.0`).
fn values_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}
