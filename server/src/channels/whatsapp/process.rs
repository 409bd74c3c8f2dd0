//! Processing inbound messages after the webhook answered: one sender at a time, oldest
//! first, each message through the dialogue once.

use crate::channels::whatsapp::Core;
use crate::channels::whatsapp::error::WhatsAppError;
use crate::channels::whatsapp::outgoing::{addressed, graph_messages};
use crate::channels::whatsapp::payload::{Content, Message};
use crate::channels::whatsapp::replies;
use crate::conversations::collect_messages;
use crate::routes::body::now;
use bela_engine::dialogue::processor::UserMessage;
use bela_engine::names::SenderId;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::sync::Arc;

/// The channel name recorded on the user's events.
pub const CHANNEL: &str = "whatsapp";

/// An inbox row's payload: the message as Meta sent it and its sender's profile name.
#[derive(Debug, Serialize, Deserialize)]
pub struct StoredMessage {
    /// The message.
    pub message: Message,
    /// `contacts[].profile.name`.
    #[serde(default)]
    pub profile_name: Option<String>,
}

/// Processes `sender`'s unprocessed messages in order until none is left; errors are
/// logged and leave the message for the next pick-up (start-up or the next delivery).
pub async fn drain(core: Arc<Core>, sender: String) {
    loop {
        match process_next(&core, &sender).await {
            Ok(true) => core.outbox_wakeup.notify_one(),
            Ok(false) => break,
            Err(error) => {
                tracing::error!(%sender, %error, "WhatsApp message left unprocessed");
                break;
            }
        }
    }
}

/// Processes `sender`'s oldest unprocessed message; false when there was none.
async fn process_next(core: &Core, sender: &str) -> Result<bool, WhatsAppError> {
    let sender_id = SenderId::new(sender);
    // Held until the message is marked processed: the conversation lock alone is released
    // when the turn is saved, and a second drain must not take the same row meanwhile.
    let _drain = core.drains.lock(&sender_id).await;
    let Some(pending) = core.inbox.next_pending(sender).await? else {
        return Ok(false);
    };
    let stored: StoredMessage = match serde_json::from_str(&pending.payload) {
        Ok(stored) => stored,
        Err(error) => {
            tracing::error!(%sender, %error, "unreadable WhatsApp inbox row skipped");
            core.inbox.finish(pending.id, &[], now()).await?;
            return Ok(true);
        }
    };
    let messages = match stored.message.content() {
        Content::Text(text) => run_turn(core, &sender_id, &stored, text).await?,
        Content::Audio => vec![text_message(replies::VOICE_NOT_YET)],
        Content::Unsupported => vec![text_message(replies::UNSUPPORTED)],
    };
    let replies: Vec<(String, Value)> = messages
        .iter()
        .map(|m| (sender.to_owned(), addressed(sender, m)))
        .collect();
    core.inbox.finish(pending.id, &replies, now()).await?;
    Ok(true)
}

/// Runs one dialogue turn on `text`; returns the Graph messages the bot's answers make.
async fn run_turn(
    core: &Core,
    sender: &SenderId,
    stored: &StoredMessage,
    text: String,
) -> Result<Vec<Value>, WhatsAppError> {
    let message = UserMessage {
        text,
        input_channel: Some(CHANNEL.into()),
        message_id: Some(stored.message.id.clone()),
        metadata: Some(json!({
            "wa_id": stored.message.from,
            "name": stored.profile_name,
        })),
        timestamp: now(),
        ..UserMessage::default()
    };
    let conversations = &core.conversations;
    let mut session = conversations.open(sender).await?;
    let said = conversations
        .processor()
        .handle_message(&mut session.tracker, message)
        .await;
    session.save().await?;
    Ok(collect_messages(sender.as_str(), &said)
        .iter()
        .flat_map(graph_messages)
        .collect())
}

fn text_message(text: &str) -> Value {
    json!({"type": "text", "text": {"body": text, "preview_url": false}})
}
