//! What the bot said, as Graph API message objects: text, reply buttons (at most 3 with
//! titles of at most 20 characters), otherwise an interactive list (at most 10 rows), and
//! images by link.

use crate::conversations::OutputMessage;
use bela_engine::dialogue::events::Button;
use serde_json::{Value, json};

/// Reply buttons WhatsApp allows in one message.
const MAX_BUTTONS: usize = 3;
/// Characters in a reply button's title.
const MAX_BUTTON_TITLE: usize = 20;
/// Rows in an interactive list.
const MAX_ROWS: usize = 10;
/// Characters in a list row's title and description.
const MAX_ROW_TITLE: usize = 24;
const MAX_ROW_DESCRIPTION: usize = 72;
/// Characters in a text body (interactive bodies allow 1024).
const MAX_TEXT: usize = 4096;
const MAX_INTERACTIVE_BODY: usize = 1024;
/// The list's opening button and its section title.
const LIST_BUTTON: &str = "Ver opções";
const LIST_SECTION: &str = "Opções";
/// The body of a button message the bot sent without text.
const DEFAULT_PROMPT: &str = "Escolha uma opção:";

/// Graph message objects (without `to`) for one bot message, in the order to send them.
pub fn graph_messages(message: &OutputMessage) -> Vec<Value> {
    let mut out = Vec::new();
    match (&message.text, &message.buttons) {
        (text, Some(buttons)) if !buttons.is_empty() => {
            let body = text.as_deref().unwrap_or(DEFAULT_PROMPT);
            out.push(interactive(body, buttons));
        }
        (Some(text), _) => out.push(json!({
            "type": "text",
            "text": {"body": truncate(text, MAX_TEXT), "preview_url": false}
        })),
        _ => {}
    }
    if let Some(link) = &message.image {
        out.push(json!({"type": "image", "image": {"link": link}}));
    }
    // Rasa's custom payload, for channel-specific messages: a Graph message object
    // (`{"type": "template", "template": {...}}`) goes out as it is.
    if let Some(custom) = message.custom.as_ref().filter(|c| c.get("type").is_some()) {
        out.push(custom.clone());
    }
    out
}

/// The full request body sending `message` to `to`.
pub fn addressed(to: &str, message: &Value) -> Value {
    let mut body =
        json!({"messaging_product": "whatsapp", "recipient_type": "individual", "to": to});
    if let (Some(body), Some(fields)) = (body.as_object_mut(), message.as_object()) {
        body.extend(fields.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
    body
}

fn interactive(body: &str, buttons: &[Button]) -> Value {
    let body = json!({"text": truncate(body, MAX_INTERACTIVE_BODY)});
    let fits = buttons.len() <= MAX_BUTTONS
        && buttons
            .iter()
            .all(|b| b.title.chars().count() <= MAX_BUTTON_TITLE);
    if fits {
        let buttons: Vec<Value> = buttons
            .iter()
            .map(|b| json!({"type": "reply", "reply": {"id": payload(b), "title": b.title}}))
            .collect();
        return json!({"type": "interactive", "interactive": {
            "type": "button", "body": body, "action": {"buttons": buttons}
        }});
    }
    if buttons.len() > MAX_ROWS {
        tracing::warn!(
            buttons = buttons.len(),
            "WhatsApp lists hold {MAX_ROWS} rows; the rest are not shown"
        );
    }
    let rows: Vec<Value> = buttons
        .iter()
        .take(MAX_ROWS)
        .map(|b| {
            let mut row = json!({"id": payload(b), "title": truncate(&b.title, MAX_ROW_TITLE)});
            if b.title.chars().count() > MAX_ROW_TITLE {
                // The cut title keeps its whole text visible below it.
                row["description"] = json!(truncate(&b.title, MAX_ROW_DESCRIPTION));
            }
            row
        })
        .collect();
    json!({"type": "interactive", "interactive": {
        "type": "list", "body": body,
        "action": {"button": LIST_BUTTON, "sections": [{"title": LIST_SECTION, "rows": rows}]}
    }})
}

/// What the user's choice sends back: the payload, or the title when there is none.
fn payload(button: &Button) -> &str {
    if button.payload.is_empty() {
        &button.title
    } else {
        &button.payload
    }
}

/// `text` cut to `max` characters, ending in `…` when cut.
fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    fn buttons(titles: &[&str]) -> Vec<Button> {
        titles
            .iter()
            .enumerate()
            .map(|(i, t)| Button {
                title: (*t).into(),
                payload: format!("/choose{{\"n\":{i}}}"),
                extra: Default::default(),
            })
            .collect()
    }

    fn said(text: Option<&str>, buttons: Option<Vec<Button>>) -> OutputMessage {
        OutputMessage {
            recipient_id: "55".into(),
            text: text.map(str::to_owned),
            image: None,
            buttons,
            attachment: None,
            custom: None,
        }
    }

    #[test]
    fn up_to_three_short_buttons_are_reply_buttons() {
        let out = graph_messages(&said(Some("Confirma?"), Some(buttons(&["Sim", "Não"]))));
        assert_eq!(out.len(), 1);
        let i = &out[0]["interactive"];
        assert_eq!(i["type"], "button");
        assert_eq!(i["body"]["text"], "Confirma?");
        assert_eq!(i["action"]["buttons"][1]["reply"]["id"], "/choose{\"n\":1}");
        assert_eq!(i["action"]["buttons"][1]["reply"]["title"], "Não");
    }

    #[test]
    fn four_buttons_or_a_long_title_become_a_list() {
        let four = graph_messages(&said(None, Some(buttons(&["a", "b", "c", "d"]))));
        let i = &four[0]["interactive"];
        assert_eq!(i["type"], "list");
        assert_eq!(i["body"]["text"], DEFAULT_PROMPT);
        assert_eq!(
            i["action"]["sections"][0]["rows"][3]["id"],
            "/choose{\"n\":3}"
        );

        let long = "Limpeza de pele profunda com extração";
        let out = graph_messages(&said(Some("Qual?"), Some(buttons(&[long]))));
        let row = &out[0]["interactive"]["action"]["sections"][0]["rows"][0];
        assert_eq!(out[0]["interactive"]["type"], "list");
        assert_eq!(row["title"].as_str().map(|t| t.chars().count()), Some(24));
        assert_eq!(row["description"], long);

        let many: Vec<String> = (0..12).map(|i| format!("opção {i}")).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        let out = graph_messages(&said(Some("Qual?"), Some(buttons(&many))));
        let rows = out[0]["interactive"]["action"]["sections"][0]["rows"].as_array();
        assert_eq!(rows.map(Vec::len), Some(MAX_ROWS));
    }

    #[test]
    fn text_and_image_are_separate_messages_addressed_to_the_sender() {
        let message = OutputMessage {
            image: Some("https://clinica.example/antes-depois.jpg".into()),
            ..said(Some("Veja o resultado"), None)
        };
        let out = graph_messages(&message);
        assert_eq!(out[0]["text"]["body"], "Veja o resultado");
        assert_eq!(
            out[1]["image"]["link"],
            "https://clinica.example/antes-depois.jpg"
        );
        let body = addressed("5511", &out[0]);
        assert_eq!(body["to"], "5511");
        assert_eq!(body["messaging_product"], "whatsapp");
        assert_eq!(body["type"], "text");
    }
}
