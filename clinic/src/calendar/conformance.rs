//! The behaviour every [`Calendar`] must show, as one async check that each
//! implementation's tests run against a fresh, empty calendar (the in-memory one here,
//! the SQL ones in the server). It panics with the first difference.

use super::{AppointmentStatus, Calendar, CalendarError, Capacity, NewAppointment};
use crate::ids::ProcedureId;
use jiff::Zoned;

/// A São Paulo instant from `2026-12-02T15:00`.
fn at(local: &str) -> Zoned {
    match format!("{local}:00[America/Sao_Paulo]").parse() {
        Ok(z) => z,
        Err(e) => panic!("{local}: {e}"),
    }
}

/// An appointment for `patient` over `[start, end)` (local São Paulo times).
pub fn appointment(patient: &str, start: &str, end: &str) -> NewAppointment {
    NewAppointment {
        patient: patient.to_owned(),
        patient_name: format!("Paciente {patient}"),
        procedure: ProcedureId::new("botox"),
        start: at(start),
        end: at(end),
    }
}

fn ok<T>(result: Result<T, CalendarError>, what: &str) -> T {
    result.unwrap_or_else(|e| panic!("{what}: {e}"))
}

/// Runs every check on `calendar`, which must start empty; patients are prefixed with
/// `tag` so runs against a shared database do not see each other's rows... except in
/// the calendar's slots, so `tag` must also pick a day no other run uses: `day` is the
/// date (`2031-03-04`) all appointments go on.
pub async fn check_calendar(calendar: &dyn Calendar, tag: &str, day: &str) {
    let one_room = Capacity {
        rooms: 1,
        buffer_minutes: 15,
    };
    let t = |hm: &str| format!("{day}T{hm}");
    let ana = format!("{tag}-ana");
    let bia = format!("{tag}-bia");

    let first = ok(
        calendar
            .book(appointment(&ana, &t("10:00"), &t("11:00")), one_room)
            .await,
        "first booking",
    );
    assert_eq!(first.status, AppointmentStatus::Booked);
    assert_eq!(first.patient, ana);

    // The same slot, an overlapping one, and one inside the buffer are all refused.
    for (start, end) in [("10:00", "11:00"), ("10:30", "11:30"), ("11:10", "12:00")] {
        match calendar
            .book(appointment(&bia, &t(start), &t(end)), one_room)
            .await
        {
            Err(CalendarError::SlotTaken(_)) => {}
            other => panic!("{start}-{end} should be taken: {other:?}"),
        }
    }
    // With two rooms the same slot is free once more, then full.
    let two_rooms = Capacity {
        rooms: 2,
        ..one_room
    };
    let second = ok(
        calendar
            .book(appointment(&bia, &t("10:00"), &t("11:00")), two_rooms)
            .await,
        "second room",
    );
    assert!(matches!(
        calendar
            .book(appointment(&bia, &t("10:00"), &t("11:00")), two_rooms)
            .await,
        Err(CalendarError::SlotTaken(_))
    ));
    assert_ne!(first.id, second.id);

    let from = at(&t("00:00")).timestamp();
    let until = at(&t("23:59")).timestamp();
    assert_eq!(
        ok(calendar.bookings(from, until).await, "bookings").len(),
        2
    );
    let mine = ok(calendar.upcoming(&ana, from).await, "upcoming");
    assert_eq!(mine.len(), 1, "only Ana's own: {mine:?}");
    assert_eq!(mine[0].id, first.id);
    assert_eq!(mine[0].start, first.start);

    // Another patient can neither move nor cancel Ana's appointment.
    assert!(matches!(
        calendar
            .set_status(&bia, &first.id, AppointmentStatus::Cancelled)
            .await,
        Err(CalendarError::NotFound(_))
    ));
    // Moving onto Bia's slot with one room fails; moving within its own slot works.
    assert!(matches!(
        calendar
            .reschedule(&ana, &first.id, at(&t("10:30")), at(&t("11:30")), one_room)
            .await,
        Err(CalendarError::SlotTaken(_))
    ));
    let moved = ok(
        calendar
            .reschedule(&ana, &first.id, at(&t("15:00")), at(&t("16:00")), one_room)
            .await,
        "reschedule",
    );
    assert_eq!(moved.start, at(&t("15:00")));
    let confirmed = ok(
        calendar
            .set_status(&ana, &first.id, AppointmentStatus::Confirmed)
            .await,
        "confirm",
    );
    assert_eq!(confirmed.status, AppointmentStatus::Confirmed);
    // Cancelling frees the slot for someone else.
    ok(
        calendar
            .set_status(&ana, &first.id, AppointmentStatus::Cancelled)
            .await,
        "cancel",
    );
    assert!(ok(calendar.upcoming(&ana, from).await, "after cancel").is_empty());
    ok(
        calendar
            .book(appointment(&bia, &t("15:00"), &t("16:00")), one_room)
            .await,
        "the freed slot",
    );

    // Vouchers: counted per code, case-insensitively, up to their limit.
    let code = format!("{tag}-promo");
    assert_eq!(ok(calendar.voucher_uses(&code).await, "uses"), 0);
    assert_eq!(
        ok(calendar.redeem_voucher(&code, &ana, Some(2)).await, "use 1"),
        1
    );
    let upper = code.to_uppercase();
    assert_eq!(
        ok(
            calendar.redeem_voucher(&upper, &bia, Some(2)).await,
            "use 2"
        ),
        2
    );
    assert!(matches!(
        calendar.redeem_voucher(&code, &bia, Some(2)).await,
        Err(CalendarError::VoucherUsedUp(_))
    ));
    assert_eq!(ok(calendar.voucher_uses(&upper).await, "uses"), 2);
}

/// Books one slot from `n` tasks at once (each through its own handle from `open`, so
/// SQL implementations use several connections) and checks exactly `rooms` succeed.
pub async fn check_concurrent_booking<C, F>(open: F, n: usize, tag: &str, day: &str)
where
    C: Calendar + 'static,
    F: Fn() -> C,
{
    let capacity = Capacity {
        rooms: 1,
        buffer_minutes: 0,
    };
    let start = format!("{day}T09:00");
    let end = format!("{day}T09:30");
    let mut tasks = Vec::new();
    for i in 0..n {
        let calendar = open();
        let new = appointment(&format!("{tag}-{i}"), &start, &end);
        tasks.push(tokio::spawn(
            async move { calendar.book(new, capacity).await },
        ));
    }
    let mut booked = 0;
    for task in tasks {
        match task.await {
            Ok(Ok(_)) => booked += 1,
            Ok(Err(CalendarError::SlotTaken(_))) => {}
            Ok(Err(e)) => panic!("booking failed: {e}"),
            Err(e) => panic!("booking task panicked: {e}"),
        }
    }
    assert_eq!(booked, 1, "{n} patients confirmed one slot at once");
}
