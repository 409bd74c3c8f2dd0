//! What Rasa adds to every domain: default intents, default actions and default slots.

/// Rasa's default intents, added to every domain that does not declare them.
pub const DEFAULT_INTENTS: &[&str] = &[
    "restart",
    "back",
    "out_of_scope",
    "session_start",
    crate::names::NLU_FALLBACK,
];

/// Rasa's default actions in Rasa's order (`DEFAULT_ACTION_NAMES`), which fixes their
/// indices in the action list. `...` is the placeholder action of rule snippets.
pub const DEFAULT_ACTIONS: &[&str] = &[
    "action_listen",
    "action_restart",
    "action_session_start",
    "action_default_fallback",
    "action_deactivate_loop",
    "action_revert_fallback_events",
    "action_default_ask_affirmation",
    "action_default_ask_rephrase",
    "action_two_stage_fallback",
    "action_unlikely_intent",
    "action_back",
    "action_send_text",
    "...",
    "action_extract_slots",
];

/// The slot a form sets to the slot it is asking for.
pub const REQUESTED_SLOT: &str = "requested_slot";

/// The slot `action_session_start` fills with the session's metadata.
pub const SESSION_STARTED_METADATA: &str = "session_started_metadata";

/// The knowledge-base action; when declared, Rasa adds its three slots.
pub(super) const KNOWLEDGE_BASE_ACTION: &str = "action_query_knowledge_base";

/// The slots of the knowledge-base action: (name, is a list).
pub(super) const KNOWLEDGE_BASE_SLOTS: &[(&str, bool)] = &[
    ("knowledge_base_listed_objects", true),
    ("knowledge_base_last_object", false),
    ("knowledge_base_last_object_type", false),
];

/// The custom action `action_extract_slots` runs after extraction when the domain
/// declares it, to validate the extracted values.
pub(super) const VALIDATE_SLOT_MAPPINGS: &str = "action_validate_slot_mappings";
