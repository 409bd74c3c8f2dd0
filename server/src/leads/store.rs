//! [`Leads`]: the leads' tables in the conversations' database.

use crate::leads::LeadError;
use crate::leads::sql;
use crate::leads::{Lead, LeadStage, LeadTag, Segment, TurnFacts};
use crate::store::backend::on_pool;
use crate::store::{StoreError, TrackerStore};
use bela_engine::dialogue::events::{Event, now};
use bela_engine::names::SenderId;
use std::collections::HashMap;

/// A `leads` row: sender_id, phone, profile_name, source, stage, first and last contact.
pub(crate) type LeadRow = (
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
    f64,
    f64,
);

/// A `lead_tags` row: sender_id, tag.
type TagRow = (String, String);

/// A value bound into a lead query.
#[derive(Debug, Clone, Copy)]
enum Bind<'a> {
    Text(&'a str),
    Real(f64),
    Int(i64),
}

/// The leads, kept next to the conversations (same pool, same SQLite write turn).
#[derive(Clone)]
pub struct Leads {
    store: TrackerStore,
}

impl Leads {
    /// The leads in `store`'s database (which the store migrated).
    pub fn new(store: TrackerStore) -> Self {
        Self { store }
    }

    /// Updates `sender`'s lead from the `events` a turn just stored. A failure is logged,
    /// not returned: the turn itself is stored, and the next one writes the lead again.
    pub async fn after_turn(&self, sender: &SenderId, events: &[Event]) {
        let facts = TurnFacts::of(events);
        if facts.is_empty() {
            return;
        }
        if let Err(e) = self.record(sender, &facts).await {
            tracing::warn!(sender = %sender, error = %e, "the lead was not updated");
        }
        if let Some(answer) = &facts.satisfaction
            && let Err(e) = self.record_satisfaction(sender, answer).await
        {
            tracing::warn!(sender = %sender, error = %e, "the satisfaction answer was not stored");
        }
    }

    /// Writes what a turn showed about `sender`: one upsert (plus its new tags) when the
    /// sender wrote, else a forward move of an existing lead.
    pub async fn record(&self, sender: &SenderId, facts: &TurnFacts) -> Result<(), LeadError> {
        let mut reached = facts.stage;
        if facts.booking_attempted && self.booked_since(sender, facts.started_at).await? {
            reached = reached.max(Some(LeadStage::Booked));
        }
        let now = now();
        let _writing = self.store.serialize_write().await;
        let result: Result<(), sqlx::Error> = on_pool!(self.store.backend(), pool => {
            async {
                let Some(contact) = &facts.contact else {
                    if let Some(stage) = reached {
                        sqlx::query(sql::ADVANCE)
                            .bind(sender.as_str())
                            .bind(stage.as_str())
                            .bind(stage.rank())
                            .bind(now)
                            .execute(pool)
                            .await?;
                    }
                    return Ok(());
                };
                // A first message makes a lead `new`; writing again, `engaged`.
                let created = reached.unwrap_or(LeadStage::New).max(LeadStage::New);
                let engaged = reached.unwrap_or(LeadStage::Engaged).max(LeadStage::Engaged);
                let upsert = sqlx::query(sql::UPSERT_CONTACT)
                    .bind(sender.as_str())
                    .bind(contact.phone.as_deref())
                    .bind(contact.name.as_deref())
                    .bind(contact.source.as_deref())
                    .bind(created.as_str())
                    .bind(created.rank())
                    .bind(engaged.as_str())
                    .bind(engaged.rank())
                    .bind(contact.first_at)
                    .bind(contact.last_at)
                    .bind(now);
                if facts.tags.is_empty() {
                    // The common turn: one statement, no transaction around it.
                    return upsert.execute(pool).await.map(drop);
                }
                let mut tx = pool.begin().await?;
                upsert.execute(&mut *tx).await?;
                let mut insert = sqlx::QueryBuilder::new(sql::INSERT_TAGS);
                insert.push_values(&facts.tags, |mut values, (tag, kind)| {
                    values
                        .push_bind(sender.as_str())
                        .push_bind(tag.as_str())
                        .push_bind(kind.as_str())
                        .push_bind(now);
                });
                insert.push(sql::ON_TAG_CONFLICT);
                insert.build().execute(&mut *tx).await?;
                tx.commit().await
            }
            .await
        });
        Ok(result.map_err(|e| self.db_error(e))?)
    }

    /// Whether `sender` holds an active appointment written at `since` or later.
    async fn booked_since(&self, sender: &SenderId, since: f64) -> Result<bool, StoreError> {
        let count: Result<i64, sqlx::Error> = on_pool!(self.store.backend(), pool => {
            sqlx::query_scalar(sql::BOOKED_SINCE)
                .bind(sender.as_str())
                .bind(since)
                .fetch_one(pool)
                .await
        });
        Ok(count.map_err(|e| self.db_error(e))? > 0)
    }

