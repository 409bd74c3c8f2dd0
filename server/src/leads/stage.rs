//! A lead's stage in the clinic's funnel.

use serde::{Deserialize, Serialize};

/// How far a lead got. Turns move it forward only (in this order); staff may set any.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LeadStage {
    /// Wrote once.
    New,
    /// Went on talking.
    Engaged,
    /// Got a quote (`action_quote` ran).
    Quoted,
    /// Booked an appointment (`action_book_appointment` stored one).
    Booked,
    /// Came to an appointment (set by staff).
    Attended,
    /// Went quiet (set by staff or a reactivation job); a new message makes it engaged.
    Inactive,
}

impl LeadStage {
    /// Every stage, in order.
    pub const ALL: [Self; 6] = [
        Self::New,
        Self::Engaged,
        Self::Quoted,
        Self::Booked,
        Self::Attended,
        Self::Inactive,
    ];

    /// The stored name (`new`, `engaged`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::Engaged => "engaged",
            Self::Quoted => "quoted",
            Self::Booked => "booked",
            Self::Attended => "attended",
            Self::Inactive => "inactive",
        }
    }

    /// The stage named `name`.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// Its position, stored as `stage_rank` so SQL can keep the further one.
    pub fn rank(self) -> i64 {
        self as i64
    }

    /// The names of every stage, for error messages.
    pub fn names() -> String {
        Self::ALL.map(Self::as_str).join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_ranks_round_trip_in_order() {
        for (i, stage) in LeadStage::ALL.into_iter().enumerate() {
            assert_eq!(LeadStage::parse(stage.as_str()), Some(stage));
            assert_eq!(stage.rank(), i as i64);
        }
        assert_eq!(LeadStage::parse("hot"), None);
        assert!(LeadStage::Quoted > LeadStage::Engaged);
    }
}
