use super::conformance::{check_calendar, check_concurrent_booking};
use super::*;
use std::sync::Arc;

#[tokio::test]
async fn the_in_memory_calendar_behaves_as_every_calendar_must() {
    check_calendar(&InMemoryCalendar::new(), "mem", "2031-03-04").await;
}

/// A handle on one shared calendar, as each SQL connection is on one database.
struct Shared(Arc<InMemoryCalendar>);

impl Calendar for Shared {
    fn bookings(
        &self,
        from: Timestamp,
        to: Timestamp,
    ) -> BoxFuture<'_, Result<Vec<Booking>, CalendarError>> {
        self.0.bookings(from, to)
    }
    fn book(
        &self,
        new: NewAppointment,
        capacity: Capacity,
    ) -> BoxFuture<'_, Result<Appointment, CalendarError>> {
        self.0.book(new, capacity)
    }
    fn reschedule<'a>(
        &'a self,
        patient: &'a str,
        id: &'a AppointmentId,
        start: Zoned,
        end: Zoned,
        capacity: Capacity,
    ) -> BoxFuture<'a, Result<Appointment, CalendarError>> {
        self.0.reschedule(patient, id, start, end, capacity)
    }
    fn set_status<'a>(
        &'a self,
        patient: &'a str,
        id: &'a AppointmentId,
        status: AppointmentStatus,
    ) -> BoxFuture<'a, Result<Appointment, CalendarError>> {
        self.0.set_status(patient, id, status)
    }
    fn upcoming<'a>(
        &'a self,
        patient: &'a str,
        from: Timestamp,
    ) -> BoxFuture<'a, Result<Vec<Appointment>, CalendarError>> {
        self.0.upcoming(patient, from)
    }
    fn voucher_uses<'a>(&'a self, code: &'a str) -> BoxFuture<'a, Result<u32, CalendarError>> {
        self.0.voucher_uses(code)
    }
    fn redeem_voucher<'a>(
        &'a self,
        code: &'a str,
        patient: &'a str,
        max_uses: Option<u32>,
    ) -> BoxFuture<'a, Result<u32, CalendarError>> {
        self.0.redeem_voucher(code, patient, max_uses)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_slot_confirmed_by_many_at_once_is_booked_once() {
    let shared = Arc::new(InMemoryCalendar::new());
    check_concurrent_booking(|| Shared(shared.clone()), 16, "mem", "2031-03-05").await;
}

#[tokio::test]
async fn bookings_are_those_overlapping_the_range_and_active() {
    let calendar = InMemoryCalendar::new();
    let capacity = Capacity {
        rooms: 3,
        buffer_minutes: 0,
    };
    let a = conformance::appointment("x", "2031-03-04T15:00", "2031-03-04T16:00");
    let b = conformance::appointment("x", "2031-03-05T09:00", "2031-03-05T10:00");
    let (start, end) = (a.start.clone(), b.start.clone());
    let Ok(first) = calendar.book(a, capacity).await else {
        panic!("book a")
    };
    let Ok(_) = calendar.book(b, capacity).await else {
        panic!("book b")
    };
    let count = |from: Timestamp, to: Timestamp| {
        let found = calendar.bookings(from, to);
        async move { found.await.map(|b| b.len()) }
    };
    let minute = jiff::SignedDuration::from_mins(1);
    let hour = jiff::SignedDuration::from_hours(1);
    let s = start.timestamp();
    assert_eq!(count(s + hour - minute, end.timestamp()).await, Ok(1));
    assert_eq!(count(s + hour, end.timestamp()).await, Ok(0));
    assert_eq!(count(s - hour, end.timestamp() + minute).await, Ok(2));
    let Ok(_) = calendar
        .set_status("x", &first.id, AppointmentStatus::Cancelled)
        .await
    else {
        panic!("cancel")
    };
    assert_eq!(count(s - hour, end.timestamp() + minute).await, Ok(1));
}