    /// `sender`'s lead, if it ever wrote.
    pub async fn get(&self, sender: &SenderId) -> Result<Option<Lead>, LeadError> {
        let found = self
            .select(&[(" WHERE sender_id = ", Some(Bind::Text(sender.as_str())))])
            .await?;
        Ok(found.into_iter().next())
    }

    /// The leads of `segment` at `now` (Unix seconds), the most recently contacted first.
    pub async fn segment(&self, segment: &Segment, now: f64) -> Result<Vec<Lead>, LeadError> {
        let mut parts = vec![(" WHERE 1 = 1", None)];
        if let Some(stage) = segment.stage {
            parts.push((" AND stage = ", Some(Bind::Text(stage.as_str()))));
        }
        if let Some(before) = segment.contact_before(now) {
            parts.push((" AND last_contact_at <= ", Some(Bind::Real(before))));
        }
        if let Some(tag) = &segment.tag {
            parts.push((
                " AND EXISTS (SELECT 1 FROM lead_tags \
                 WHERE lead_tags.sender_id = leads.sender_id AND lead_tags.tag = ",
                Some(Bind::Text(tag.as_str())),
            ));
            parts.push((")", None));
        }
        parts.push((" ORDER BY last_contact_at DESC, sender_id LIMIT ", None));
        parts.push(("", Some(Bind::Int(i64::from(segment.limit)))));
        self.select(&parts).await
    }

    /// Sets `sender`'s stage, forward or back (staff); `None` when it has no lead.
    pub async fn set_stage(
        &self,
        sender: &SenderId,
        stage: LeadStage,
    ) -> Result<Option<Lead>, LeadError> {
        let changed = {
            let _writing = self.store.serialize_write().await;
            let changed: Result<u64, sqlx::Error> = on_pool!(self.store.backend(), pool => {
                sqlx::query(sql::SET_STAGE)
                    .bind(sender.as_str())
                    .bind(stage.as_str())
                    .bind(stage.rank())
                    .bind(now())
                    .execute(pool)
                    .await
                    .map(|done| done.rows_affected())
            });
            changed.map_err(|e| self.db_error(e))?
        };
        if changed == 0 {
            return Ok(None);
        }
        self.get(sender).await
    }

    /// The leads selected by `parts` (SQL appended to `SELECT ... FROM leads`, each with
    /// the value it binds), with their tags.
    async fn select(&self, parts: &[(&str, Option<Bind<'_>>)]) -> Result<Vec<Lead>, LeadError> {
        let result: Result<(Vec<LeadRow>, Vec<TagRow>), sqlx::Error> = on_pool!(self.store.backend(), pool => {
            async {
                let mut query = sqlx::QueryBuilder::new(sql::LEAD_COLUMNS);
                for (text, bind) in parts {
                    query.push(*text);
                    match bind {
                        Some(Bind::Text(v)) => query.push_bind(*v),
                        Some(Bind::Real(v)) => query.push_bind(*v),
                        Some(Bind::Int(v)) => query.push_bind(*v),
                        None => &mut query,
                    };
                }
                let rows: Vec<LeadRow> = query.build_query_as().fetch_all(pool).await?;
                if rows.is_empty() {
                    return Ok((rows, Vec::new()));
                }
                let mut tags = sqlx::QueryBuilder::new(sql::TAGS_OF);
                tags.push("(");
                let mut senders = tags.separated(", ");
                for row in &rows {
                    senders.push_bind(row.0.as_str());
                }
                tags.push(") ORDER BY sender_id, tag");
                let tags: Vec<TagRow> = tags.build_query_as().fetch_all(pool).await?;
                Ok((rows, tags))
            }
            .await
        });
        let (rows, tags) = result.map_err(|e| self.db_error(e))?;
        let mut tags_of: HashMap<String, Vec<LeadTag>> = HashMap::new();
        for (sender, tag) in tags {
            tags_of.entry(sender).or_default().push(LeadTag::new(tag));
        }
        rows.into_iter()
            .map(|row| {
                let tags = tags_of.remove(&row.0).unwrap_or_default();
                lead(row, tags)
            })
            .collect()
    }

    /// The store the leads live in.
    pub(crate) fn store(&self) -> &TrackerStore {
        &self.store
    }

    pub(crate) fn db_error(&self, source: sqlx::Error) -> StoreError {
        StoreError::Database {
            url: self.store.url().to_owned(),
            source,
        }
    }
}

/// The lead a row holds, with its `tags`.
fn lead(row: LeadRow, tags: Vec<LeadTag>) -> Result<Lead, LeadError> {
    let (sender, phone, name, source, stage, first_contact, last_contact) = row;
    let Some(stage) = LeadStage::parse(&stage) else {
        return Err(LeadError::UnknownStage { sender, stage });
    };
    Ok(Lead {
        sender,
        phone,
        name,
        source,
        stage,
        tags,
        first_contact,
        last_contact,
    })
}
