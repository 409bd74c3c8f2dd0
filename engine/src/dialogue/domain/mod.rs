//! The domain (`domain.yml`): intents, entities, slots, responses, actions, forms and
//! session configuration, read as Rasa 3.x reads it.
//!
//! [`Domain::load`] takes one file or a directory of domain files (merged as Rasa merges
//! them: the first declaration of a name wins, later ones are reported). Every problem is
//! a located [`Diagnostic`]. Beyond the declarations the domain knows Rasa's defaults:
//! default intents, default actions and the slots Rasa adds (`requested_slot`,
//! `session_started_metadata`).
//!
//! The behaviour built on the declarations is pure (no tracker): slot featurization and
//! coercion ([`Slot`]), slot mapping evaluation ([`Domain::extract_slots`]), response
//! selection and rendering ([`Domain::choose_and_render`]) and the form's ask action
//! ([`Domain::ask_action`]).

mod defaults;
mod entities;
mod extract;
mod forms;
mod intents;
mod json;
mod load;
mod mapping;
mod render;
mod responses;
mod session;
mod slots;
mod state;
mod template;

pub use defaults::{DEFAULT_ACTIONS, DEFAULT_INTENTS, REQUESTED_SLOT, SESSION_STARTED_METADATA};
pub use entities::EntityDecl;
pub use extract::{Extraction, ExtractionContext};
pub use forms::Form;
pub use intents::{IntentDecl, UsedEntities};
pub use load::Loaded;
pub use mapping::{MappingCondition, MappingKind, SlotMapping};
pub use render::RenderedResponse;
pub use responses::{Button, ResponseCondition, ResponseVariation};
pub use session::SessionConfig;
pub use slots::{OTHER_CATEGORY, Slot, SlotFeature, SlotType, bool_from_any, python_str};
pub use state::ENTITY_LABEL_SEPARATOR;

use crate::names::{ActionName, EntityName, IntentName, ResponseName, SlotName};
use indexmap::IndexMap;

/// A Rasa domain: what the bot understands, remembers, says and does.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Domain {
    /// The `version` key, when given (`"3.1"`).
    pub version: Option<String>,
    /// Declared intents, then Rasa's default intents not declared.
    pub intents: Vec<IntentDecl>,
    /// Declared entities.
    pub entities: Vec<EntityDecl>,
    /// Declared slots, then the slots Rasa adds (`requested_slot` when there are
    /// forms, `session_started_metadata`).
    pub slots: IndexMap<SlotName, Slot>,
    /// Responses by name, each with its variations in file order.
    pub responses: IndexMap<ResponseName, Vec<ResponseVariation>>,
    /// Custom actions declared under `actions`, in file order.
    pub actions: Vec<ActionName>,
    /// Forms by name (a form is also an action).
    pub forms: IndexMap<ActionName, Form>,
    /// Bot texts used as actions by end-to-end stories (`e2e_actions`).
    pub e2e_actions: Vec<String>,
    /// Session expiry and slot carry-over.
    pub session_config: SessionConfig,
    /// `config.store_entities_as_slots` (default true); kept for `GET /domain`.
    pub store_entities_as_slots: bool,
}

impl Domain {
    /// The declaration of `name`, if the domain has that intent.
    pub fn intent(&self, name: &IntentName) -> Option<&IntentDecl> {
        self.intents.iter().find(|i| &i.name == name)
    }

    /// The declaration of `name`, if the domain has that entity.
    pub fn entity(&self, name: &EntityName) -> Option<&EntityDecl> {
        self.entities.iter().find(|e| &e.name == name)
    }

    /// The slot `name`, if the domain has it.
    pub fn slot(&self, name: &SlotName) -> Option<&Slot> {
        self.slots.get(name)
    }

    /// The variations of response `name` (`utter_greet`), if declared.
    pub fn response(&self, name: &str) -> Option<&[ResponseVariation]> {
        self.responses.get(name).map(Vec::as_slice)
    }

