//! A segment of leads: the filters of `GET /leads`.

use crate::leads::{LeadStage, LeadTag};

/// The most leads one query returns.
pub const MAX_LIMIT: u32 = 10_000;
/// How many leads a query returns when it names no limit.
pub const DEFAULT_LIMIT: u32 = 1_000;

const DAY_SECONDS: f64 = 86_400.0;

/// Which leads to list; every filter given must hold.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    /// Leads with this tag.
    pub tag: Option<LeadTag>,
    /// Leads at this stage.
    pub stage: Option<LeadStage>,
    /// Leads whose last contact is at least this many days old.
    pub inactive_days: Option<u32>,
    /// At most this many, the most recently contacted first.
    pub limit: u32,
}

impl Default for Segment {
    fn default() -> Self {
        Self {
            tag: None,
            stage: None,
            inactive_days: None,
            limit: DEFAULT_LIMIT,
        }
    }
}

impl Segment {
    /// The latest last contact a lead of this segment may have at `now` (Unix seconds).
    pub fn contact_before(&self, now: f64) -> Option<f64> {
        self.inactive_days
            .map(|days| now - f64::from(days) * DAY_SECONDS)
    }
}
