use super::*;
use crate::config::ClinicConfig;
use crate::testing::{catalogue, config};
use jiff::civil::date;

/// A Zoned in the clinic's zone from `2026-12-01T10:00`.
fn z(text: &str) -> Zoned {
    match format!("{text}[America/Sao_Paulo]").parse() {
        Ok(z) => z,
        Err(e) => panic!("bad test time {text}: {e}"),
    }
}

fn booking(start: &str, end: &str) -> Booking {
    Booking {
        start: z(start),
        end: z(end),
        procedure: None,
    }
}

/// Tuesday 2026-12-01, 08:00 (the clinic opens at 09:00).
fn now() -> Zoned {
    z("2026-12-01T08:00")
}

/// `(start "MM-DD HH:MM", exact)` of each slot found.
fn search(
    config: &ClinicConfig,
    procedure: &str,
    window: SearchWindow,
    bookings: &[Booking],
    now: &Zoned,
) -> Vec<(String, bool)> {
    match find_slots(config, &catalogue(), procedure, &window, bookings, now, 3) {
        Ok(slots) => slots
            .iter()
            .map(|s| (s.start.strftime("%m-%d %H:%M").to_string(), s.exact))
            .collect(),
        Err(e) => panic!("search failed: {e}"),
    }
}

fn exact(starts: &[&str]) -> Vec<(String, bool)> {
    starts.iter().map(|s| ((*s).to_owned(), true)).collect()
}

#[test]
fn nearest_slots_from_now_respect_the_minimum_notice() {
    let c = config();
    assert_eq!(
        search(&c, "botox", SearchWindow::Any, &[], &now()),
        exact(&["12-01 09:00", "12-01 09:30", "12-01 10:00"])
    );
    // At 09:10 with an hour's notice the first start on the grid is 10:30.
    assert_eq!(
        search(&c, "botox", SearchWindow::Any, &[], &z("2026-12-01T09:10")),
        exact(&["12-01 10:30", "12-01 11:00", "12-01 11:30"])
    );
}

#[test]
fn a_slot_may_end_exactly_at_closing_time() {
    let c = config();
    // A 60-minute session at 11:00 ends at 12:00, when the morning closes; 11:30 would not fit.
    let window = SearchWindow::Instant {
        at: z("2026-12-01T11:00"),
        grain: Grain::Hour,
    };
    let found = search(&c, "limpeza_de_pele", window, &[], &now());
    assert_eq!(found[0], ("12-01 11:00".to_owned(), true));
    assert_eq!(found[1], ("12-01 13:00".to_owned(), false));
    // A booking ending at closing leaves the hour before it free.
    let bookings = [booking("2026-12-01T17:00", "2026-12-01T18:00")];
    let window = SearchWindow::Interval {
        from: Some(z("2026-12-01T16:00")),
        to: Some(z("2026-12-01T18:00")),
    };
    assert_eq!(
        search(&c, "limpeza_de_pele", window, &bookings, &now()),
        // Then the same hours of the next day.
        vec![
            ("12-01 16:00".to_owned(), true),
            ("12-02 16:00".to_owned(), false),
            ("12-02 16:30".to_owned(), false),
        ]
    );
}

#[test]
fn the_buffer_keeps_appointments_apart() {
    let mut c = config();
    c.scheduling.buffer_minutes = 15;
    let bookings = [booking("2026-12-01T10:00", "2026-12-01T10:30")];
    let window = SearchWindow::Interval {
        from: Some(z("2026-12-01T09:00")),
        to: Some(z("2026-12-01T12:00")),
    };
    // 09:30 would end at 10:00 and 10:30 start right after: both closer than 15 minutes.
    assert_eq!(
        search(&c, "botox", window.clone(), &bookings, &now()),
        exact(&["12-01 09:00", "12-01 11:00", "12-01 11:30"])
    );
    c.scheduling.buffer_minutes = 0;
    assert_eq!(
        search(&c, "botox", window, &bookings, &now()),
        exact(&["12-01 09:00", "12-01 09:30", "12-01 10:30"])
    );
}

#[test]
fn holidays_and_closed_days_have_no_slots() {
    let c = config();
    // Christmas is a Friday; the next opening is Saturday morning.
    let window = SearchWindow::Instant {
        at: z("2026-12-25T10:00"),
        grain: Grain::Day,
    };
    let found = search(&c, "botox", window, &[], &now());
    assert_eq!(found[0], ("12-26 09:00".to_owned(), false));
    let sunday = SearchWindow::Weekday {
        weekday: jiff::civil::Weekday::Sunday,
        part: None,
    };
    let found = search(&c, "botox", sunday, &[], &now());
    // Closed on Sundays: the nearest opening after the day asked for.
    assert!(found.iter().all(|(_, exact)| !exact), "{found:?}");
    assert_eq!(found[0].0, "12-07 09:00");
}

#[test]
fn two_rooms_take_two_overlapping_bookings() {
    let mut c = config();
    let bookings = [
        booking("2026-12-01T09:00", "2026-12-01T10:00"),
        booking("2026-12-01T09:30", "2026-12-01T10:30"),
    ];
    assert_eq!(
        search(&c, "botox", SearchWindow::Any, &bookings, &now()),
        exact(&["12-01 10:30", "12-01 11:00", "12-01 11:30"])
    );
    c.scheduling.rooms = 2;
    // 09:30–10:00 is when both bookings run: the only start that does not fit.
    assert_eq!(
        search(&c, "botox", SearchWindow::Any, &bookings, &now()),
        exact(&["12-01 09:00", "12-01 10:00", "12-01 10:30"])
    );
}

