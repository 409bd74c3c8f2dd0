//! The webhook notification Meta posts: `entry[].changes[].value` with `messages`,
//! `contacts` and `statuses`. Unknown fields are kept (`rest`) so the stored inbound
//! message is the whole message as Meta sent it.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// One `POST /webhooks/whatsapp` body.
#[derive(Debug, Deserialize)]
pub struct Notification {
    /// One per WhatsApp Business Account.
    #[serde(default)]
    pub entry: Vec<Entry>,
}

/// An account's changes.
#[derive(Debug, Deserialize)]
pub struct Entry {
    /// The changes (field `messages`).
    #[serde(default)]
    pub changes: Vec<Change>,
}

/// One change.
#[derive(Debug, Deserialize)]
pub struct Change {
    /// What changed.
    #[serde(default)]
    pub value: ChangeValue,
}

/// Messages received, their senders, and statuses of messages sent.
#[derive(Debug, Default, Deserialize)]
pub struct ChangeValue {
    /// Inbound messages.
    #[serde(default)]
    pub messages: Vec<Message>,
    /// Who sent them (profile names).
    #[serde(default)]
    pub contacts: Vec<Contact>,
    /// Statuses of outbound messages.
    #[serde(default)]
    pub statuses: Vec<Status>,
}

/// A sender's contact card.
#[derive(Debug, Deserialize)]
pub struct Contact {
    /// The sender's WhatsApp id (their number).
    #[serde(default)]
    pub wa_id: String,
    /// Their profile.
    #[serde(default)]
    pub profile: Option<Profile>,
}

/// A WhatsApp profile.
#[derive(Debug, Deserialize)]
pub struct Profile {
    /// The name the user set.
    #[serde(default)]
    pub name: Option<String>,
}

/// One inbound message.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Message {
    /// The wamid: unique per message, stable across redeliveries.
    pub id: String,
    /// The sender's WhatsApp id.
    pub from: String,
    /// `text`, `interactive`, `button`, `audio`, `image`, ...
    #[serde(rename = "type")]
    pub kind: String,
    /// A text message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<Text>,
    /// A reply to interactive buttons or a list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interactive: Option<Interactive>,
    /// A template's quick-reply button.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub button: Option<TemplateButton>,
    /// Everything else Meta sent (timestamp, context, media, ...).
    #[serde(flatten)]
    pub rest: Map<String, Value>,
}

/// `text.body`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Text {
    /// What the user wrote.
    pub body: String,
}

/// `interactive`: `button_reply` or `list_reply`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Interactive {
    /// A reply button chosen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub button_reply: Option<Reply>,
    /// A list row chosen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list_reply: Option<Reply>,
}

/// The chosen button or row: `id` is the payload the bot put there.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Reply {
    /// The payload (`/intent{...}` or text).
    pub id: String,
    /// Its caption.
    #[serde(default)]
    pub title: String,
}

/// A template quick-reply button press.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TemplateButton {
    /// The payload set in the template.
    #[serde(default)]
    pub payload: Option<String>,
    /// The button's caption.
    #[serde(default)]
    pub text: Option<String>,
}

/// The status of a message the bot sent.
#[derive(Debug, Deserialize)]
pub struct Status {
    /// The outbound wamid.
    pub id: String,
    /// `sent`, `delivered`, `read` or `failed`.
    pub status: String,
    /// Unix seconds, as a string.
    #[serde(default)]
    pub timestamp: Option<String>,
    /// The recipient.
    #[serde(default)]
    pub recipient_id: Option<String>,
    /// Why it failed.
    #[serde(default)]
    pub errors: Option<Value>,
}

/// What an inbound message asks of the bot.
#[derive(Debug, Clone, PartialEq)]
pub enum Content {
    /// Text for the NLU (typed, or the payload of a button, row or template button).
    Text(String),
    /// A voice note or audio file.
    Audio,
    /// Something the bot does not read (image, document, location, sticker, ...).
    Unsupported,
    /// Nothing to answer: an emoji reaction, or a system notice (number changed).
    Ignored,
}

impl Message {
    /// The media id of an audio message (voice note or audio file).
    pub fn audio_id(&self) -> Option<&str> {
        self.rest.get("audio")?.get("id")?.as_str()
    }

    /// Whether an audio message was recorded as a voice note (`audio.voice`).
    pub fn is_voice_note(&self) -> bool {
        self.rest
            .get("audio")
            .and_then(|a| a.get("voice"))
            .and_then(serde_json::Value::as_bool)
            .unwrap_or(false)
    }

