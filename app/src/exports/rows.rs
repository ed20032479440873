//! Exported rows, a batch at a time: one query per batch returns one row per contact,
//! its sealed columns beside its channels and current consents folded into text by the
//! database; the rows are opened under each contact's key on blocking threads while the
//! next batch is being read, and handed to a sink. Only the chosen columns are opened.
//!
//! Why folded: on SQLite every row the driver hands over costs a hand-off between its
//! worker thread and ours and a copy into an `Any` row, more than SQLite spends finding
//! it; a contact read as one row instead of three (itself, a phone, an e-mail) made the
//! reading twice as cheap (docs/perf.md).

use crate::ids::ContactId;
use std::collections::HashMap;
use std::sync::Arc;

use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use super::model::Column;
use super::sink::{Cell, Sink};
use crate::contacts::model::ContactState;
use crate::contacts::store::open;
use crate::db::Db;
use crate::error::AppError;
use crate::i18n::{Lang, Msg};
use crate::time_fmt::format_utc;
use crate::vault::store::tampered;
use crate::vault::{Place, Vault};

/// Contacts per query.
pub const BATCH: usize = 1000;

/// What to write: the columns, with the names of the consent definitions among them.
#[derive(Debug, Clone)]
pub struct Plan {
    pub columns: Vec<Column>,
    pub definitions: HashMap<i64, String>,
    /// The database's aggregate that joins text in a given order.
    fold: Fold,
}

#[derive(Debug, Clone, Copy)]
enum Fold {
    /// SQLite ≥ 3.44: `group_concat(x, ',' ORDER BY …)`, blobs as `hex(…)`.
    Sqlite,
    /// PostgreSQL: `string_agg(x, ',' ORDER BY …)`, blobs as `encode(…, 'hex')`.
    Postgres,
}

impl Plan {
    pub async fn new(conn: &mut AnyConnection, columns: Vec<Column>) -> Result<Plan, AppError> {
        let definitions: Vec<(i64, String)> =
            sqlx::query_as("SELECT id, name FROM consent_definitions")
                .fetch_all(&mut *conn)
                .await?;
        let fold = if conn.backend_name().eq_ignore_ascii_case("postgresql") {
            Fold::Postgres
        } else {
            Fold::Sqlite
        };
        Ok(Plan {
            columns,
            definitions: definitions.into_iter().collect(),
            fold,
        })
    }

    /// The header row, in Polish (the file is for people in the organisation).
    pub fn header(&self) -> Vec<String> {
        self.columns
            .iter()
            .map(|c| match c {
                Column::Consent(id) => format!(
                    "{}: {}",
                    Msg::ExportConsentColumns.text(Lang::Pl),
                    self.definitions
                        .get(id)
                        .cloned()
                        .unwrap_or_else(|| id.to_string())
                ),
                other => super::model::plain_column_label(&other.key())
                    .map(|m| m.text(Lang::Pl).to_string())
                    .unwrap_or_default(),
            })
            .collect()
    }

    fn wants_channels(&self) -> bool {
        self.columns
            .iter()
            .any(|c| matches!(c, Column::Phones | Column::Emails))
    }

    fn wants_consents(&self) -> bool {
        self.columns.iter().any(|c| matches!(c, Column::Consent(_)))
    }

    /// `item` of every row of `from`, joined by commas in the order of `order`.
    fn folded(&self, item: &str, order: &str, from: &str) -> String {
        let agg = match self.fold {
            Fold::Sqlite => "group_concat",
            Fold::Postgres => "string_agg",
        };
        format!("(SELECT {agg}({item}, ',' ORDER BY {order}) FROM {from})")
    }

    fn hex(&self, blob: &str) -> String {
        match self.fold {
            Fold::Sqlite => format!("hex({blob})"),
            Fold::Postgres => format!("encode({blob}, 'hex')"),
        }
    }