    /// The form `name`, if `name` is a form.
    pub fn form(&self, name: &ActionName) -> Option<&Form> {
        self.forms.get(name)
    }

    /// True when the action `name` is a form.
    pub fn is_form(&self, name: &ActionName) -> bool {
        self.forms.contains_key(name)
    }

    /// True when `name` is one of Rasa's default actions (`action_listen`, ...).
    pub fn is_default_action(name: &str) -> bool {
        DEFAULT_ACTIONS.contains(&name)
    }

    /// The user actions in Rasa's order: custom actions as declared, then the
    /// `utter_` responses not declared as actions (sorted by name, as Rasa sorts them).
    /// Retrieval responses (`utter_faq/ask_price`) count once, as their action
    /// `utter_faq`.
    pub fn user_actions(&self) -> Vec<ActionName> {
        let mut out = self.actions.clone();
        let mut utters: Vec<&str> = self
            .responses
            .keys()
            .map(|r| r.as_str().split('/').next().unwrap_or(r.as_str()))
            .filter(|r| r.starts_with("utter_"))
            .collect();
        utters.sort_unstable();
        utters.dedup();
        for u in utters {
            if !out.iter().any(|a| a.as_str() == u) {
                out.push(ActionName::new(u));
            }
        }
        out
    }

    /// Every action the policies may predict, in Rasa's order (the index of an action
    /// in this list is its index in Rasa's `action_names_or_texts`): the default actions
    /// not overridden, the user actions, the forms not declared as actions, then the
    /// end-to-end bot texts.
    pub fn action_names(&self) -> Vec<ActionName> {
        let user = self.user_actions();
        let mut out: Vec<ActionName> = DEFAULT_ACTIONS
            .iter()
            .filter(|d| !user.iter().any(|u| u.as_str() == **d))
            .map(|d| ActionName::new(*d))
            .collect();
        out.extend(user);
        for form in self.forms.keys() {
            if !self.actions.contains(form) {
                out.push(form.clone());
            }
        }
        out.extend(self.e2e_actions.iter().map(|t| ActionName::new(t.as_str())));
        out
    }

    /// True when `name` is an action of this domain (default, custom, response or form).
    pub fn has_action(&self, name: &str) -> bool {
        Self::is_default_action(name)
            || self.actions.iter().any(|a| a.as_str() == name)
            || self.forms.contains_key(name)
            || self.has_response_action(name)
    }

    /// True when `name` is the action of a declared response (`utter_x`, or the
    /// retrieval action `utter_faq` of `utter_faq/...` responses).
    fn has_response_action(&self, name: &str) -> bool {
        name.starts_with("utter_")
            && self
                .responses
                .keys()
                .any(|r| r.as_str() == name || r.as_str().split('/').next() == Some(name))
    }

    /// True when the policies see entity `entity` in a message with intent `intent`:
    /// the intent's `use_entities` / `ignore_entities`, and entities declared with
    /// `influence_conversation: false` only when the intent lists them explicitly.
    /// An undeclared intent sees every influencing entity.
    pub fn intent_uses_entity(&self, intent: &IntentName, entity: &EntityName) -> bool {
        let influences = self.entity(entity).is_none_or(|e| e.influence_conversation);
        match self.intent(intent).map(|i| &i.used_entities) {
            Some(UsedEntities::Only(used)) => used.contains(entity),
            Some(UsedEntities::AllExcept(ignored)) => influences && !ignored.contains(entity),
            None => influences,
        }
    }

    /// The intents' names, declared and default, in order (Rasa's featurizers index
    /// intents in sorted order).
    pub fn intent_names(&self) -> impl Iterator<Item = &IntentName> {
        self.intents.iter().map(|i| &i.name)
    }

    /// The entities' names, in order.
    pub fn entity_names(&self) -> impl Iterator<Item = &EntityName> {
        self.entities.iter().map(|e| &e.name)
    }
}

#[cfg(test)]
mod tests;