    /// What the message carries.
    pub fn content(&self) -> Content {
        let text = match self.kind.as_str() {
            "text" => self.text.as_ref().map(|t| t.body.clone()),
            "interactive" => self.interactive.as_ref().and_then(|i| {
                i.button_reply
                    .as_ref()
                    .or(i.list_reply.as_ref())
                    .map(|r| r.id.clone())
            }),
            "button" => self
                .button
                .as_ref()
                .and_then(|b| b.payload.clone().or_else(|| b.text.clone())),
            "audio" | "voice" => return Content::Audio,
            "reaction" | "system" => return Content::Ignored,
            _ => None,
        };
        match text {
            Some(text) if !text.trim().is_empty() => Content::Text(text),
            _ => Content::Unsupported,
        }
    }
}

impl Notification {
    /// Each inbound message with its sender's profile name.
    pub fn messages(&self) -> impl Iterator<Item = (&Message, Option<&str>)> {
        self.values().flat_map(|value| {
            value.messages.iter().map(|message| {
                let name = value
                    .contacts
                    .iter()
                    .find(|c| c.wa_id == message.from)
                    .or(value.contacts.first())
                    .and_then(|c| c.profile.as_ref())
                    .and_then(|p| p.name.as_deref());
                (message, name)
            })
        })
    }

    /// Every status report.
    pub fn statuses(&self) -> impl Iterator<Item = &Status> {
        self.values().flat_map(|value| value.statuses.iter())
    }

    fn values(&self) -> impl Iterator<Item = &ChangeValue> {
        self.entry
            .iter()
            .flat_map(|e| e.changes.iter().map(|c| &c.value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn notification(messages: Value) -> Notification {
        serde_json::from_value(json!({
            "object": "whatsapp_business_account",
            "entry": [{"id": "WABA", "changes": [{"field": "messages", "value": {
                "messaging_product": "whatsapp",
                "contacts": [{"wa_id": "5511999990000", "profile": {"name": "Ana Lima"}}],
                "messages": messages,
                "statuses": [{"id": "wamid.OUT1", "status": "read", "timestamp": "1700000000",
                              "recipient_id": "5511999990000"}]
            }}]}]
        }))
        .expect("a notification")
    }

    #[test]
    fn message_types_map_to_what_the_bot_reads() {
        let n = notification(json!([
            {"id": "w1", "from": "5511999990000", "timestamp": "1", "type": "text",
             "text": {"body": "quero marcar botox"}},
            {"id": "w2", "from": "5511999990000", "type": "interactive",
             "interactive": {"type": "button_reply",
                             "button_reply": {"id": "/affirm", "title": "Sim"}}},
            {"id": "w3", "from": "5511999990000", "type": "interactive",
             "interactive": {"type": "list_reply",
                             "list_reply": {"id": "/inform{\"procedure\":\"peeling\"}",
                                            "title": "Peeling"}}},
            {"id": "w4", "from": "5511999990000", "type": "button",
             "button": {"payload": "/confirm", "text": "Confirmar"}},
            {"id": "w5", "from": "5511999990000", "type": "audio",
             "audio": {"id": "MEDIA", "mime_type": "audio/ogg; codecs=opus", "voice": true}},
            {"id": "w6", "from": "5511999990000", "type": "image", "image": {"id": "IMG"}},
            {"id": "w7", "from": "5511999990000", "type": "text", "text": {"body": "  "}},
            {"id": "w8", "from": "5511999990000", "type": "reaction",
             "reaction": {"message_id": "wamid.OUT1", "emoji": "👍"}}
        ]));
        let got: Vec<_> = n.messages().map(|(m, _)| m.content()).collect();
        let audio = n.messages().nth(4).expect("the audio").0;
        assert_eq!(
            (audio.audio_id(), audio.is_voice_note()),
            (Some("MEDIA"), true)
        );
        assert_eq!(
            got,
            [
                Content::Text("quero marcar botox".into()),
                Content::Text("/affirm".into()),
                Content::Text("/inform{\"procedure\":\"peeling\"}".into()),
                Content::Text("/confirm".into()),
                Content::Audio,
                Content::Unsupported,
                Content::Unsupported,
                Content::Ignored,
            ]
        );
        assert!(n.messages().all(|(_, name)| name == Some("Ana Lima")));
        let statuses: Vec<_> = n.statuses().map(|s| (&*s.id, &*s.status)).collect();
        assert_eq!(statuses, [("wamid.OUT1", "read")]);
    }

    #[test]
    fn a_stored_message_round_trips_with_its_unknown_fields() {
        let n = notification(json!([{"id": "w1", "from": "55", "timestamp": "17",
            "type": "location", "location": {"latitude": -23.5, "longitude": -46.6}}]));
        let (message, _) = n.messages().next().expect("one message");
        let stored = serde_json::to_value(message).expect("serialises");
        assert_eq!(stored["location"]["latitude"], json!(-23.5));
        let back: Message = serde_json::from_value(stored).expect("reads back");
        assert_eq!(back.content(), Content::Unsupported);
    }
}
