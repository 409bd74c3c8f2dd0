//! Session configuration: when a conversation starts a new session and what it keeps.

/// `session_config` of the domain.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionConfig {
    /// Minutes of inactivity after which the next message starts a new session;
    /// 0 means sessions never expire (Rasa's default is 60).
    pub expiration_minutes: f64,
    /// Whether slots are carried over into the new session (default true).
    pub carry_over_slots: bool,
}

impl Default for SessionConfig {
    fn default() -> Self {
        Self {
            expiration_minutes: 60.0,
            carry_over_slots: true,
        }
    }
}

impl SessionConfig {
    /// True when sessions expire at all (a positive expiration time).
    pub fn sessions_expire(&self) -> bool {
        self.expiration_minutes > 0.0
    }
}
