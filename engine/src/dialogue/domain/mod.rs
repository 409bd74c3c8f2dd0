//! The domain (`domain.yml`): intents, entities, slots, responses, actions, forms and
//! session configuration.
