-- Every contact as a lead: one row per conversation sender. Times are Unix seconds, as
-- the events'. `stage_rank` orders the stages (new 0 … attended 4, inactive 5), so a turn
-- moves a lead forward in one statement.
CREATE TABLE leads (
    sender_id TEXT PRIMARY KEY,
    phone TEXT,
    profile_name TEXT,
    source TEXT,
    stage TEXT NOT NULL,
    stage_rank BIGINT NOT NULL,
    first_contact_at DOUBLE PRECISION NOT NULL,
    last_contact_at DOUBLE PRECISION NOT NULL,
    updated_at DOUBLE PRECISION NOT NULL
);
-- Segments: by stage and last contact, or by last contact alone.
CREATE INDEX leads_stage_contact ON leads (stage, last_contact_at);
CREATE INDEX leads_last_contact ON leads (last_contact_at);

-- What a lead showed interest in: `tag` is a procedure or concern id, `kind` which.
CREATE TABLE lead_tags (
    sender_id TEXT NOT NULL REFERENCES leads (sender_id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    kind TEXT NOT NULL,
    tagged_at DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (sender_id, tag)
);
CREATE INDEX lead_tags_tag ON lead_tags (tag, sender_id);
