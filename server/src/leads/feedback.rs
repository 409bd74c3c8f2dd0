//! Follow-up answers: the satisfaction score per appointment, and the lead's satisfaction
//! tag (`satisfeito`, `neutro`, `insatisfeito`) so segments can select on it.

use crate::leads::sql;
use crate::leads::{LeadError, Leads, Satisfaction};
use crate::store::backend::on_pool;
use bela_engine::dialogue::events::now;
use bela_engine::names::SenderId;

/// The lead tag of a score.
pub fn satisfaction_tag(score: u8) -> &'static str {
    match score {
        0..=2 => "insatisfeito",
        3 => "neutro",
        _ => "satisfeito",
    }
}

impl Leads {
    /// Stores `answer` for its appointment and retags `sender`'s lead with it.
    pub async fn record_satisfaction(
        &self,
        sender: &SenderId,
        answer: &Satisfaction,
    ) -> Result<(), LeadError> {
        let Ok(appointment) = answer.appointment.parse::<i64>() else {
            tracing::warn!(appointment = %answer.appointment, "satisfaction for an unknown appointment id");
            return Ok(());
        };
        let at = now();
        let store = self.store();
        let _writing = store.serialize_write().await;
        let result: Result<(), sqlx::Error> = on_pool!(store.backend(), pool => {
            async {
                let mut tx = pool.begin().await?;
                sqlx::query(sql::UPSERT_FEEDBACK)
                    .bind(appointment)
                    .bind(sender.as_str())
                    .bind(i64::from(answer.score))
                    .bind(&answer.answer)
                    .bind(at)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query(sql::CLEAR_SATISFACTION_TAGS)
                    .bind(sender.as_str())
                    .execute(&mut *tx)
                    .await?;
                sqlx::query(sql::TAG_SATISFACTION)
                    .bind(sender.as_str())
                    .bind(satisfaction_tag(answer.score))
                    .bind(at)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await
            }
            .await
        });
        Ok(result.map_err(|e| self.db_error(e))?)
    }

    /// The stored answer for appointment `appointment`: score and what the patient said.
    pub async fn satisfaction_of(
        &self,
        appointment: i64,
    ) -> Result<Option<(u8, String)>, LeadError> {
        let store = self.store();
        let row: Result<Option<(i64, String)>, sqlx::Error> = on_pool!(store.backend(), pool => {
            sqlx::query_as(sql::FEEDBACK_OF).bind(appointment).fetch_optional(pool).await
        });
        Ok(row
            .map_err(|e| self.db_error(e))?
            .map(|(score, answer)| (u8::try_from(score).unwrap_or(0), answer)))
    }
}