    /// The batch query's columns besides the contact's own: `channels` as
    /// `id:kind:hex,…` in the card's order, `consents` as `definition=decision,…`.
    fn folded_columns(&self) -> String {
        let channels = if self.wants_channels() {
            self.folded(
                &format!("ch.id || ':' || ch.kind || ':' || {}", self.hex("ch.value")),
                "ch.position",
                // A value without ciphertext is nothing to show (hex(NULL) is '' on
                // SQLite, NULL on PostgreSQL: left out on both).
                "contact_channels ch WHERE ch.contact_id = c.id AND ch.value IS NOT NULL",
            )
        } else {
            "NULL".into()
        };
        let consents = if self.wants_consents() {
            self.folded(
                "cc.definition_id || '=' || cc.decision",
                "cc.definition_id",
                "consent_current cc WHERE cc.contact_id = c.id",
            )
        } else {
            "NULL".into()
        };
        format!(", {channels} AS channels, {consents} AS consents")
    }
}

/// One batch as read from the database, still sealed: a row per contact.
pub struct Batch {
    ids: Vec<ContactId>,
    contacts: Vec<AnyRow>,
}

fn id_list(ids: &[ContactId]) -> String {
    // Integers from our own query: literals, no bind limit to mind.
    ids.iter()
        .map(ContactId::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

pub async fn fetch(
    conn: &mut AnyConnection,
    plan: &Plan,
    ids: &[ContactId],
) -> Result<Batch, AppError> {
    let list = id_list(ids);
    let sealed: Vec<String> = plan
        .columns
        .iter()
        .filter_map(|c| c.sealed())
        .map(|c| format!(", c.{c}"))
        .collect();
    let (source, source_join) = if plan.columns.contains(&Column::Source) {
        ("s.name", " LEFT JOIN data_sources s ON s.id = c.source_id")
    } else {
        ("NULL", "")
    };
    let contacts = sqlx::query(&format!(
        "SELECT c.id, c.state, c.created_at, c.updated_at, {source} AS source_name, \
         k.master_key_id, k.key_version, k.wrapped_key{}{} \
         FROM contacts c JOIN contact_keys k ON k.contact_id = c.id{source_join} \
         WHERE c.id IN ({list}) AND c.state <> 'erased'",
        plan.folded_columns(),
        sealed.concat()
    ))
    .fetch_all(&mut *conn)
    .await?;
    Ok(Batch {
        ids: ids.to_vec(),
        contacts,
    })
}

fn decision_text(decision: &str) -> &'static str {
    crate::consents::model::Decision::parse(decision)
        .map(|d| d.label().text(Lang::Pl))
        .unwrap_or("")
}

/// A folded channel: its id, kind and sealed value.
struct FoldedChannel<'a> {
    id: i64,
    kind: &'a str,
    sealed: Option<Vec<u8>>,
}

/// `id:kind:hex,…` as the batch query folds a contact's channels. Anything else is a
/// damaged row, not a value to show.
fn unfold_channels(text: &str) -> Result<Vec<FoldedChannel<'_>>, AppError> {
    let damaged = || AppError::Internal;
    text.split(',')
        .filter(|item| !item.is_empty())
        .map(|item| {
            let mut parts = item.splitn(3, ':');
            let id = parts
                .next()
                .and_then(|p| p.parse().ok())
                .ok_or_else(damaged)?;
            let kind = parts.next().ok_or_else(damaged)?;
            let sealed = parts
                .next()
                .map(hex::decode)
                .transpose()
                .map_err(|_| damaged())?;
            Ok(FoldedChannel { id, kind, sealed })
        })
        .collect()
}

/// `definition=decision,…` as the batch query folds a contact's current consents.
fn unfold_consents(text: &str) -> impl Iterator<Item = (i64, &str)> {
    text.split(',').filter_map(|item| {
        let (definition, decision) = item.split_once('=')?;
        Some((definition.parse().ok()?, decision))
    })
}

/// Below this many contacts a batch is opened on one thread: a thread costs more than
/// it saves.
const PARALLEL_FROM: usize = 200;

