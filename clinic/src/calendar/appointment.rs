//! An appointment and its life cycle.

use crate::Booking;
use crate::ids::ProcedureId;
use jiff::{Timestamp, Zoned};
use serde::{Deserialize, Serialize};

bela_engine::name_type!(
    /// An appointment's id, as the calendar assigned it (shown to staff, carried in
    /// buttons).
    AppointmentId
);

/// Where an appointment is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppointmentStatus {
    /// Booked by the patient.
    Booked,
    /// Confirmed by the patient (a reminder's reply).
    Confirmed,
    /// Cancelled: the slot is free again.
    Cancelled,
    /// The patient came (follow-ups start from here).
    Attended,
    /// The patient did not come.
    NoShow,
}

impl AppointmentStatus {
    /// Every status, for parsing stored values.
    pub const ALL: [Self; 5] = [
        Self::Booked,
        Self::Confirmed,
        Self::Cancelled,
        Self::Attended,
        Self::NoShow,
    ];

    /// True while the appointment holds its slot.
    pub fn is_active(self) -> bool {
        matches!(self, Self::Booked | Self::Confirmed)
    }

    /// The stored name (`booked`, `no_show`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Booked => "booked",
            Self::Confirmed => "confirmed",
            Self::Cancelled => "cancelled",
            Self::Attended => "attended",
            Self::NoShow => "no_show",
        }
    }

    /// The status stored as `name`.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == name)
    }
}

/// An appointment to store.
#[derive(Debug, Clone, PartialEq)]
pub struct NewAppointment {
    /// The patient: the conversation's sender id (the phone number on WhatsApp).
    pub patient: String,
    /// The patient's name as they gave it.
    pub patient_name: String,
    /// What it is for.
    pub procedure: ProcedureId,
    /// When it starts.
    pub start: Zoned,
    /// When it ends.
    pub end: Zoned,
}

/// A stored appointment.
#[derive(Debug, Clone, PartialEq)]
pub struct Appointment {
    /// Its id.
    pub id: AppointmentId,
    /// The patient (sender id).
    pub patient: String,
    /// The patient's name.
    pub patient_name: String,
    /// What it is for.
    pub procedure: ProcedureId,
    /// When it starts.
    pub start: Zoned,
    /// When it ends.
    pub end: Zoned,
    /// Where it is in its life.
    pub status: AppointmentStatus,
    /// When it was booked.
    pub created_at: Timestamp,
}

impl Appointment {
    /// The slot it holds, as the availability search sees it.
    pub fn booking(&self) -> Booking {
        Booking {
            start: self.start.clone(),
            end: self.end.clone(),
            procedure: Some(self.procedure.clone()),
        }
    }
}
