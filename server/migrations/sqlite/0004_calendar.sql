-- The clinic's appointments. `start_at`/`end_at` are the slot as UTC Unix seconds (what
-- overlap queries compare); `start_zoned`/`end_zoned` keep the zoned times as written
-- (`2031-03-04T10:00:00-03:00[America/Sao_Paulo]`), so the patient's zone round-trips.
CREATE TABLE appointments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    patient TEXT NOT NULL,
    patient_name TEXT NOT NULL,
    procedure TEXT NOT NULL,
    start_at INTEGER NOT NULL,
    end_at INTEGER NOT NULL,
    start_zoned TEXT NOT NULL,
    end_zoned TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL
);
-- Slot checks and the availability search read the active appointments that end after a
-- moment: only upcoming rows, however long the history.
CREATE INDEX appointments_active_end ON appointments (end_at, start_at)
    WHERE status IN ('booked', 'confirmed');
-- A patient's own appointments (list, reschedule, cancel), found by phone number.
CREATE INDEX appointments_patient ON appointments (patient, start_at);

-- One row per use of a voucher; `code` is upper-cased. Counted against `max_uses`.
CREATE TABLE voucher_redemptions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL,
    patient TEXT NOT NULL,
    redeemed_at REAL NOT NULL
);
CREATE INDEX voucher_redemptions_code ON voucher_redemptions (code);
