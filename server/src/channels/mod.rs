//! Messaging channels beyond Rasa's REST webhook.

pub mod whatsapp;
