//! [`SqlCalendar`]: the calendar on the tracker store's database.

use crate::calendar::row::{
    AppointmentRow, BookingRow, appointment, booking, ceil_seconds, epoch_seconds, floor_seconds,
    row_id,
};
use crate::calendar::serial::{BeginSerial, WriteLock};
use crate::calendar::sql;
use crate::store::backend::on_pool;
use crate::store::{StoreError, TrackerStore};
use bela_clinic::Booking;
use bela_clinic::calendar::{
    Appointment, AppointmentId, AppointmentStatus, Calendar, CalendarError, Capacity,
    NewAppointment, slot_fits,
};
use bela_engine::dialogue::actions::BoxFuture;
use jiff::{SignedDuration, Timestamp, Zoned};

/// How far around a slot the write check looks: a buffer is never longer.
const AROUND: SignedDuration = SignedDuration::from_hours(24);

/// No row has this id (ids start at 1): the `except` of a new booking.
const NO_ROW: i64 = 0;

/// The active bookings overlapping `[$from, $to)` but row `$except`, read through `$tx`;
/// a database error or a corrupt row returns from the enclosing `try_*` method (a macro
/// because the transaction's type differs per driver).
macro_rules! active_around {
    ($tx:expr, $from:expr, $to:expr, $except:expr) => {{
        let rows: Vec<BookingRow> = sqlx::query_as(sql::OVERLAPPING)
            .bind($from)
            .bind($to)
            .bind($except)
            .fetch_all($tx)
            .await?;
        match bookings(rows) {
            Ok(around) => around,
            Err(e) => return Ok(Err(e)),
        }
    }};
}

/// The clinic's calendar in the conversations' database (SQLite or PostgreSQL). Clones
/// share the pool.
#[derive(Clone)]
pub struct SqlCalendar {
    store: TrackerStore,
}

impl SqlCalendar {
    /// The calendar in `store`'s database (which the store migrated), writing in the
    /// store's write turn on SQLite.
    pub fn new(store: TrackerStore) -> Self {
        Self { store }
    }

