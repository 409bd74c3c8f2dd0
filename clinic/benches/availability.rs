//! Availability search over a month of bookings: `cargo bench -p bela-clinic --bench availability`.
//!
//! Loads the repository's `clinic.yml` and `catalogue.yml`, fills the next 30 days with
//! 300 bookings (a fixed pseudo-random pattern over the opening hours), then times
//! `find_slots` for the common time expressions and for a window that is closed, which
//! makes the search fall back over the whole horizon.

use bela_clinic::{Booking, ClinicData, Grain, SearchWindow, find_slots};
use criterion::{Criterion, criterion_group, criterion_main};
use jiff::civil::{Weekday, date};
use jiff::{SignedDuration, Zoned};
use std::hint::black_box;
use std::path::Path;

const BOOKINGS: usize = 300;

fn at(text: &str) -> Zoned {
    format!("{text}[America/Sao_Paulo]")
        .parse()
        .expect("valid time")
}

/// 300 bookings of 30 to 90 minutes on the half-hour grid, Monday to Saturday, 09:00
/// to 18:00, from a fixed linear congruential sequence.
fn month_of_bookings(now: &Zoned) -> Vec<Booking> {
    let mut seed: u64 = 42;
    let mut next = |n: u64| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) % n
    };
    let mut out = Vec::with_capacity(BOOKINGS);
    while out.len() < BOOKINGS {
        let day = now
            .date()
            .checked_add(jiff::Span::new().days(1 + next(30) as i64))
            .expect("date");
        if day.weekday() == Weekday::Sunday {
            continue;
        }
        let start_min = 9 * 60 + 30 * next(18) as i64;
        let start = day
            .at(0, 0, 0, 0)
            .to_zoned(now.time_zone().clone())
            .expect("zoned")
            .checked_add(SignedDuration::from_mins(start_min))
            .expect("start");
        let end = start
            .checked_add(SignedDuration::from_mins(30 * (1 + next(3) as i64)))
            .expect("end");
        out.push(Booking {
            start,
            end,
            procedure: None,
        });
    }
    out
}

fn bench_availability(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let data = ClinicData::load(&root).expect("the clinic's files are valid");
    let now = at("2026-12-01T08:00");
    let bookings = month_of_bookings(&now);
    let windows = [
        ("no time given", SearchWindow::Any),
        (
            "amanhã à tarde",
            SearchWindow::PartOfDay {
                date: Some(date(2026, 12, 2)),
                part: "tarde".into(),
            },
        ),
        (
            "sexta às 15h",
            SearchWindow::Instant {
                at: at("2026-12-04T15:00"),
                grain: Grain::Hour,
            },
        ),
        (
            "domingo (closed: falls back)",
            SearchWindow::Weekday {
                weekday: Weekday::Sunday,
                part: None,
            },
        ),
    ];
    let mut group = c.benchmark_group("find_slots, 300 bookings");
    for (name, window) in &windows {
        group.bench_function(*name, |b| {
            b.iter(|| {
                find_slots(
                    &data.config,
                    &data.catalogue,
                    black_box("limpeza_de_pele"),
                    black_box(window),
                    black_box(&bookings),
                    &now,
                    3,
                )
                .expect("search")
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench_availability);
criterion_main!(benches);
