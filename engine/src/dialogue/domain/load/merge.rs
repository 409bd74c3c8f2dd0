//! Merging the files of a domain (the first declaration of a name wins, as when Rasa
//! merges a domain directory) and adding Rasa's defaults.

use super::super::defaults::{
    DEFAULT_INTENTS, KNOWLEDGE_BASE_ACTION, KNOWLEDGE_BASE_SLOTS, REQUESTED_SLOT,
    SESSION_STARTED_METADATA,
};
use super::super::{Domain, IntentDecl, ResponseVariation, Slot, SlotType};
use super::Loaded;
use super::check;
use super::reader::{FilePart, Reference};
use crate::data::{Diagnostic, Location};
use crate::names::ResponseName;
use std::collections::HashMap;
use std::path::PathBuf;

/// Merges the files' declarations in order, then adds defaults and checks references.
pub(super) fn merge(parts: Vec<FilePart>) -> Loaded {
    let mut m = Merger::default();
    for part in parts {
        m.add(part);
    }
    m.finish()
}

#[derive(Default)]
struct Merger {
    domain: Domain,
    diags: Vec<Diagnostic>,
    refs: Vec<Reference>,
    /// Where each name was first declared, by section.
    seen: HashMap<(&'static str, String), Location>,
    session_at: Option<Location>,
    store_entities_as_slots: Option<bool>,
    response_files: Vec<PathBuf>,
}

fn at_file(at: &Location) -> PathBuf {
    at.file.as_ref().clone()
}

impl Merger {
    /// True when `name` is new in `section`; otherwise warns at `at` and returns false.
    fn first(&mut self, section: &'static str, name: &str, at: &Location) -> bool {
        match self.seen.get(&(section, name.to_owned())) {
            Some(first) => {
                let message = if first.file == at.file {
                    format!(
                        "`{name}` is declared twice in `{section}`; the first declaration, at line {}, is kept",
                        first.line
                    )
                } else {
                    format!(
                        "`{name}` is declared again in `{section}`; the first declaration, at {first}, is kept"
                    )
                };
                self.diags.push(Diagnostic::warning(at.clone(), message));
                false
            }
            None => {
                self.seen.insert((section, name.to_owned()), at.clone());
                true
            }
        }
    }

    /// A response of the training data: it replaces the domain's of the same name, as
    /// Rasa merges them (with a warning, since one of the two is silently unused there).
    fn replace_response(
        &mut self,
        name: ResponseName,
        variations: Vec<ResponseVariation>,
        at: Location,
    ) {
        let key = ("responses", name.as_str().to_owned());
        if let Some(first) = self.seen.insert(key, at.clone()) {
            let message = format!(
                "response `{name}` is also declared at {first}; as in Rasa, this one from the training data replaces it"
            );
            self.diags.push(Diagnostic::warning(at, message));
        }
        self.domain.responses.insert(name, variations);
    }

    fn add(&mut self, part: FilePart) {
        self.diags.extend(part.diags);
        self.refs.extend(part.refs);
        if self.domain.version.is_none() {
            self.domain.version = part.version;
        }
        for (intent, at) in part.intents {
            if self.first("intents", intent.name.as_str(), &at) {
                self.domain.intents.push(intent);
            }
        }
        for (entity, at) in part.entities {
            if self.first("entities", entity.name.as_str(), &at) {
                self.domain.entities.push(entity);
            }
        }
        for (slot, at) in part.slots {
            if self.first("slots", slot.name.as_str(), &at) {
                self.domain.slots.insert(slot.name.clone(), slot);
            }
        }
        if part.is_training_data && !part.responses.is_empty() {
            self.response_files.push(at_file(&part.responses[0].2));
        }
        for (name, variations, at) in part.responses {
            if part.is_training_data {
                self.replace_response(name, variations, at);
            } else if self.first("responses", name.as_str(), &at) {
                self.domain.responses.insert(name, variations);
            }
        }
        for (action, at) in part.actions {
            if self.first("actions", action.as_str(), &at) {
                self.domain.actions.push(action);
            }
        }
        for (name, form, at) in part.forms {
            if self.first("forms", name.as_str(), &at) {
                self.domain.forms.insert(name, form);
            }
        }
        for text in part.e2e_actions {
            if !self.domain.e2e_actions.contains(&text) {
                self.domain.e2e_actions.push(text);
            }
        }
        if let Some((config, at)) = part.session_config {
            match &self.session_at {
                None => {
                    self.domain.session_config = config;
                    self.session_at = Some(at);
                }
                Some(first) if config != self.domain.session_config => {
                    let message =
                        format!("`session_config` is given again; the first, at {first}, is kept");
                    self.diags.push(Diagnostic::warning(at, message));
                }
                Some(_) => {}
            }
        }
        if self.store_entities_as_slots.is_none() {
            self.store_entities_as_slots = part.store_entities_as_slots;
        }
    }

    fn finish(mut self) -> Loaded {
        let domain = &mut self.domain;
        domain.store_entities_as_slots = self.store_entities_as_slots.unwrap_or(true);
        for name in DEFAULT_INTENTS {
            if domain.intent(&(*name).into()).is_none() {
                // Rasa declares its default intents as plain intents (all entities).
                let mut intent = IntentDecl::new(*name);
                intent.is_default = true;
                domain.intents.push(intent);
            }
        }
        let mut added = Vec::new();
        if !domain.forms.is_empty() {
            added.push((REQUESTED_SLOT, SlotType::Text));
        }
        added.push((SESSION_STARTED_METADATA, SlotType::Any));
        if domain
            .actions
            .iter()
            .any(|a| a.as_str() == KNOWLEDGE_BASE_ACTION)
        {
            for (name, is_list) in KNOWLEDGE_BASE_SLOTS {
                added.push((
                    name,
                    if *is_list {
                        SlotType::List
                    } else {
                        SlotType::Any
                    },
                ));
            }
        }
        for (name, slot_type) in added {
            if !domain.slots.contains_key(name) {
                let mut slot = Slot::new(name, slot_type);
                slot.influence_conversation = false;
                domain.slots.insert(name.into(), slot);
            }
        }
        self.diags.extend(check::check(&self.domain, &self.refs));
        Loaded {
            domain: self.domain,
            diagnostics: self.diags,
            response_files: self.response_files,
        }
    }
}