/// Opens a batch: the rows in the order of its ids; a contact erased meanwhile (or
/// whose key is gone) is left out. Opening is most of an export's work (a key unwrap and
/// up to a dozen AEAD opens per row), so a large batch is split over the cores.
pub fn decode(vault: &Vault, plan: &Plan, batch: Batch) -> Result<Vec<Vec<Cell>>, AppError> {
    let mut by_id = HashMap::with_capacity(batch.contacts.len());
    for row in &batch.contacts {
        by_id.insert(row.try_get::<ContactId, _>(0)?, row);
    }
    // The rows in the order of the ids (the order the export promised), before splitting.
    let rows: Vec<(ContactId, &AnyRow)> = batch
        .ids
        .iter()
        .filter_map(|id| by_id.get(id).map(|row| (*id, *row)))
        .collect();
    let threads = std::thread::available_parallelism()
        .map(usize::from)
        .unwrap_or(1)
        .min(rows.len() / PARALLEL_FROM)
        .max(1);
    if threads == 1 {
        return decode_rows(vault, plan, &rows);
    }
    let part = rows.len().div_ceil(threads);
    let parts: Vec<Result<Vec<Vec<Cell>>, AppError>> = std::thread::scope(|scope| {
        let mut chunks = rows.chunks(part);
        let first = chunks.next().unwrap_or_default();
        let others: Vec<_> = chunks
            .map(|rows| scope.spawn(|| decode_rows(vault, plan, rows)))
            .collect();
        let mut parts = vec![decode_rows(vault, plan, first)];
        for handle in others {
            parts.push(handle.join().unwrap_or(Err(AppError::Internal)));
        }
        parts
    });
    let mut out = Vec::with_capacity(rows.len());
    for part in parts {
        out.extend(part?);
    }
    Ok(out)
}

fn decode_rows(
    vault: &Vault,
    plan: &Plan,
    rows: &[(ContactId, &AnyRow)],
) -> Result<Vec<Vec<Cell>>, AppError> {
    let mut out = Vec::with_capacity(rows.len());
    for (id, row) in rows {
        if let Some(cells) = decode_row(vault, plan, *id, row)? {
            out.push(cells);
        }
    }
    Ok(out)
}

fn decode_row(
    vault: &Vault,
    plan: &Plan,
    id: ContactId,
    row: &AnyRow,
) -> Result<Option<Vec<Cell>>, AppError> {
    let wrapped: Option<Vec<u8>> = row.try_get("wrapped_key")?;
    let Some(key) = vault
        .unwrap(
            id,
            row.try_get("master_key_id")?,
            row.try_get("key_version")?,
            wrapped.as_deref(),
        )
        .map_err(tampered)?
    else {
        return Ok(None);
    };
    let folded: Option<String> = row.try_get("channels")?;
    let channels = unfold_channels(folded.as_deref().unwrap_or_default())?;
    let list = |kind: &str| -> Result<String, AppError> {
        let mut values = Vec::new();
        for ch in channels.iter().filter(|ch| ch.kind == kind) {
            let value = open(
                Some(&key),
                Place::new("contact_channels", "value", ch.id),
                ch.sealed.clone(),
            )
            .map_err(tampered)?;
            if !value.is_empty() {
                values.push(value);
            }
        }
        Ok(values.join(", "))
    };
    let consents: Option<String> = row.try_get("consents")?;
    let consents: HashMap<i64, &str> =
        unfold_consents(consents.as_deref().unwrap_or_default()).collect();
    let mut cells = Vec::with_capacity(plan.columns.len());
    for column in &plan.columns {
        let cell = match column {
            Column::Id => Cell::Number(id.get()),
            Column::Phones => Cell::Text(list("phone")?),
            Column::Emails => Cell::Text(list("email")?),
            Column::Source => Cell::Text(
                row.try_get::<Option<String>, _>("source_name")?
                    .unwrap_or_default(),
            ),
            Column::CreatedAt => Cell::Text(format_utc(row.try_get("created_at")?)),
            Column::UpdatedAt => Cell::Text(format_utc(row.try_get("updated_at")?)),
            Column::State => Cell::Text(
                ContactState::parse(&row.try_get::<String, _>("state")?)
                    .map(|s| s.label().text(Lang::Pl).to_string())
                    .unwrap_or_default(),
            ),
            Column::Consent(def) => Cell::Text(
                consents
                    .get(def)
                    .map(|d| decision_text(d))
                    .unwrap_or_else(|| Msg::DecisionNeverAsked.text(Lang::Pl))
                    .to_string(),
            ),
            sealed => {
                let col = sealed.sealed().unwrap_or("notes");
                Cell::Text(
                    open(
                        Some(&key),
                        Place::new("contacts", col, id),
                        row.try_get(col)?,
                    )
                    .map_err(tampered)?,
                )
            }
        };
        cells.push(cell);
    }
    Ok(Some(cells))
}