    /// Opens (and migrates) the database at `url` — the same URLs as
    /// [`TrackerStore::connect`] — and the calendar in it.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        Ok(Self::new(TrackerStore::connect(url).await?))
    }

    /// Books `new` unless its slot is full; `Ok(Err(..))` is the calendar's refusal.
    async fn try_book(
        &self,
        new: NewAppointment,
        capacity: Capacity,
    ) -> Result<Result<Appointment, CalendarError>, sqlx::Error> {
        let (from, to) = window(&new.start, &new.end);
        let now = Timestamp::now();
        let _writing = self.store.serialize_write().await;
        on_pool!(self.store.backend(), pool => {
            let mut tx = pool.begin_serial(WriteLock::Appointments).await?;
            let around = active_around!(&mut *tx, from, to, NO_ROW);
            if !slot_fits(&around, &new.start, &new.end, capacity) {
                return Ok(Err(CalendarError::SlotTaken(new.start.timestamp())));
            }
            let id: i64 = sqlx::query_scalar(sql::INSERT)
                .bind(&new.patient)
                .bind(&new.patient_name)
                .bind(new.procedure.as_str())
                .bind(floor_seconds(new.start.timestamp()))
                .bind(ceil_seconds(new.end.timestamp()))
                .bind(new.start.to_string())
                .bind(new.end.to_string())
                .bind(AppointmentStatus::Booked.as_str())
                .bind(epoch_seconds(now))
                .fetch_one(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(Ok(Appointment {
                id: AppointmentId::new(id.to_string()),
                patient: new.patient,
                patient_name: new.patient_name,
                procedure: new.procedure,
                start: new.start,
                end: new.end,
                status: AppointmentStatus::Booked,
                created_at: now,
            }))
        })
    }

    /// Moves `id` of `patient` unless the new slot is full (the appointment itself aside).
    async fn try_reschedule(
        &self,
        patient: &str,
        id: &AppointmentId,
        start: Zoned,
        end: Zoned,
        capacity: Capacity,
    ) -> Result<Result<Appointment, CalendarError>, sqlx::Error> {
        let Some(row) = row_id(id) else {
            return Ok(Err(CalendarError::NotFound(id.clone())));
        };
        let (from, to) = window(&start, &end);
        let _writing = self.store.serialize_write().await;
        on_pool!(self.store.backend(), pool => {
            let mut tx = pool.begin_serial(WriteLock::Appointments).await?;
            // Someone else's appointment is not found, whether or not the slot is free.
            let own: i64 = sqlx::query_scalar(sql::IS_OWN)
                .bind(row)
                .bind(patient)
                .fetch_one(&mut *tx)
                .await?;
            if own == 0 {
                return Ok(Err(CalendarError::NotFound(id.clone())));
            }
            let around = active_around!(&mut *tx, from, to, row);
            if !slot_fits(&around, &start, &end, capacity) {
                return Ok(Err(CalendarError::SlotTaken(start.timestamp())));
            }
            let moved: AppointmentRow = sqlx::query_as(sql::MOVE)
                .bind(row)
                .bind(patient)
                .bind(floor_seconds(start.timestamp()))
                .bind(ceil_seconds(end.timestamp()))
                .bind(start.to_string())
                .bind(end.to_string())
                .bind(epoch_seconds(Timestamp::now()))
                .fetch_one(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(appointment(moved))
        })
    }

    /// Sets appointment `id`'s status for staff, whoever the patient (marking it
    /// attended starts its follow-ups).
    pub async fn set_status_as_staff(
        &self,
        id: &AppointmentId,
        status: AppointmentStatus,
    ) -> Result<Appointment, CalendarError> {
        settle(self.try_set_status(None, id, status).await)
    }

    /// Every appointment starting in `[from, to)`, cancelled ones included, earliest
    /// first: the staff's view of the calendar.
    pub async fn starting_between(
        &self,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<Appointment>, CalendarError> {
        let rows: Result<Vec<AppointmentRow>, sqlx::Error> = on_pool!(self.store.backend(), pool => {
            sqlx::query_as(sql::STARTING_BETWEEN)
                .bind(floor_seconds(from))
                .bind(floor_seconds(to))
                .fetch_all(pool)
                .await
        });
        rows.map_err(storage)?
            .into_iter()
            .map(appointment)
            .collect()
    }

    /// `patient`'s appointment `id` (any patient's when `None`) gets `status`.
    async fn try_set_status(
        &self,
        patient: Option<&str>,
        id: &AppointmentId,
        status: AppointmentStatus,
    ) -> Result<Result<Appointment, CalendarError>, sqlx::Error> {
        let Some(row) = row_id(id) else {
            return Ok(Err(CalendarError::NotFound(id.clone())));
        };
        let _writing = self.store.serialize_write().await;
        on_pool!(self.store.backend(), pool => {
            // Freeing or keeping a slot needs no slot check, but a status change must not
            // land between another writer's check and its insert.
            let mut tx = pool.begin_serial(WriteLock::Appointments).await?;
            let updated: Option<AppointmentRow> = sqlx::query_as(sql::SET_STATUS)
                .bind(row)
                .bind(patient.unwrap_or_default())
                .bind(status.as_str())
                .bind(epoch_seconds(Timestamp::now()))
                .bind(patient.is_none())
                .fetch_optional(&mut *tx)
                .await?;
            let Some(updated) = updated else {
                return Ok(Err(CalendarError::NotFound(id.clone())));
            };
            tx.commit().await?;
            Ok(appointment(updated))
        })
    }

    async fn try_redeem(
        &self,
        code: &str,
        patient: &str,
        max_uses: Option<u32>,
    ) -> Result<Result<u32, CalendarError>, sqlx::Error> {
        let code = code.to_uppercase();
        let _writing = self.store.serialize_write().await;
        on_pool!(self.store.backend(), pool => {
            let mut tx = pool.begin_serial(WriteLock::Vouchers).await?;
            let uses: i64 = sqlx::query_scalar(sql::VOUCHER_USES)
                .bind(&code)
                .fetch_one(&mut *tx)
                .await?;
            let uses = count(uses);
            if max_uses.is_some_and(|max| uses >= max) {
                return Ok(Err(CalendarError::VoucherUsedUp(code)));
            }
            sqlx::query(sql::REDEEM)
                .bind(&code)
                .bind(patient)
                .bind(epoch_seconds(Timestamp::now()))
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(Ok(uses + 1))
        })
    }
}

/// The query window of a write check: the slot widened by [`AROUND`] on both sides.
fn window(start: &Zoned, end: &Zoned) -> (i64, i64) {
    let from = start.timestamp();
    let to = end.timestamp();
    (
        floor_seconds(from.saturating_sub(AROUND).unwrap_or(from)),
        ceil_seconds(to.saturating_add(AROUND).unwrap_or(to)),
    )
}

fn bookings(rows: Vec<BookingRow>) -> Result<Vec<Booking>, CalendarError> {
    rows.into_iter().map(booking).collect()
}

fn count(n: i64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// A database failure as the calendar reports it.
fn storage(e: sqlx::Error) -> CalendarError {
    CalendarError::Storage(e.to_string())
}

/// Flattens a database result and the calendar's own answer.
fn settle<T>(result: Result<Result<T, CalendarError>, sqlx::Error>) -> Result<T, CalendarError> {
    result.map_err(storage)?
}

impl Calendar for SqlCalendar {
    fn bookings(
        &self,
        from: Timestamp,
        to: Timestamp,
    ) -> BoxFuture<'_, Result<Vec<Booking>, CalendarError>> {
        Box::pin(async move {
            let rows: Result<Vec<BookingRow>, sqlx::Error> = on_pool!(self.store.backend(), pool => {
                sqlx::query_as(sql::OVERLAPPING)
                    .bind(floor_seconds(from))
                    .bind(ceil_seconds(to))
                    .bind(NO_ROW)
                    .fetch_all(pool)
                    .await
            });
            bookings(rows.map_err(storage)?)
        })
    }

    fn book(
        &self,
        new: NewAppointment,
        capacity: Capacity,
    ) -> BoxFuture<'_, Result<Appointment, CalendarError>> {
        Box::pin(async move { settle(self.try_book(new, capacity).await) })
    }

    fn reschedule<'a>(
        &'a self,
        patient: &'a str,
        id: &'a AppointmentId,
        start: Zoned,
        end: Zoned,
        capacity: Capacity,
    ) -> BoxFuture<'a, Result<Appointment, CalendarError>> {
        Box::pin(
            async move { settle(self.try_reschedule(patient, id, start, end, capacity).await) },
        )
    }

    fn set_status<'a>(
        &'a self,
        patient: &'a str,
        id: &'a AppointmentId,
        status: AppointmentStatus,
    ) -> BoxFuture<'a, Result<Appointment, CalendarError>> {
        Box::pin(async move { settle(self.try_set_status(Some(patient), id, status).await) })
    }

    fn upcoming<'a>(
        &'a self,
        patient: &'a str,
        from: Timestamp,
    ) -> BoxFuture<'a, Result<Vec<Appointment>, CalendarError>> {
        Box::pin(async move {
            let rows: Result<Vec<AppointmentRow>, sqlx::Error> = on_pool!(self.store.backend(), pool => {
                sqlx::query_as(sql::UPCOMING)
                    .bind(patient)
                    .bind(floor_seconds(from))
                    .fetch_all(pool)
                    .await
            });
            rows.map_err(storage)?
                .into_iter()
                .map(appointment)
                .collect()
        })
    }

    fn voucher_uses<'a>(&'a self, code: &'a str) -> BoxFuture<'a, Result<u32, CalendarError>> {
        Box::pin(async move {
            let code = code.to_uppercase();
            let uses: Result<i64, sqlx::Error> = on_pool!(self.store.backend(), pool => {
                sqlx::query_scalar(sql::VOUCHER_USES).bind(&code).fetch_one(pool).await
            });
            Ok(count(uses.map_err(storage)?))
        })
    }

    fn redeem_voucher<'a>(
        &'a self,
        code: &'a str,
        patient: &'a str,
        max_uses: Option<u32>,
    ) -> BoxFuture<'a, Result<u32, CalendarError>> {
        Box::pin(async move { settle(self.try_redeem(code, patient, max_uses).await) })
    }
}
