//! Choosing a response variation and filling it in, as Rasa's templated NLG does.

use super::responses::{ResponseVariation, buttons_json};
use super::{Button, Domain, python_str, template};
use crate::names::{ResponseName, SlotName};
use serde_json::{Map, Value};

/// A response ready to send: the chosen variation with its placeholders filled.
#[derive(Debug, Clone, PartialEq)]
pub struct RenderedResponse {
    /// The response it came from.
    pub response: ResponseName,
    /// The text.
    pub text: Option<String>,
    /// An image URL.
    pub image: Option<String>,
    /// Buttons.
    pub buttons: Vec<Button>,
    /// Quick replies.
    pub quick_replies: Vec<Button>,
    /// `button_type`, if given.
    pub button_type: Option<String>,
    /// A custom payload.
    pub custom: Option<Value>,
    /// An attachment payload.
    pub attachment: Option<Value>,
    /// Carousel elements.
    pub elements: Option<Value>,
    /// The variation's metadata.
    pub metadata: Option<Value>,
    /// The variation's `id`.
    pub id: Option<String>,
}

impl RenderedResponse {
    /// The message as Rasa's bot message JSON (`text`, `image`, `buttons`, `custom`, ...;
    /// absent parts left out) with `response` naming the response.
    pub fn to_json(&self) -> Value {
        let mut map = Map::new();
        map.insert("response".into(), Value::String(self.response.to_string()));
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
        put("metadata", self.metadata.clone());
        put("id", self.id.clone().map(Value::String));
        Value::Object(map)
    }
}

impl Domain {
    /// The variations of response `name` Rasa would choose among, by Rasa's priority:
    /// conditional variations whose conditions hold and that are for `channel`, then
    /// unconditional ones for `channel`, then conditional ones for any channel, then
    /// unconditional ones for any channel. Empty when the response is unknown or
    /// nothing fits.
    pub fn candidate_variations(
        &self,
        name: &str,
        slots: &dyn Fn(&SlotName) -> Option<Value>,
        channel: Option<&str>,
    ) -> Vec<&ResponseVariation> {
        let Some(variations) = self.response(name) else {
            return Vec::new();
        };
        let fits = |conditional: bool, wanted: Option<&str>| -> Vec<&ResponseVariation> {
            variations
                .iter()
                .filter(|v| v.condition.is_empty() != conditional)
                .filter(|v| !conditional || v.conditions_hold(slots))
                .filter(|v| v.channel.as_deref() == wanted)
                .collect()
        };
        let order = [
            (true, channel),
            (false, channel),
            (true, None),
            (false, None),
        ];
        order
            .into_iter()
            .map(|(conditional, wanted)| fits(conditional, wanted))
            .find(|found| !found.is_empty())
            .unwrap_or_default()
    }

    /// Chooses a variation of response `name` for the slot values `slots` and the
    /// output `channel`, and fills its `{slot}` placeholders. `pick` receives the number
    /// of candidates and returns the index to use (Rasa picks uniformly at random);
    /// an index out of range wraps. `None` when the response is unknown or no variation
    /// fits.
    pub fn choose_and_render(
        &self,
        name: &str,
        slots: impl Fn(&SlotName) -> Option<Value>,
        variables: &Map<String, Value>,
        channel: Option<&str>,
        pick: impl FnOnce(usize) -> usize,
    ) -> Option<RenderedResponse> {
        let candidates = self.candidate_variations(name, &slots, channel);
        if candidates.is_empty() {
            return None;
        }
        let chosen = candidates[pick(candidates.len()) % candidates.len()];
        Some(self.render(name, chosen, &slots, variables))
    }

    /// Fills the placeholders of `variation` (a variation of response `name`) with the
    /// slot values and `extra` variables, which win over slots of the same name (the
    /// keyword arguments of Rasa's `utter_message(response=..., **kwargs)`).
    pub fn render(
        &self,
        name: &str,
        variation: &ResponseVariation,
        slots: &dyn Fn(&SlotName) -> Option<Value>,
        extra: &Map<String, Value>,
    ) -> RenderedResponse {
        // Rasa formats with every slot of the domain: a declared but unset slot prints
        // as `None`, an undeclared name leaves the text as it is.
        let lookup = |key: &str| -> Option<String> {
            if let Some(v) = extra.get(key) {
                return Some(python_str(v));
            }
            let slot = self.slot(&SlotName::new(key))?;
            Some(python_str(&slots(&slot.name).unwrap_or(Value::Null)))
        };
        let fill = |s: &Option<String>| s.as_deref().map(|t| template::fill_text(t, &lookup));
        let fill_buttons = |buttons: &[Button]| -> Vec<Button> {
            buttons
                .iter()
                .map(|b| Button {
                    title: template::fill_text(&b.title, &lookup),
                    payload: template::fill_text(&b.payload, &lookup),
                    extra: b.extra.clone(),
                })
                .collect()
        };
        let fill_json = |v: &Option<Value>| v.as_ref().map(|j| template::fill_json(j, &lookup));
        RenderedResponse {
            response: ResponseName::new(name),
            text: fill(&variation.text),
            image: fill(&variation.image),
            buttons: fill_buttons(&variation.buttons),
            quick_replies: fill_buttons(&variation.quick_replies),
            button_type: variation.button_type.clone(),
            custom: fill_json(&variation.custom),
            attachment: fill_json(&variation.attachment),
            elements: variation.elements.clone(),
            metadata: variation.metadata.clone(),
            id: variation.id.clone(),
        }
    }
}
