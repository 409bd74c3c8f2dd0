//! The NLU as the dialogue layer sees it: text in, intent and entities out.

use crate::dialogue::events::ParseData;
use crate::dialogue::processor::UserMessage;
use crate::nlu::builtin::ReferenceTime;
use crate::nlu::builtin::reference::parse_zone;
use crate::nlu::model::NluModel;
use jiff::Timestamp;
use jiff::tz::TimeZone;

/// Turns text into intent and entities (the NLU model, in practice).
pub trait Interpreter: Send + Sync {
    /// Parses the text of `message`.
    fn parse(&self, message: &UserMessage) -> ParseData;
}

impl Interpreter for NluModel {
    fn parse(&self, message: &UserMessage) -> ParseData {
        let result = self
            .parse_at(&message.text, reference(self, message))
            .to_parse_result(false);
        ParseData {
            intent: Some(result.intent),
            entities: result.entities,
            intent_ranking: result.intent_ranking,
            text: Some(result.text),
            message_id: message.message_id.clone(),
            metadata: message.metadata.clone(),
        }
    }
}

/// Relative dates ("amanhã às 15h") are read from when the message was sent, in the
/// patient's zone: the message metadata's `timezone` when it names a valid one, else the
/// configured zone of the built-in extractor.
fn reference(model: &NluModel, message: &UserMessage) -> Option<ReferenceTime> {
    let sent = Timestamp::from_microsecond((message.timestamp * 1e6) as i64)
        .ok()
        .filter(|_| message.timestamp > 0.0)?;
    let patient_zone = message
        .metadata
        .as_ref()
        .and_then(|m| m.get("timezone"))
        .and_then(|z| z.as_str())
        .and_then(|z| parse_zone(z).ok());
    let zone = patient_zone
        .or_else(|| model.builtin().map(|b| b.zone().clone()))
        .unwrap_or(TimeZone::UTC);
    Some(ReferenceTime::new(sent.to_zoned(zone)))
}
