//! The erasure's statements, the same on SQLite and PostgreSQL: `$1` is the sender,
//! `$2` the anonymous patient that replaces it.

/// What is deleted or blanked outright.
pub(super) const ERASE: &[&str] = &[
    "DELETE FROM lead_tags WHERE sender_id = $1",
    "DELETE FROM leads WHERE sender_id = $1",
    "DELETE FROM scheduled_jobs WHERE sender_id = $1",
    "DELETE FROM appointment_feedback WHERE sender_id = $1",
    // Handled messages only: a pending one (a message sent after this one) still needs
    // its text to be answered.
    "UPDATE whatsapp_inbox SET payload = '{}' WHERE sender_id = $1 AND processed_at IS NOT NULL",
    "UPDATE whatsapp_outbox SET message = '{}' WHERE recipient = $1 AND status <> 'pending'",
    "UPDATE whatsapp_statuses SET recipient = NULL WHERE recipient = $1",
];

/// What keeps its row for the clinic's books, under the anonymous patient.
pub(super) const ANONYMISE: &[&str] = &[
    "UPDATE appointments SET patient = $2, patient_name = '' WHERE patient = $1",
    "UPDATE voucher_redemptions SET patient = $2 WHERE patient = $1",
];
