-- One row per conversation; `event_count` is the optimistic-concurrency version.
CREATE TABLE conversations (
    sender_id TEXT PRIMARY KEY NOT NULL,
    event_count INTEGER NOT NULL DEFAULT 0,
    latest_event_time REAL
);

-- The append-only event log: event `seq` (0-based) of conversation `sender_id`.
CREATE TABLE events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    sender_id TEXT NOT NULL REFERENCES conversations (sender_id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    type_name TEXT NOT NULL,
    timestamp REAL NOT NULL,
    data TEXT NOT NULL,
    UNIQUE (sender_id, seq)
);

-- Rasa reads a conversation from its last session start, found by time.
CREATE INDEX events_sender_timestamp ON events (sender_id, timestamp);
