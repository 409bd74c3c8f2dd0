//! Processing inbound messages after the webhook answered: one sender at a time, oldest
//! first, each message through the dialogue once.

use crate::channels::whatsapp::Core;
use crate::channels::whatsapp::draining::Ticket;
use crate::channels::whatsapp::error::WhatsAppError;
use crate::channels::whatsapp::inbox::PendingMessage;
use crate::channels::whatsapp::outgoing::{addressed, graph_messages};
use crate::channels::whatsapp::payload::{Content, Message};
use crate::channels::whatsapp::{replies, voice};
use crate::conversations::collect_messages;
use crate::routes::body::now;
use bela_engine::dialogue::events::{BotUttered, EventKind};
use bela_engine::dialogue::processor::UserMessage;
use bela_engine::dialogue::tracker::Tracker;
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

/// Processes the ticket's sender's unprocessed messages in order until none is left;
/// errors are logged and leave the message for the next pick-up (start-up or the next
/// delivery).
pub(super) async fn drain(core: Arc<Core>, mut ticket: Ticket) {
    let sender = ticket.sender().to_owned();
    loop {
        // Per turn, not per drain: busy senders take turns with the others.
        let Ok(_turn) = core.turns.acquire().await else {
            break;
        };
        match process_next(&core, &sender).await {
            Ok(true) => core.outbox_wakeup.notify_one(),
            Ok(false) if ticket.look_again() => {}
            Ok(false) => break,
            Err(error) => {
                tracing::error!(%sender, %error, "WhatsApp message left unprocessed");
                break;
            }
        }
    }
}

/// Processes `sender`'s oldest unprocessed message; false when there was none.
///
/// The sender's conversation lock is held from reading the message until it is marked
/// processed, so no other task or server process takes the same message meanwhile.
async fn process_next(core: &Core, sender: &str) -> Result<bool, WhatsAppError> {
    let sender_id = SenderId::new(sender);
    let mut session = core.conversations.open(&sender_id).await?;
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
    if core.settings.config.mark_read {
        // Best effort and not awaited: a missing blue tick must not delay the answer.
        let (graph, wamid) = (core.graph.clone(), stored.message.id.clone());
        tokio::spawn(async move {
            if let Err(error) = graph.mark_read(&wamid).await {
                tracing::debug!(%wamid, %error, "WhatsApp mark-as-read failed");
            }
        });
    }
    let messages = match stored.message.content() {
        Content::Text(text) => converse(core, &mut session.tracker, &stored, text, None).await,
        Content::Audio => match hear(core, &pending, &stored).await? {
            Ok(text) => {
                let voice = json!({"voice": stored.message.is_voice_note(), "transcribed": true});
                converse(core, &mut session.tracker, &stored, text, Some(voice)).await
            }
            Err(reply) => vec![text_message(reply)],
        },
        Content::Unsupported => vec![text_message(replies::UNSUPPORTED)],
        Content::Ignored => Vec::new(),
    };
    let replies: Vec<(String, Value)> = messages
        .iter()
        .map(|m| (sender.to_owned(), addressed(sender, m)))
        .collect();
    // The turn first, then `finish` queues the replies: a crash in between leaves the
    // message pending, and its replay finds the turn already in the conversation
    // (`answered_before`) and queues the same replies instead of running it again.
    let (_, guard) = session.save_locked().await?;
    core.inbox.finish(pending.id, &replies, now()).await?;
    guard.release().await?;
    Ok(true)
}

/// Runs `text` (typed, or heard in a voice note: `audio` metadata) through the
/// dialogue; the Graph messages of the bot's answer.
async fn converse(
    core: &Core,
    tracker: &mut Tracker,
    stored: &StoredMessage,
    text: String,
    audio: Option<Value>,
) -> Vec<Value> {
    let said = match answered_before(tracker, &stored.message.id) {
        Some(said) => said,
        None => {
            core.conversations
                .processor()
                .handle_message(tracker, user_message(stored, text, audio))
                .await
        }
    };
    collect_messages(&stored.message.from, &said)
        .iter()
        .flat_map(graph_messages)
        .collect()
}

/// The bot's messages of the turn that already handled message `wamid`, when the
/// conversation holds it: a replay after a crash between saving the turn and marking the
/// message processed.
fn answered_before(tracker: &Tracker, wamid: &str) -> Option<Vec<BotUttered>> {
    let events = tracker.events();
    let at = events.iter().rposition(
        |e| matches!(&e.kind, EventKind::User(u) if u.message_id.as_deref() == Some(wamid)),
    )?;
    Some(
        events[at + 1..]
            .iter()
            .take_while(|e| !matches!(e.kind, EventKind::User(_)))
            .filter_map(|e| match &e.kind {
                EventKind::Bot(bot) => Some(bot.clone()),
                _ => None,
            })
            .collect(),
    )
}

/// A voice note's transcript, or the reply asking the patient to type. Heard once: the
/// outcome is stored on the message first, and a replay (after a crash) reuses it, so a
/// failure is not retried and a success is not paid for twice.
async fn hear(
    core: &Core,
    pending: &PendingMessage,
    stored: &StoredMessage,
) -> Result<Result<String, &'static str>, WhatsAppError> {
    if let Some(transcript) = &pending.transcript {
        return Ok(Ok(transcript.clone()));
    }
    if pending.transcription_error.is_some() {
        return Ok(Err(replies::VOICE_FAILED));
    }
    let heard = voice::transcribe(core, &stored.message).await;
    let recorded = heard
        .as_ref()
        .map(Clone::clone)
        .map_err(ToString::to_string);
    core.inbox
        .record_transcription(pending.id, &recorded)
        .await?;
    Ok(heard.map_err(|error| {
        tracing::warn!(wamid = %stored.message.id, %error, "voice note not transcribed");
        match error {
            voice::VoiceError::NoTranscriber => replies::VOICE_UNAVAILABLE,
            _ => replies::VOICE_FAILED,
        }
    }))
}

/// The dialogue's view of `stored` saying `text` (`audio`: how a voice note was heard).
fn user_message(stored: &StoredMessage, text: String, audio: Option<Value>) -> UserMessage {
    let mut metadata = json!({
        "wa_id": stored.message.from,
        "name": stored.profile_name,
    });
    if let Some(audio) = audio {
        metadata["audio"] = audio;
    }
    UserMessage {
        text,
        input_channel: Some(CHANNEL.into()),
        message_id: Some(stored.message.id.clone()),
        metadata: Some(metadata),
        timestamp: now(),
        ..UserMessage::default()
    }
}

fn text_message(text: &str) -> Value {
    json!({"type": "text", "text": {"body": text, "preview_url": false}})
}
