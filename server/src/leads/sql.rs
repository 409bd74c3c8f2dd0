//! The leads' SQL, shared by SQLite and PostgreSQL.

/// Creates the lead of a turn with a user message, or updates it: the newest phone and
/// name, the first channel, the earliest first and latest last contact, and the stage
/// `$7` (rank `$8`) when it is further than the stored one — or the lead was inactive
/// (writing again reactivates it). A new lead gets stage `$5` (rank `$6`).
pub(crate) const UPSERT_CONTACT: &str = "INSERT INTO leads \
     (sender_id, phone, profile_name, source, stage, stage_rank, first_contact_at, \
      last_contact_at, updated_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $9, $10, $11) \
     ON CONFLICT (sender_id) DO UPDATE SET \
     phone = COALESCE(excluded.phone, leads.phone), \
     profile_name = COALESCE(excluded.profile_name, leads.profile_name), \
     source = COALESCE(leads.source, excluded.source), \
     stage = CASE WHEN leads.stage = 'inactive' OR leads.stage_rank < $8 \
             THEN $7 ELSE leads.stage END, \
     stage_rank = CASE WHEN leads.stage = 'inactive' OR leads.stage_rank < $8 \
                  THEN $8 ELSE leads.stage_rank END, \
     first_contact_at = CASE WHEN excluded.first_contact_at < leads.first_contact_at \
                        THEN excluded.first_contact_at ELSE leads.first_contact_at END, \
     last_contact_at = CASE WHEN excluded.last_contact_at > leads.last_contact_at \
                       THEN excluded.last_contact_at ELSE leads.last_contact_at END, \
     updated_at = excluded.updated_at";

/// Moves an existing lead forward to stage `$2` (rank `$3`) after a turn without a user
/// message; an inactive lead stays so (its rank is the highest).
pub(crate) const ADVANCE: &str = "UPDATE leads SET stage = $2, stage_rank = $3, updated_at = $4 \
     WHERE sender_id = $1 AND stage_rank < $3";

/// Sets the stage of lead `$1`, forward or back (staff).
pub(crate) const SET_STAGE: &str =
    "UPDATE leads SET stage = $2, stage_rank = $3, updated_at = $4 WHERE sender_id = $1";

/// Tags a lead; a tag it has already is kept as it was.
pub(crate) const INSERT_TAGS: &str = "INSERT INTO lead_tags (sender_id, tag, kind, tagged_at) ";
/// Closes [`INSERT_TAGS`].
pub(crate) const ON_TAG_CONFLICT: &str = " ON CONFLICT (sender_id, tag) DO NOTHING";

/// Whether patient `$1` holds an active appointment written at `$2` or later.
pub(crate) const BOOKED_SINCE: &str = "SELECT COUNT(*) FROM appointments WHERE patient = $1 \
     AND status IN ('booked', 'confirmed') AND updated_at >= $2";

/// The columns of a [`LeadRow`](super::store::LeadRow), in its order.
pub(crate) const LEAD_COLUMNS: &str = "SELECT sender_id, phone, profile_name, source, stage, \
     first_contact_at, last_contact_at FROM leads";

/// The tags of the leads, by lead.
pub(crate) const TAGS_OF: &str = "SELECT sender_id, tag FROM lead_tags WHERE sender_id IN ";

/// Stores the satisfaction answer for appointment `$1` of `$2`: score `$3`, answer `$4`,
/// at `$5`; a later answer replaces an earlier one.
pub(crate) const UPSERT_FEEDBACK: &str = "INSERT INTO appointment_feedback \
     (appointment_id, sender_id, score, answer, answered_at) VALUES ($1, $2, $3, $4, $5) \
     ON CONFLICT (appointment_id) DO UPDATE SET score = excluded.score, \
     answer = excluded.answer, answered_at = excluded.answered_at";

/// Drops lead `$1`'s satisfaction tags (the latest answer's replaces them).
pub(crate) const CLEAR_SATISFACTION_TAGS: &str =
    "DELETE FROM lead_tags WHERE sender_id = $1 AND kind = 'satisfaction'";

/// Tags lead `$1` (if it exists) with satisfaction tag `$2` at `$3`.
pub(crate) const TAG_SATISFACTION: &str = "INSERT INTO lead_tags (sender_id, tag, kind, tagged_at) \
     SELECT sender_id, $2, 'satisfaction', $3 FROM leads WHERE sender_id = $1 \
     ON CONFLICT (sender_id, tag) DO NOTHING";

/// Appointment `$1`'s stored answer: score, answer.
pub(crate) const FEEDBACK_OF: &str =
    "SELECT score, answer FROM appointment_feedback WHERE appointment_id = $1";
