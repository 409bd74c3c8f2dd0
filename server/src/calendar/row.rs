//! Stored rows ↔ the calendar's types: instants as Unix seconds, zoned times as their
//! RFC 9557 text, statuses by name.

use bela_clinic::Booking;
use bela_clinic::calendar::{Appointment, AppointmentId, AppointmentStatus, CalendarError};
use bela_clinic::ids::ProcedureId;
use jiff::fmt::temporal::DateTimeParser;
use jiff::tz::OffsetConflict;
use jiff::{SignedDuration, Timestamp, Zoned};

/// Reads stored zoned times by their offset: the instant the slot check compared is the
/// truth even if the zone's rules change in a later tz database.
static PARSER: DateTimeParser = DateTimeParser::new().offset_conflict(OffsetConflict::AlwaysOffset);

/// An appointment row: id, patient, patient_name, procedure, start_zoned, end_zoned,
/// status, created_at.
pub(crate) type AppointmentRow = (i64, String, String, String, String, String, String, f64);

/// A booking row: procedure, start_zoned, end_zoned.
pub(crate) type BookingRow = (String, String, String);

/// Unix seconds, rounded down: a query window widened by under a second only admits
/// appointments the slot rule then ignores.
pub(crate) fn floor_seconds(t: Timestamp) -> i64 {
    t.as_second() - i64::from(t.subsec_nanosecond() < 0)
}

/// Unix seconds, rounded up.
pub(crate) fn ceil_seconds(t: Timestamp) -> i64 {
    t.as_second() + i64::from(t.subsec_nanosecond() > 0)
}

/// Seconds since the epoch as stored in `created_at` / `updated_at`.
pub(crate) fn epoch_seconds(t: Timestamp) -> f64 {
    t.as_duration().as_secs_f64()
}

fn zoned(text: &str) -> Result<Zoned, CalendarError> {
    PARSER
        .parse_zoned(text)
        .map_err(|e| corrupt(format!("stored time `{text}`: {e}")))
}

fn corrupt(reason: String) -> CalendarError {
    CalendarError::Storage(format!("corrupt calendar row: {reason}"))
}

/// The appointment a row holds.
pub(crate) fn appointment(row: AppointmentRow) -> Result<Appointment, CalendarError> {
    let (id, patient, patient_name, procedure, start, end, status, created_at) = row;
    let status = AppointmentStatus::parse(&status)
        .ok_or_else(|| corrupt(format!("appointment {id}: unknown status `{status}`")))?;
    let created_at = SignedDuration::try_from_secs_f64(created_at)
        .ok()
        .and_then(|d| Timestamp::from_duration(d).ok())
        .ok_or_else(|| corrupt(format!("appointment {id}: created_at {created_at}")))?;
    Ok(Appointment {
        id: AppointmentId::new(id.to_string()),
        patient,
        patient_name,
        procedure: ProcedureId::new(procedure),
        start: zoned(&start)?,
        end: zoned(&end)?,
        status,
        created_at,
    })
}

/// The booking a row holds.
pub(crate) fn booking(row: BookingRow) -> Result<Booking, CalendarError> {
    let (procedure, start, end) = row;
    Ok(Booking {
        start: zoned(&start)?,
        end: zoned(&end)?,
        procedure: Some(ProcedureId::new(procedure)),
    })
}

/// The row id of `id`; `None` for an id this calendar never gave (it matches no row).
pub(crate) fn row_id(id: &AppointmentId) -> Option<i64> {
    id.as_str().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zoned_times_round_trip_through_their_text() {
        let at: Zoned = "2031-03-04T10:00:00-03:00[America/Sao_Paulo]"
            .parse()
            .expect("valid");
        assert_eq!(zoned(&at.to_string()).expect("parses"), at);
        let fixed: Zoned = "2031-03-04T10:00:00-02:00[-02:00]".parse().expect("valid");
        assert_eq!(zoned(&fixed.to_string()).expect("parses"), fixed);
        assert!(zoned("tomorrow").is_err());
    }

    #[test]
    fn windows_round_outwards() {
        let t: Timestamp = "2031-03-04T13:00:00.5Z".parse().expect("valid");
        assert_eq!(ceil_seconds(t) - floor_seconds(t), 1);
        let whole: Timestamp = "2031-03-04T13:00:00Z".parse().expect("valid");
        assert_eq!(ceil_seconds(whole), floor_seconds(whole));
        let before: Timestamp = "1969-12-31T23:59:59.5Z".parse().expect("valid");
        assert_eq!(floor_seconds(before), -1);
    }

    #[test]
    fn foreign_ids_match_no_row() {
        assert_eq!(row_id(&AppointmentId::new("42")), Some(42));
        assert_eq!(row_id(&AppointmentId::new("seed-1")), None);
    }
}
