-- One row per conversation; `event_count` is the optimistic-concurrency version.
CREATE TABLE conversations (
    sender_id TEXT PRIMARY KEY,
    event_count BIGINT NOT NULL DEFAULT 0,
    latest_event_time DOUBLE PRECISION
);

-- The append-only event log: event `seq` (0-based) of conversation `sender_id`.
CREATE TABLE events (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sender_id TEXT NOT NULL REFERENCES conversations (sender_id) ON DELETE CASCADE,
    seq BIGINT NOT NULL,
    type_name TEXT NOT NULL,
    timestamp DOUBLE PRECISION NOT NULL,
    data JSONB NOT NULL,
    UNIQUE (sender_id, seq)
);

-- Rasa reads a conversation from its last session start, found by time.
CREATE INDEX events_sender_timestamp ON events (sender_id, timestamp);
