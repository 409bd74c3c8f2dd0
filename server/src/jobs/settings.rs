//! The scheduler's configuration: part of the server's [`Settings`](crate::Settings).

use std::time::Duration;

/// How often the scheduler looks for due jobs unless `BELA_JOBS_INTERVAL_SECONDS` says
/// otherwise.
pub const DEFAULT_INTERVAL: Duration = Duration::from_secs(60);
/// How long a process holds a job it took before another may take it over (a run takes
/// well under a second; only a process that died leaves a job this long).
pub const DEFAULT_LEASE: Duration = Duration::from_secs(300);

/// When and what the scheduler runs.
#[derive(Debug, Clone, PartialEq)]
pub struct JobSettings {
    /// Whether the scheduler loop runs (`BELA_JOBS=off` stops it). Off in
    /// [`Settings::default`](crate::Settings), on in [`Settings::from_env`](crate::Settings::from_env),
    /// so tests run jobs only by calling [`Scheduler::run_due_jobs`](super::Scheduler::run_due_jobs).
    pub enabled: bool,
    /// Time between two looks (`BELA_JOBS_INTERVAL_SECONDS`).
    pub interval: Duration,
    /// How long a taken job is held (see [`DEFAULT_LEASE`]).
    pub lease: Duration,
    /// Reminders go out this many hours before an active appointment (`notices.reminder_hours`
    /// of clinic.yml); `None`: no reminders.
    pub reminder_hours: Option<u32>,
    /// Follow-ups go out these many days after an attended appointment
    /// (`notices.follow_up_days`); empty: none.
    pub follow_up_days: Vec<u32>,
}

impl Default for JobSettings {
    fn default() -> Self {
        Self {
            enabled: false,
            interval: DEFAULT_INTERVAL,
            lease: DEFAULT_LEASE,
            reminder_hours: None,
            follow_up_days: Vec::new(),
        }
    }
}

impl JobSettings {
    /// `self`, on unless `BELA_JOBS` is `off`/`false`/`0`, with `BELA_JOBS_INTERVAL_SECONDS`
    /// applied. An unparsable interval is an error.
    pub fn with_env(mut self) -> Result<Self, String> {
        self.enabled = std::env::var("BELA_JOBS").map_or(true, |v| {
            !matches!(
                v.trim().to_ascii_lowercase().as_str(),
                "off" | "false" | "0" | "no"
            )
        });
        if let Ok(v) = std::env::var("BELA_JOBS_INTERVAL_SECONDS") {
            let seconds: f64 = v
                .trim()
                .parse()
                .map_err(|e| format!("BELA_JOBS_INTERVAL_SECONDS={v}: {e}"))?;
            self.interval = Duration::try_from_secs_f64(seconds)
                .ok()
                .filter(|d| !d.is_zero())
                .ok_or_else(|| format!("BELA_JOBS_INTERVAL_SECONDS={v}: must be positive"))?;
        }
        Ok(self)
    }
}
