-- A turn reads its conversation from the latest session start (as Rasa's SQL tracker
-- store does), found through this index instead of a scan of every event.
CREATE INDEX events_sender_type_seq ON events (sender_id, type_name, seq);
