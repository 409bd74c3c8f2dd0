//! The calendar's SQL, shared by SQLite and PostgreSQL (`$n` placeholders, `RETURNING`).

/// The statuses that hold a slot ([`AppointmentStatus::is_active`]); the same list as the
/// partial index `appointments_active_end`, so both databases use it.
///
/// [`AppointmentStatus::is_active`]: bela_clinic::calendar::AppointmentStatus::is_active
macro_rules! active {
    () => {
        "status IN ('booked', 'confirmed')"
    };
}

/// Active appointments overlapping `[$1, $2)` (Unix seconds).
pub(crate) const OVERLAPPING: &str = concat!(
    "SELECT procedure, start_zoned, end_zoned FROM appointments WHERE ",
    active!(),
    " AND end_at > $1 AND start_at < $2 AND id <> $3 ORDER BY start_at, id"
);

/// Stores a new appointment: patient, name, procedure, start_at, end_at, start_zoned,
/// end_zoned, status, created_at (also `updated_at`).
pub(crate) const INSERT: &str = "INSERT INTO appointments \
     (patient, patient_name, procedure, start_at, end_at, start_zoned, end_zoned, status, \
      created_at, updated_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id";

/// The columns of an [`AppointmentRow`](super::row::AppointmentRow), in its order.
macro_rules! appointment_columns {
    () => {
        "id, patient, patient_name, procedure, start_zoned, end_zoned, status, created_at"
    };
}

/// Moves appointment `$1` of patient `$2` and books it again.
pub(crate) const MOVE: &str = concat!(
    "UPDATE appointments SET start_at = $3, end_at = $4, start_zoned = $5, end_zoned = $6, \
     status = 'booked', updated_at = $7 WHERE id = $1 AND patient = $2 RETURNING ",
    appointment_columns!()
);

/// Sets the status of appointment `$1` of patient `$2` (any patient's when `$5` is true:
/// staff).
pub(crate) const SET_STATUS: &str = concat!(
    "UPDATE appointments SET status = $3, updated_at = $4 WHERE id = $1 \
     AND (patient = $2 OR $5) RETURNING ",
    appointment_columns!()
);

/// Every appointment starting in `[$1, $2)`, whatever its status, earliest first: the
/// staff's calendar.
pub(crate) const STARTING_BETWEEN: &str = concat!(
    "SELECT ",
    appointment_columns!(),
    " FROM appointments WHERE start_at >= $1 AND start_at < $2 ORDER BY start_at, id"
);

/// Whether appointment `$1` is patient `$2`'s.
pub(crate) const IS_OWN: &str = "SELECT COUNT(*) FROM appointments WHERE id = $1 AND patient = $2";

/// Patient `$1`'s active appointments ending after `$2`, earliest first.
pub(crate) const UPCOMING: &str = concat!(
    "SELECT ",
    appointment_columns!(),
    " FROM appointments WHERE patient = $1 AND ",
    active!(),
    " AND end_at > $2 ORDER BY start_at, id"
);

/// How often voucher `$1` was redeemed.
pub(crate) const VOUCHER_USES: &str = "SELECT COUNT(*) FROM voucher_redemptions WHERE code = $1";

/// One more use of voucher `$1` by patient `$2` at `$3`.
pub(crate) const REDEEM: &str =
    "INSERT INTO voucher_redemptions (code, patient, redeemed_at) VALUES ($1, $2, $3)";
