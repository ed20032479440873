//! Exported rows, a batch at a time: the contacts' sealed columns, channels and current
//! consents read in three queries per batch, opened under each contact's key on a
//! blocking thread while the next batch is being read, and handed to a sink. Only the
//! chosen columns are opened.

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
}

impl Plan {
    pub async fn new(conn: &mut AnyConnection, columns: Vec<Column>) -> Result<Plan, AppError> {
        let definitions: Vec<(i64, String)> =
            sqlx::query_as("SELECT id, name FROM consent_definitions")
                .fetch_all(&mut *conn)
                .await?;
        Ok(Plan {
            columns,
            definitions: definitions.into_iter().collect(),
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
}

/// One batch as read from the database, still sealed.
pub struct Batch {
    ids: Vec<ContactId>,
    contacts: Vec<AnyRow>,
    channels: Vec<AnyRow>,
    consents: Vec<(ContactId, i64, String)>,
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
    let contacts = sqlx::query(&format!(
        "SELECT c.id, c.state, c.created_at, c.updated_at, s.name AS source_name, \
         k.master_key_id, k.key_version, k.wrapped_key{} \
         FROM contacts c JOIN contact_keys k ON k.contact_id = c.id \
         LEFT JOIN data_sources s ON s.id = c.source_id \
         WHERE c.id IN ({list}) AND c.state <> 'erased'",
        sealed.concat()
    ))
    .fetch_all(&mut *conn)
    .await?;
    let channels = if plan.wants_channels() {
        sqlx::query(&format!(
            "SELECT id, contact_id, kind, value FROM contact_channels \
             WHERE contact_id IN ({list}) ORDER BY contact_id, position"
        ))
        .fetch_all(&mut *conn)
        .await?
    } else {
        Vec::new()
    };
    let consents = if plan.wants_consents() {
        sqlx::query_as(&format!(
            "SELECT contact_id, definition_id, decision FROM consent_current \
             WHERE contact_id IN ({list})"
        ))
        .fetch_all(&mut *conn)
        .await?
    } else {
        Vec::new()
    };
    Ok(Batch {
        ids: ids.to_vec(),
        contacts,
        channels,
        consents,
    })
}

fn decision_text(decision: &str) -> &'static str {
    crate::consents::model::Decision::parse(decision)
        .map(|d| d.label().text(Lang::Pl))
        .unwrap_or("")
}

/// A batch's rows found by contact.
struct Index<'a> {
    contacts: HashMap<ContactId, &'a AnyRow>,
    channels: HashMap<ContactId, Vec<&'a AnyRow>>,
    consents: HashMap<(ContactId, i64), &'a str>,
}

impl<'a> Index<'a> {
    fn new(batch: &'a Batch) -> Result<Self, AppError> {
        let mut contacts = HashMap::with_capacity(batch.contacts.len());
        for row in &batch.contacts {
            contacts.insert(row.try_get("id")?, row);
        }
        let mut channels: HashMap<ContactId, Vec<&AnyRow>> = HashMap::new();
        for ch in &batch.channels {
            channels
                .entry(ch.try_get("contact_id")?)
                .or_default()
                .push(ch);
        }
        let mut consents = HashMap::new();
        for (contact, definition, decision) in &batch.consents {
            consents.insert((*contact, *definition), decision.as_str());
        }
        Ok(Self {
            contacts,
            channels,
            consents,
        })
    }
}

/// Below this many contacts a batch is opened on one thread: a thread costs more than
/// it saves.
const PARALLEL_FROM: usize = 200;

/// Opens a batch: the rows in the order of its ids; a contact erased meanwhile (or
/// whose key is gone) is left out. Opening is most of an export's work (a key unwrap and
/// up to a dozen AEAD opens per row), so a large batch is split over the cores.
pub fn decode(vault: &Vault, plan: &Plan, batch: Batch) -> Result<Vec<Vec<Cell>>, AppError> {
    let index = Index::new(&batch)?;
    let threads = std::thread::available_parallelism()
        .map(usize::from)
        .unwrap_or(1)
        .min(batch.ids.len() / PARALLEL_FROM)
        .max(1);
    if threads == 1 {
        return decode_ids(vault, plan, &index, &batch.ids);
    }
    let part = batch.ids.len().div_ceil(threads);
    let parts: Vec<Result<Vec<Vec<Cell>>, AppError>> = std::thread::scope(|scope| {
        let mut chunks = batch.ids.chunks(part);
        let first = chunks.next().unwrap_or_default();
        let others: Vec<_> = chunks
            .map(|ids| scope.spawn(|| decode_ids(vault, plan, &index, ids)))
            .collect();
        let mut parts = vec![decode_ids(vault, plan, &index, first)];
        for handle in others {
            parts.push(handle.join().unwrap_or(Err(AppError::Internal)));
        }
        parts
    });
    let mut out = Vec::with_capacity(batch.ids.len());
    for part in parts {
        out.extend(part?);
    }
    Ok(out)
}

fn decode_ids(
    vault: &Vault,
    plan: &Plan,
    index: &Index<'_>,
    ids: &[ContactId],
) -> Result<Vec<Vec<Cell>>, AppError> {
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let Some(row) = index.contacts.get(id) else {
            continue;
        };
        let wrapped: Option<Vec<u8>> = row.try_get("wrapped_key")?;
        let Some(key) = vault
            .unwrap(
                *id,
                row.try_get("master_key_id")?,
                row.try_get("key_version")?,
                wrapped.as_deref(),
            )
            .map_err(tampered)?
        else {
            continue;
        };
        let list = |kind: &str| -> Result<String, AppError> {
            let mut values = Vec::new();
            for ch in index
                .channels
                .get(id)
                .map(Vec::as_slice)
                .unwrap_or_default()
            {
                if ch.try_get::<String, _>("kind")? != kind {
                    continue;
                }
                let ch_id: i64 = ch.try_get("id")?;
                let value = open(
                    Some(&key),
                    Place::new("contact_channels", "value", ch_id),
                    ch.try_get("value")?,
                )
                .map_err(tampered)?;
                if !value.is_empty() {
                    values.push(value);
                }
            }
            Ok(values.join(", "))
        };
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
                    index
                        .consents
                        .get(&(*id, *def))
                        .map(|d| decision_text(d))
                        .unwrap_or_else(|| Msg::DecisionNeverAsked.text(Lang::Pl))
                        .to_string(),
                ),
                sealed => {
                    let col = sealed.sealed().unwrap_or("notes");
                    Cell::Text(
                        open(
                            Some(&key),
                            Place::new("contacts", col, *id),
                            row.try_get(col)?,
                        )
                        .map_err(tampered)?,
                    )
                }
            };
            cells.push(cell);
        }
        out.push(cells);
    }
    Ok(out)
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
