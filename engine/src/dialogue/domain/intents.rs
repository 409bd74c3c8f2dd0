//! Intent declarations and the entities each intent lets through to the policies.

use crate::names::{EntityName, IntentName};

/// Which entities of a message with this intent the policies see (Rasa's
/// `use_entities` / `ignore_entities`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UsedEntities {
    /// All entities except those listed (`use_entities: true`, the default, with an
    /// optional `ignore_entities` list).
    AllExcept(Vec<EntityName>),
    /// Only the entities listed (`use_entities: [a, b]`; `use_entities: false` is the
    /// empty list).
    Only(Vec<EntityName>),
}

impl Default for UsedEntities {
    fn default() -> Self {
        Self::AllExcept(Vec::new())
    }
}

/// One intent of the domain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntentDecl {
    /// The intent's name.
    pub name: IntentName,
    /// The entities the policies see with it.
    pub used_entities: UsedEntities,
    /// True for Rasa's default intents added because the domain did not declare them.
    pub is_default: bool,
}

impl IntentDecl {
    /// An intent that uses every entity.
    pub fn new(name: impl Into<IntentName>) -> Self {
        Self {
            name: name.into(),
            used_entities: UsedEntities::default(),
            is_default: false,
        }
    }

    /// True when the policies see entity `entity` in messages with this intent.
    pub fn uses_entity(&self, entity: &EntityName) -> bool {
        match &self.used_entities {
            UsedEntities::AllExcept(ignored) => !ignored.contains(entity),
            UsedEntities::Only(used) => used.contains(entity),
        }
    }
}
