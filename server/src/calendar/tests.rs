//! The calendar conformance checks on SQLite (memory, file, several pools on one file) and,
//! when reachable, PostgreSQL (several pools, as several server processes would have).

use super::SqlCalendar;
use crate::store::TrackerStore;
use crate::store::test_support::{postgres_store, postgres_url, unique_sender};
use bela_clinic::calendar::conformance::{check_calendar, check_concurrent_booking};
use jiff::civil::date;
use std::hash::BuildHasher;
use std::sync::atomic::{AtomicUsize, Ordering};

/// How many patients confirm the same slot at once.
const RIVALS: usize = 24;

/// A tag and a day no other run uses (the PostgreSQL database is shared): the day is
/// drawn at random between 2100 and 9800, where no real appointment goes.
fn unique_run(label: &str) -> (String, String) {
    let tag = unique_sender(label).as_str().to_owned();
    let random = std::collections::hash_map::RandomState::new().hash_one(&tag);
    let offset = i64::try_from(random % 2_800_000).unwrap_or(0);
    let day = date(2100, 1, 1)
        .checked_add(jiff::Span::new().days(offset))
        .unwrap_or(date(2100, 1, 1));
    (tag, day.to_string())
}

async fn sqlite(url: &str) -> TrackerStore {
    TrackerStore::connect(url)
        .await
        .unwrap_or_else(|e| panic!("SQLite at {url}: {e}"))
}

/// Hands out calendars over `stores` in turn, so concurrent bookers use several pools.
fn round_robin(stores: Vec<TrackerStore>) -> impl Fn() -> SqlCalendar {
    let next = AtomicUsize::new(0);
    move || {
        let i = next.fetch_add(1, Ordering::Relaxed) % stores.len();
        SqlCalendar::new(stores[i].clone())
    }
}

#[tokio::test]
async fn sqlite_memory_calendar_conforms() {
    let calendar = SqlCalendar::new(sqlite("sqlite::memory:").await);
    let (tag, day) = unique_run("cal-mem");
    check_calendar(&calendar, &tag, &day).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_file_calendar_conforms_and_never_double_books() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("bela.db").display());
    let store = sqlite(&url).await;
    let (tag, day) = unique_run("cal-file");
    check_calendar(&SqlCalendar::new(store.clone()), &tag, &day).await;

    // One store shared by every booker: the store's write turn serialises them.
    let (tag, day) = unique_run("cal-file-one");
    check_concurrent_booking(round_robin(vec![store]), RIVALS, &tag, &day).await;

    // Several stores on one file, as several processes would open it: only SQLite's
    // write lock (`BEGIN IMMEDIATE`) stands between them.
    let mut stores = Vec::new();
    for _ in 0..4 {
        stores.push(sqlite(&url).await);
    }
    let (tag, day) = unique_run("cal-file-many");
    check_concurrent_booking(round_robin(stores), RIVALS, &tag, &day).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_calendar_conforms_and_never_double_books() {
    // Creates the test database when missing, or skips the test without a server.
    if postgres_store().await.is_none() {
        return;
    }
    let url = postgres_url();
    let connect = || async {
        TrackerStore::connect(&url)
            .await
            .unwrap_or_else(|e| panic!("PostgreSQL at {url}: {e}"))
    };
    let store = connect().await;
    let (tag, day) = unique_run("cal-pg");
    check_calendar(&SqlCalendar::new(store.clone()), &tag, &day).await;

    let mut stores = vec![store];
    for _ in 0..3 {
        stores.push(connect().await);
    }
    let (tag, day) = unique_run("cal-pg-many");
    check_concurrent_booking(round_robin(stores), RIVALS, &tag, &day).await;
}
