//! The domain's slot names the clinic's actions read and set (see `domain.yml`).

/// The procedure to book or talk about (a catalogue id).
pub(crate) const PROCEDURE: &str = "procedure";
/// The appointment's start: a free slot's ISO instant once validated.
pub(crate) const TIME: &str = "time";
/// What the patient asked for when it was not a free slot ("sexta à tarde"), kept to
/// offer the nearest free ones.
pub(crate) const TIME_WISH: &str = "time_wish";
/// The name the appointment is booked under.
pub(crate) const PERSON_NAME: &str = "person_name";
/// Whether the patient agreed to the privacy notice before health questions.
pub(crate) const HEALTH_CONSENT: &str = "health_consent";
/// The health conditions the patient declared (condition ids; empty: none).
pub(crate) const CONDITIONS: &str = "conditions";
/// The screening's outcome for the procedure: see [`Screening`].
pub(crate) const SCREENING: &str = "screening";
/// The voucher code the patient gave (a quote's, redeemed at booking).
pub(crate) const VOUCHER: &str = "voucher";
/// The engine's slot naming what a form asks next.
pub(crate) const REQUESTED_SLOT: &str = "requested_slot";

/// What the screening before a booking concluded (the `screening` slot's values).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Screening {
    /// The procedure has no contraindications.
    NotNeeded,
    /// Screened: none of the patient's conditions rules it out.
    Ok,
    /// A condition of the patient rules it out.
    Contraindicated,
    /// The patient did not agree to answer health questions.
    NoConsent,
}

impl Screening {
    /// The slot value.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::NotNeeded => "not_needed",
            Self::Ok => "ok",
            Self::Contraindicated => "contraindicated",
            Self::NoConsent => "no_consent",
        }
    }

    /// The outcome a slot value names.
    pub(crate) fn parse(value: &str) -> Option<Self> {
        [
            Self::NotNeeded,
            Self::Ok,
            Self::Contraindicated,
            Self::NoConsent,
        ]
        .into_iter()
        .find(|s| s.as_str() == value)
    }

    /// True when the booking may go ahead.
    pub(crate) fn allows_booking(self) -> bool {
        matches!(self, Self::NotNeeded | Self::Ok)
    }
}
