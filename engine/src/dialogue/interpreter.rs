//! The NLU as the dialogue layer sees it: text in, intent and entities out.

use crate::dialogue::events::ParseData;
use crate::dialogue::processor::UserMessage;
use crate::nlu::model::NluModel;

/// Turns text into intent and entities (the NLU model, in practice).
pub trait Interpreter: Send + Sync {
    /// Parses the text of `message`.
    fn parse(&self, message: &UserMessage) -> ParseData;
}

impl Interpreter for NluModel {
    fn parse(&self, message: &UserMessage) -> ParseData {
        let result = NluModel::parse(self, &message.text).to_parse_result(false);
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