#[test]
fn bookings_one_after_the_other_leave_a_second_room_free() {
    let mut c = config();
    c.scheduling.rooms = 2;
    let bookings = [
        booking("2026-12-01T09:00", "2026-12-01T09:30"),
        booking("2026-12-01T09:30", "2026-12-01T10:00"),
    ];
    let window = SearchWindow::Instant {
        at: z("2026-12-01T09:00"),
        grain: Grain::Minute,
    };
    // The hour overlaps two bookings, but never both at once.
    assert_eq!(
        search(&c, "limpeza_de_pele", window.clone(), &bookings, &now())[0],
        ("12-01 09:00".to_owned(), true)
    );
    c.scheduling.rooms = 1;
    assert_eq!(
        search(&c, "limpeza_de_pele", window, &bookings, &now())[0],
        ("12-01 10:00".to_owned(), false)
    );
}

#[test]
fn parts_of_day_and_weekdays() {
    let c = config();
    let tomorrow_afternoon = SearchWindow::PartOfDay {
        date: Some(date(2026, 12, 2)),
        part: "tarde".into(),
    };
    // The afternoon starts at 12:00, but the clinic reopens at 13:00.
    assert_eq!(
        search(&c, "botox", tomorrow_afternoon.clone(), &[], &now()),
        exact(&["12-02 13:00", "12-02 13:30", "12-02 14:00"])
    );
    let saturday = SearchWindow::Weekday {
        weekday: jiff::civil::Weekday::Saturday,
        part: Some("manha".into()),
    };
    assert_eq!(
        search(&c, "botox", saturday, &[], &now()),
        exact(&["12-05 09:00", "12-05 09:30", "12-05 10:00"])
    );
    // A full afternoon: the next afternoons are offered first.
    let full = [booking("2026-12-02T13:00", "2026-12-02T18:00")];
    assert_eq!(
        search(&c, "botox", tomorrow_afternoon, &full, &now()),
        vec![
            ("12-03 13:00".to_owned(), false),
            ("12-03 13:30".to_owned(), false),
            ("12-03 14:00".to_owned(), false),
        ]
    );
}

#[test]
fn a_full_interval_of_one_day_looks_at_the_same_hours_later() {
    let c = config();
    let full = [booking("2026-12-02T13:00", "2026-12-02T18:00")];
    let afternoon = SearchWindow::Interval {
        from: Some(z("2026-12-02T12:00")),
        to: Some(z("2026-12-02T19:00")),
    };
    assert_eq!(
        search(&c, "botox", afternoon, &full, &now())[0],
        ("12-03 13:00".to_owned(), false)
    );
    // An interval of several days has no daily pattern: the nearest time after its start.
    let days = SearchWindow::Interval {
        from: Some(z("2026-12-02T13:00")),
        to: Some(z("2026-12-03T12:00")),
    };
    assert_eq!(
        search(&c, "botox", days, &full, &now())[0],
        ("12-03 09:00".to_owned(), true)
    );
}

#[test]
fn a_partly_full_window_is_completed_with_alternatives() {
    let c = config();
    let bookings = [booking("2026-12-01T15:30", "2026-12-01T16:00")];
    let window = SearchWindow::Instant {
        at: z("2026-12-01T15:00"),
        grain: Grain::Hour,
    };
    assert_eq!(
        search(&c, "botox", window, &bookings, &now()),
        vec![
            ("12-01 15:00".to_owned(), true),
            ("12-01 16:00".to_owned(), false),
            ("12-01 16:30".to_owned(), false),
        ]
    );
}

#[test]
fn nothing_is_offered_past_the_horizon() {
    let c = config();
    let window = SearchWindow::Instant {
        at: z("2027-03-01T10:00"),
        grain: Grain::Day,
    };
    assert_eq!(search(&c, "botox", window, &[], &now()), vec![]);
}

#[test]
fn sao_paulo_has_no_daylight_saving_time() {
    let c = config();
    // January was summer time until 2019; slots stay at -03:00, and `now` may come in UTC.
    let now_utc: Zoned = match "2027-01-04T11:00:00+00:00[UTC]".parse() {
        Ok(z) => z,
        Err(e) => panic!("{e}"),
    };
    let slots = match find_slots(
        &c,
        &catalogue(),
        "botox",
        &SearchWindow::Any,
        &[],
        &now_utc,
        3,
    ) {
        Ok(s) => s,
        Err(e) => panic!("{e}"),
    };
    assert_eq!(
        slots[0].start.strftime("%F %H:%M %:z").to_string(),
        "2027-01-04 09:00 -03:00"
    );
    assert_eq!(slots[0].end.strftime("%H:%M").to_string(), "09:30");
    assert_eq!(slots[0].label(), "seg, 04/01 às 09:00");
}

#[test]
fn unknown_procedure_or_part_of_day_is_an_error() {
    let c = config();
    let run = |procedure: &str, window: SearchWindow| {
        find_slots(&c, &catalogue(), procedure, &window, &[], &now(), 3).err()
    };
    assert_eq!(
        run("laser", SearchWindow::Any),
        Some(AvailabilityError::UnknownProcedure("laser".into()))
    );
    let madrugada = SearchWindow::PartOfDay {
        date: None,
        part: "madrugada".into(),
    };
    assert_eq!(
        run("botox", madrugada),
        Some(AvailabilityError::UnknownPartOfDay("madrugada".into()))
    );
}
