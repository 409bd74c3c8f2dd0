//! The LGPD erasure a patient asks for ("apaguem meus dados"): once the dialogue ran
//! `action_delete_my_data` (which cancels the upcoming appointments and resets the
//! slots), the server erases what it stored about the contact: the conversation, the
//! lead and its tags, scheduled messages and satisfaction answers, and the texts of the
//! WhatsApp messages already handled; appointments and voucher uses keep their slot and
//! count (the clinic's books) under an anonymous patient.

mod sql;
#[cfg(test)]
mod tests;

use crate::store::backend::on_pool;
use crate::store::{StoreError, TrackerStore};
use bela_engine::dialogue::events::{Event, EventKind};
use bela_engine::names::SenderId;

/// The action after which the contact's data is erased.
pub const DELETE_MY_DATA: &str = "action_delete_my_data";

/// Whether `events` (a turn) ran [`DELETE_MY_DATA`].
pub fn asks_erasure(events: &[Event]) -> bool {
    events.iter().any(|e| {
        matches!(&e.kind, EventKind::Action(a) if a.name.as_ref().is_some_and(|n| n.as_str() == DELETE_MY_DATA))
    })
}

/// Erases `sender`'s personal data from every table of `store`'s database (see the
/// module's documentation); `now` (Unix seconds) names the anonymous patient.
pub async fn erase_contact(
    store: &TrackerStore,
    sender: &SenderId,
    now: f64,
) -> Result<(), StoreError> {
    store.delete(sender).await?;
    let anonymous = format!("apagado-{}", now as i64);
    let _writing = store.serialize_write().await;
    let erased: Result<(), sqlx::Error> = on_pool!(store.backend(), pool => {
        async {
            let mut tx = pool.begin().await?;
            for &statement in sql::ERASE {
                sqlx::query(statement)
                    .bind(sender.as_str())
                    .execute(&mut *tx)
                    .await?;
            }
            for &statement in sql::ANONYMISE {
                sqlx::query(statement)
                    .bind(sender.as_str())
                    .bind(anonymous.as_str())
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await
        }
        .await
    });
    erased.map_err(|source| StoreError::Database {
        url: store.url().to_owned(),
        source,
    })
}
