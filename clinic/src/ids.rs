//! Newtypes for the catalogue's ids (the canonical entity values of the clinic contract).

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Wraps an id as written in the catalogue.
            pub fn new(id: impl Into<String>) -> Self {
                Self(id.into())
            }

            /// The id as a string slice.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                Self(s.to_owned())
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }
    };
}

id_type!(
    /// A procedure of the catalogue (`botox`, `limpeza_de_pele`, ...): the `procedure` entity.
    ProcedureId
);
id_type!(
    /// A health condition screened before a procedure (`gestante`, ...): the `condition` entity.
    ConditionId
);
id_type!(
    /// A patient's complaint (`rugas`, `manchas`, ...): the `concern` entity.
    ConcernId
);
id_type!(
    /// A body area (`testa`, `abdomen`, ...): the `body_area` entity.
    BodyAreaId
);
