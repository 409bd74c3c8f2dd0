//! A calendar held in memory: tests, the shell, a demo without a database. One mutex
//! serialises every write, which is what makes [`Calendar::book`] atomic here.

use super::{
    Appointment, AppointmentId, AppointmentStatus, Calendar, CalendarError, Capacity,
    NewAppointment, slot_fits,
};
use crate::Booking;
use bela_engine::dialogue::actions::BoxFuture;
use jiff::{Timestamp, Zoned};
use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

#[derive(Debug, Default)]
struct State {
    appointments: Vec<Appointment>,
    voucher_uses: HashMap<String, u32>,
}

/// A calendar held in memory.
#[derive(Debug, Default)]
pub struct InMemoryCalendar {
    state: Mutex<State>,
}

impl InMemoryCalendar {
    /// An empty calendar.
    pub fn new() -> Self {
        Self::default()
    }

    /// A calendar already holding `bookings` (as anonymous booked appointments).
    pub fn with_bookings(bookings: Vec<Booking>) -> Self {
        let calendar = Self::new();
        {
            let mut state = calendar.lock();
            for (n, b) in bookings.into_iter().enumerate() {
                state.appointments.push(Appointment {
                    id: AppointmentId::new(format!("seed-{n}")),
                    patient: String::new(),
                    patient_name: String::new(),
                    procedure: b.procedure.unwrap_or_else(|| "avaliacao".into()),
                    start: b.start,
                    end: b.end,
                    status: AppointmentStatus::Booked,
                    created_at: Timestamp::UNIX_EPOCH,
                });
            }
        }
        calendar
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // Every write below leaves the state consistent before it can panic.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl State {
    fn active_around(
        &self,
        start: &Zoned,
        end: &Zoned,
        except: Option<&AppointmentId>,
    ) -> Vec<Booking> {
        overlapping(
            &self.appointments,
            start.timestamp(),
            end.timestamp(),
            except,
        )
    }

    fn own_mut(
        &mut self,
        patient: &str,
        id: &AppointmentId,
    ) -> Result<&mut Appointment, CalendarError> {
        self.appointments
            .iter_mut()
            .find(|a| &a.id == id && a.patient == patient)
            .ok_or_else(|| CalendarError::NotFound(id.clone()))
    }
}

/// The active appointments overlapping `[from, to)` widened by a day on each side (a
/// buffer never exceeds that), but `except`.
fn overlapping(
    all: &[Appointment],
    from: Timestamp,
    to: Timestamp,
    except: Option<&AppointmentId>,
) -> Vec<Booking> {
    let day = jiff::SignedDuration::from_hours(24);
    let (from, to) = (
        from.saturating_sub(day).unwrap_or(from),
        to.saturating_add(day).unwrap_or(to),
    );
    all.iter()
        .filter(|a| a.status.is_active() && Some(&a.id) != except)
        .filter(|a| a.start.timestamp() < to && from < a.end.timestamp())
        .map(Appointment::booking)
        .collect()
}

fn ready<T: Send + 'static>(value: T) -> BoxFuture<'static, T> {
    Box::pin(std::future::ready(value))
}

impl Calendar for InMemoryCalendar {
    fn bookings(
        &self,
        from: Timestamp,
        to: Timestamp,
    ) -> BoxFuture<'_, Result<Vec<Booking>, CalendarError>> {
        let state = self.lock();
        let found = state
            .appointments
            .iter()
            .filter(|a| a.status.is_active())
            .filter(|a| a.start.timestamp() < to && from < a.end.timestamp())
            .map(Appointment::booking)
            .collect();
        ready(Ok(found))
    }

    fn book(
        &self,
        new: NewAppointment,
        capacity: Capacity,
    ) -> BoxFuture<'_, Result<Appointment, CalendarError>> {
        let mut state = self.lock();
        let around = state.active_around(&new.start, &new.end, None);
        if !slot_fits(&around, &new.start, &new.end, capacity) {
            return ready(Err(CalendarError::SlotTaken(new.start.timestamp())));
        }
        let appointment = Appointment {
            id: AppointmentId::new((state.appointments.len() + 1).to_string()),
            patient: new.patient,
            patient_name: new.patient_name,
            procedure: new.procedure,
            start: new.start,
            end: new.end,
            status: AppointmentStatus::Booked,
            created_at: Timestamp::now(),
        };
        state.appointments.push(appointment.clone());
        ready(Ok(appointment))
    }

    fn reschedule<'a>(
        &'a self,
        patient: &'a str,
        id: &'a AppointmentId,
        start: Zoned,
        end: Zoned,
        capacity: Capacity,
    ) -> BoxFuture<'a, Result<Appointment, CalendarError>> {
        let mut state = self.lock();
        let around = state.active_around(&start, &end, Some(id));
        let result = state.own_mut(patient, id).and_then(|a| {
            if !slot_fits(&around, &start, &end, capacity) {
                return Err(CalendarError::SlotTaken(start.timestamp()));
            }
            a.start = start;
            a.end = end;
            a.status = AppointmentStatus::Booked;
            Ok(a.clone())
        });
        ready(result)
    }

    fn set_status<'a>(
        &'a self,
        patient: &'a str,
        id: &'a AppointmentId,
        status: AppointmentStatus,
    ) -> BoxFuture<'a, Result<Appointment, CalendarError>> {
        let mut state = self.lock();
        let result = state.own_mut(patient, id).map(|a| {
            a.status = status;
            a.clone()
        });
        ready(result)
    }

    fn upcoming<'a>(
        &'a self,
        patient: &'a str,
        from: Timestamp,
    ) -> BoxFuture<'a, Result<Vec<Appointment>, CalendarError>> {
        let state = self.lock();
        let mut found: Vec<Appointment> = state
            .appointments
            .iter()
            .filter(|a| a.patient == patient && a.status.is_active() && a.end.timestamp() > from)
            .cloned()
            .collect();
        found.sort_by_key(|a| a.start.timestamp());
        ready(Ok(found))
    }

    fn voucher_uses<'a>(&'a self, code: &'a str) -> BoxFuture<'a, Result<u32, CalendarError>> {
        let state = self.lock();
        ready(Ok(state
            .voucher_uses
            .get(&code.to_uppercase())
            .copied()
            .unwrap_or(0)))
    }

    fn redeem_voucher<'a>(
        &'a self,
        code: &'a str,
        _patient: &'a str,
        max_uses: Option<u32>,
    ) -> BoxFuture<'a, Result<u32, CalendarError>> {
        let mut state = self.lock();
        let code = code.to_uppercase();
        let uses = state.voucher_uses.entry(code.clone()).or_default();
        if max_uses.is_some_and(|max| *uses >= max) {
            return ready(Err(CalendarError::VoucherUsedUp(code)));
        }
        *uses += 1;
        ready(Ok(*uses))
    }
}