/// Writes every contact of `ids` to `sink`, batch after batch: the next batch is read
/// while the previous one is opened and written. `progress` hears the rows written so
/// far after each batch. Returns the sink and how many rows it got.
pub async fn write_all<S: Sink>(
    db: &Db,
    vault: Arc<Vault>,
    plan: Arc<Plan>,
    ids: &[ContactId],
    sink: S,
    mut progress: impl FnMut(usize),
) -> Result<(S, usize), AppError> {
    let mut conn = db.pool().acquire().await?;
    let header = plan.header();
    let mut sink = Some(sink);
    let mut written = 0usize;
    // The header goes out at once: the browser sees the download start.
    sink.as_mut().map(|s| s.header(&header)).transpose()?;
    let mut pending: Option<tokio::task::JoinHandle<(S, Result<usize, AppError>)>> = None;
    for chunk in ids.chunks(BATCH) {
        let batch = fetch(&mut conn, &plan, chunk).await?;
        if let Some(handle) = pending.take() {
            let (s, done) = handle.await.map_err(|_| AppError::Internal)?;
            written += done?;
            progress(written);
            sink = Some(s);
        }
        let mut s = sink.take().ok_or(AppError::Internal)?;
        let (vault, plan) = (vault.clone(), plan.clone());
        pending = Some(tokio::task::spawn_blocking(move || {
            let done = decode(&vault, &plan, batch).and_then(|rows| {
                s.rows(&rows)?;
                Ok(rows.len())
            });
            (s, done)
        }));
    }
    if let Some(handle) = pending.take() {
        let (s, done) = handle.await.map_err(|_| AppError::Internal)?;
        written += done?;
        progress(written);
        sink = Some(s);
    }
    Ok((sink.ok_or(AppError::Internal)?, written))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folded_channels_unfold_in_order_with_either_hex_case() {
        let got = unfold_channels("7:phone:01AB,9:email:01ab,3:phone:").unwrap();
        let seen: Vec<_> = got
            .iter()
            .map(|c| (c.id, c.kind, c.sealed.clone()))
            .collect();
        assert_eq!(
            seen,
            vec![
                (7, "phone", Some(vec![1, 0xab])),
                (9, "email", Some(vec![1, 0xab])),
                (3, "phone", Some(vec![])),
            ]
        );
        assert!(unfold_channels("").unwrap().is_empty());
    }

    #[test]
    fn a_damaged_fold_is_an_error_not_a_blank_cell() {
        for text in ["x:phone:01", "7:phone:0G", "7"] {
            assert!(unfold_channels(text).is_err(), "{text}");
        }
    }

    #[test]
    fn folded_consents_unfold_by_definition() {
        let got: Vec<_> = unfold_consents("2=granted,10=withdrawn").collect();
        assert_eq!(got, vec![(2, "granted"), (10, "withdrawn")]);
        assert_eq!(unfold_consents("").count(), 0);
    }
}
