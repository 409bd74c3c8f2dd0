//! The clinic's custom actions, written against the engine's [`Action`] trait: procedure
//! information, quotes, recommendations and the availability check; the patient's own
//! appointments (list, confirm, cancel, and the chooser cancel and reschedule share);
//! clinic information, the hand-off to staff and the patient's data rights. Each reads
//! the latest message's entities first and falls back to the slots, and answers in
//! pt-BR. Appointments are the sender id's (the phone number on WhatsApp).

mod appointments;
mod ask;
mod ask_appointment;
mod availability;
mod bookable;
mod booking;
mod booking_form;
mod cancel;
mod choose;
mod clinic;
mod clinic_info;
mod confirm;
mod contraindications;
mod handoff;
mod inputs;
mod lookup;
mod my_appointments;
mod my_data;
mod procedure_info;
mod quote;
mod recommend;
mod reschedule;
mod satisfaction;
mod scheduled;
mod slots;
#[cfg(test)]
mod tests;
mod time_json;

pub use ask::{AskConditions, AskTime};
pub use ask_appointment::AskAppointment;
pub use availability::CheckAvailability;
pub use booking::{BookAppointment, BookingSummary, ResetBooking};
pub use booking_form::ValidateBookingForm;
pub use cancel::{CancelAppointment, ValidateCancelForm};
pub use clinic_info::ClinicInfo;
pub use confirm::ConfirmAppointment;
pub use contraindications::ScreenContraindications;
pub use handoff::HandoffHuman;
pub use my_appointments::ListAppointments;
pub use my_data::{DeleteMyData, ExportMyData};
pub use procedure_info::ProcedureInfo;
pub use quote::QuoteAction;
pub use recommend::RecommendProcedures;
pub use reschedule::{AskRescheduleTime, RescheduleAppointment, ValidateRescheduleForm};
pub use satisfaction::{SATISFACTION_SLOT, StoreSatisfaction, score_of};
pub use scheduled::{AppointmentReminder, FollowUp};
pub use time_json::time_value;

use crate::ClinicData;
use crate::calendar::Calendar;
use bela_engine::dialogue::actions::{Action, ActionRegistry};
use std::sync::Arc;

/// Every clinic action, sharing the clinic's data and its calendar.
pub fn clinic_actions(data: Arc<ClinicData>, bookings: Arc<dyn Calendar>) -> Vec<Arc<dyn Action>> {
    vec![
        Arc::new(ProcedureInfo::new(data.clone())),
        Arc::new(QuoteAction::new(data.clone(), bookings.clone())),
        Arc::new(RecommendProcedures::new(data.clone())),
        Arc::new(CheckAvailability::new(data.clone(), bookings.clone())),
        Arc::new(ValidateBookingForm::new(data.clone(), bookings.clone())),
        Arc::new(AskTime::new(data.clone(), bookings.clone())),
        Arc::new(AskConditions::new(data.clone(), bookings.clone())),
        Arc::new(BookingSummary::new(data.clone(), bookings.clone())),
        Arc::new(ScreenContraindications::new(data.clone(), bookings.clone())),
        Arc::new(BookAppointment::new(data.clone(), bookings.clone())),
        Arc::new(ResetBooking),
        Arc::new(AskAppointment::new(data.clone(), bookings.clone())),
        Arc::new(ValidateCancelForm::new(data.clone(), bookings.clone())),
        Arc::new(CancelAppointment::new(data.clone(), bookings.clone())),
        Arc::new(ListAppointments::new(data.clone(), bookings.clone())),
        Arc::new(ConfirmAppointment::new(data.clone(), bookings.clone())),
        Arc::new(HandoffHuman::new(data.clone(), bookings.clone())),
        Arc::new(ClinicInfo::new(data.clone(), bookings.clone())),
        Arc::new(DeleteMyData::new(data.clone(), bookings.clone())),
        Arc::new(ValidateRescheduleForm::new(data.clone(), bookings.clone())),
        Arc::new(AskRescheduleTime::new(data.clone(), bookings.clone())),
        Arc::new(RescheduleAppointment::new(data.clone(), bookings.clone())),
        Arc::new(AppointmentReminder::new(data.clone(), bookings.clone())),
        Arc::new(FollowUp::new(data.clone(), bookings.clone())),
        Arc::new(StoreSatisfaction),
        Arc::new(ExportMyData::new(data, bookings)),
    ]
}

/// Registers [`clinic_actions`] in `registry`.
pub fn register(registry: &mut ActionRegistry, data: Arc<ClinicData>, bookings: Arc<dyn Calendar>) {
    for action in clinic_actions(data, bookings) {
        registry.register(action);
    }
}
