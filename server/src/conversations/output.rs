//! What the bot said, as Rasa's REST channel (`CollectingOutputChannel`) returns it: one
//! object per message part, absent parts omitted.

use bela_engine::dialogue::events::{BotUttered, Button};
use serde::Serialize;
use serde_json::Value;

/// One message to the user, in Rasa's REST shape.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutputMessage {
    /// The conversation the message goes to.
    pub recipient_id: String,
    /// The text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// An image URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// Buttons (quick replies are sent as buttons, as Rasa does).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub buttons: Option<Vec<Button>>,
    /// An attachment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attachment: Option<Value>,
    /// A channel-specific payload.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom: Option<Value>,
}

impl OutputMessage {
    fn new(recipient_id: &str) -> Self {
        Self {
            recipient_id: recipient_id.to_owned(),
            text: None,
            image: None,
            buttons: None,
            attachment: None,
            custom: None,
        }
    }

    fn text(recipient_id: &str, text: &str, buttons: Option<Vec<Button>>) -> Self {
        Self {
            text: Some(text.to_owned()),
            buttons,
            ..Self::new(recipient_id)
        }
    }
}

/// The messages `bot` events send to `recipient_id`, in Rasa's order (`send_response`):
/// the text (with its buttons or quick replies; without them, split at blank lines), then
/// the custom payload, the image, the attachment, and one message per carousel element.
pub fn collect_messages(recipient_id: &str, bot: &[BotUttered]) -> Vec<OutputMessage> {
    let mut out = Vec::new();
    for message in bot {
        let data = &message.data;
        let buttons = if !data.quick_replies.is_empty() {
            Some(data.quick_replies.clone())
        } else if !data.buttons.is_empty() {
            Some(data.buttons.clone())
        } else {
            None
        };
        match (&message.text, buttons) {
            (text, Some(buttons)) => out.push(OutputMessage::text(
                recipient_id,
                text.as_deref().unwrap_or_default(),
                Some(buttons),
            )),
            (Some(text), None) if !text.is_empty() => out.extend(
                text.trim()
                    .split("\n\n")
                    .map(|part| OutputMessage::text(recipient_id, part, None)),
            ),
            _ => {}
        }
        if let Some(custom) = &data.custom {
            out.push(OutputMessage {
                custom: Some(custom.clone()),
                ..OutputMessage::new(recipient_id)
            });
        }
        if let Some(image) = &data.image {
            out.push(OutputMessage {
                image: Some(image.clone()),
                ..OutputMessage::new(recipient_id)
            });
        }
        if let Some(attachment) = &data.attachment {
            out.push(OutputMessage {
                attachment: Some(attachment.clone()),
                ..OutputMessage::new(recipient_id)
            });
        }
        if let Some(Value::Array(elements)) = &data.elements {
            out.extend(elements.iter().map(|e| element_message(recipient_id, e)));
        }
    }
    out
}

/// Rasa's default rendering of a carousel element: `title : subtitle` with its buttons.
fn element_message(recipient_id: &str, element: &Value) -> OutputMessage {
    let field = |key: &str| element.get(key).and_then(Value::as_str).unwrap_or_default();
    let buttons = element
        .get("buttons")
        .and_then(|b| serde_json::from_value::<Vec<Button>>(b.clone()).ok())
        .unwrap_or_default();
    let text = format!("{} : {}", field("title"), field("subtitle"));
    OutputMessage::text(recipient_id, &text, Some(buttons))
}

#[cfg(test)]
mod tests {
    use super::*;
    use bela_engine::dialogue::events::BotData;
    use serde_json::json;

    fn bot(text: Option<&str>, data: BotData) -> BotUttered {
        BotUttered {
            text: text.map(str::to_owned),
            data,
        }
    }

    #[test]
    fn text_is_split_at_blank_lines_and_absent_parts_are_omitted() {
        let out = collect_messages("5511", &[bot(Some("Oi!\n\nTudo bem?"), BotData::default())]);
        assert_eq!(
            serde_json::to_value(&out).expect("serialises"),
            json!([
                {"recipient_id": "5511", "text": "Oi!"},
                {"recipient_id": "5511", "text": "Tudo bem?"},
            ])
        );
    }

    #[test]
    fn buttons_stay_with_their_text_and_an_image_is_a_message_of_its_own() {
        let data = BotData {
            buttons: vec![Button {
                title: "Sim".into(),
                payload: "/affirm".into(),
                extra: Default::default(),
            }],
            image: Some("https://clinica.example/mapa.png".into()),
            custom: Some(json!({"whatsapp": {"type": "location"}})),
            ..BotData::default()
        };
        let out = collect_messages("5511", &[bot(Some("Confirma?\n\nMesmo?"), data)]);
        assert_eq!(
            serde_json::to_value(&out).expect("serialises"),
            json!([
                {"recipient_id": "5511", "text": "Confirma?\n\nMesmo?",
                 "buttons": [{"title": "Sim", "payload": "/affirm"}]},
                {"recipient_id": "5511", "custom": {"whatsapp": {"type": "location"}}},
                {"recipient_id": "5511", "image": "https://clinica.example/mapa.png"},
            ])
        );
    }

    #[test]
    fn quick_replies_become_buttons_and_elements_become_texts() {
        let data = BotData {
            quick_replies: vec![Button {
                title: "Manhã".into(),
                payload: "manhã".into(),
                extra: Default::default(),
            }],
            elements: Some(json!([{"title": "Botox", "subtitle": "R$ 900"}])),
            ..BotData::default()
        };
        let out = collect_messages("a", &[bot(Some("Quando?"), data)]);
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].buttons.as_ref().map(Vec::len), Some(1));
        assert_eq!(out[1].text.as_deref(), Some("Botox : R$ 900"));
    }
}
