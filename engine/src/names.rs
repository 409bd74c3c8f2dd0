//! Newtypes for the names that flow through the engine.

/// Declares a string newtype with the conversions every name needs; exported for the
/// other workspace crates' ids (the clinic's procedure ids...).
#[doc(hidden)]
#[macro_export]
macro_rules! name_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Debug,
            Clone,
            PartialEq,
            Eq,
            Hash,
            PartialOrd,
            Ord,
            ::serde::Serialize,
            ::serde::Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Wraps a name as written in the training data.
            pub fn new(name: impl Into<String>) -> Self {
                Self(name.into())
            }

            /// The name as a string slice.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                Self(s.to_owned())
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                Self(s)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }
    };
}

name_type!(
    /// The name of an intent (`greet`, `ask_price`, ...).
    IntentName
);
name_type!(
    /// The name of an entity type (`procedure`, `time`, ...).
    EntityName
);

/// The intent predicted when the classifier is unsure (Rasa's `nlu_fallback`).
pub const NLU_FALLBACK: &str = "nlu_fallback";
name_type!(
    /// The name of an action (`utter_greet`, `action_listen`, `action_check_availability`,
    /// or a form such as `booking_form`).
    ActionName
);
name_type!(
    /// The name of a slot in the domain (`procedure`, `requested_slot`, ...).
    SlotName
);
name_type!(
    /// The name of a response in the domain (`utter_greet`, or a retrieval response such
    /// as `utter_faq/ask_price`).
    ResponseName
);
name_type!(
    /// The conversation id: who the bot talks to (a WhatsApp number, a REST `sender`).
    SenderId
);
