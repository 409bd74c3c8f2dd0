//! Forms: the slots they ask for and the action that asks.

use super::Domain;
use crate::names::{ActionName, IntentName, SlotName};

/// One form of the domain.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Form {
    /// The slots the form fills, asked in this order.
    pub required_slots: Vec<SlotName>,
    /// Intents that never fill the form's slots while it is active.
    pub ignored_intents: Vec<IntentName>,
}

impl Domain {
    /// The action that asks for `slot` in `form`, as Rasa's `FormAction` looks it up:
    /// `action_ask_<form>_<slot>`, `utter_ask_<form>_<slot>`, `action_ask_<slot>`, the
    /// first the domain has; otherwise `utter_ask_<slot>` (even when undeclared, as in
    /// Rasa, which then fails to utter it).
    pub fn ask_action(&self, form: &ActionName, slot: &SlotName) -> ActionName {
        let candidates = [
            format!("action_ask_{form}_{slot}"),
            format!("utter_ask_{form}_{slot}"),
            format!("action_ask_{slot}"),
        ];
        candidates
            .into_iter()
            .find(|c| self.has_action(c))
            .map_or_else(
                || ActionName::new(format!("utter_ask_{slot}")),
                ActionName::new,
            )
    }

    /// The slots of the form `form` (empty when it is not a form).
    pub fn required_slots(&self, form: &ActionName) -> &[SlotName] {
        self.forms
            .get(form)
            .map_or(&[][..], |f| f.required_slots.as_slice())
    }
}
