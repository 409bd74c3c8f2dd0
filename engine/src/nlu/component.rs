//! The one trait every trained pipeline stage implements.

use super::Message;

/// A stage of the NLU pipeline: reads what earlier stages put in the message and adds its
/// own part. Components are immutable once trained, so one model serves many threads.
pub trait Component: Send + Sync {
    /// The name reported as `extractor` / in logs (Rasa's component names where they exist).
    fn name(&self) -> &'static str;

    /// Edits `message` in place.
    fn process(&self, message: &mut Message);
}
