//! Entity declarations: roles, groups and whether the entity influences the dialogue.

use crate::names::EntityName;

/// One entity of the domain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityDecl {
    /// The entity type.
    pub name: EntityName,
    /// Declared roles (`roles: [departure, destination]`).
    pub roles: Vec<String>,
    /// Declared groups.
    pub groups: Vec<String>,
    /// Whether the policies see the entity (default true; intents may still ignore it).
    pub influence_conversation: bool,
}

impl EntityDecl {
    /// An entity without roles or groups that influences the conversation.
    pub fn new(name: impl Into<EntityName>) -> Self {
        Self {
            name: name.into(),
            roles: Vec::new(),
            groups: Vec::new(),
            influence_conversation: true,
        }
    }
}
