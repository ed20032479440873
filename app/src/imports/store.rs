//! Imports in the database: the batch row with its settings and checkpoint, the sealed
//! file pieces, the report's rejections and the mapping templates.

use crate::ids::{ImportId, SourceId, UserId};
use crate::store_error::{Refusal, StoreError};
use sqlx::{AnyConnection, Row};

use super::model::{
    Counters, FileFormat, ImportSettings, ImportStatus, ImportView, MappingTemplate, Rejection,
    TextEncoding, REPORT_REJECTIONS,
};
use crate::db::{now_ms, Db};
use crate::i18n::Msg;
use crate::vault::store::tampered;
use crate::vault::{DataKey, KeyOwner, Place, Vault};

pub const CHUNKS: &str = "import_chunks";
pub const REJECTS: &str = "import_rejects";

/// A new draft import with its own data key; the file's pieces follow.
pub async fn create_draft(
    conn: &mut AnyConnection,
    vault: &Vault,
    user_id: UserId,
    file_name: &str,
    format: FileFormat,
) -> Result<(ImportId, DataKey), StoreError> {
    let now = now_ms();
    let (master_id, ring) = crate::vault::store::wrapping_master(conn, vault).await?;
    let master = ring
        .master(master_id)
        .expect("the current key is in its ring");
    let id: ImportId = sqlx::query_scalar(
        "INSERT INTO imports (file_name, format, encoding, master_key_id, created_by, created_at, \
         updated_at) VALUES ($1, $2, 'utf-8', $3, $4, $5, $5) RETURNING id",
    )
    .bind(file_name)
    .bind(format.as_str())
    .bind(master_id)
    .bind(user_id)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    let key = DataKey::generate(1);
    sqlx::query("UPDATE imports SET wrapped_key = $1 WHERE id = $2")
        .bind(key.wrap_for(KeyOwner::Import, master, master_id, id))
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok((id, key))
}

pub async fn put_chunk(
    conn: &mut AnyConnection,
    key: &DataKey,
    import_id: ImportId,
    seq: i64,
    bytes: &[u8],
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO import_chunks (import_id, seq, content) VALUES ($1, $2, $3)")
        .bind(import_id)
        .bind(seq)
        .bind(key.seal(Place::new(CHUNKS, "content", seq), bytes))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn finish_upload(
    conn: &mut AnyConnection,
    import_id: ImportId,
    size: i64,
    encoding: TextEncoding,
    certain: bool,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE imports SET size_bytes = $1, encoding = $2, encoding_certain = $3, updated_at = $4 \
         WHERE id = $5",
    )
    .bind(size)
    .bind(encoding.as_str())
    .bind(i64::from(certain))
    .bind(now_ms())
    .bind(import_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Removes a draft whose file turned out unusable (empty, binary): nothing is kept.
pub async fn discard(conn: &mut AnyConnection, import_id: ImportId) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM import_chunks WHERE import_id = $1")
        .bind(import_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM imports WHERE id = $1 AND status = 'draft'")
        .bind(import_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The import's data key; `None` once purged.
pub async fn load_key(
    conn: &mut AnyConnection,
    vault: &Vault,
    import_id: ImportId,
) -> Result<Option<DataKey>, StoreError> {
    let row =
        sqlx::query("SELECT master_key_id, key_version, wrapped_key FROM imports WHERE id = $1")
            .bind(import_id)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or(StoreError::NotFound)?;
    crate::vault::store::unwrap_file_key(vault, KeyOwner::Import, import_id, &row)
}

/// One sealed piece of the file, opened; `None` past the end.
pub async fn read_chunk(
    conn: &mut AnyConnection,
    key: &DataKey,
    import_id: ImportId,
    seq: i64,
) -> Result<Option<Vec<u8>>, StoreError> {
    let sealed: Option<Vec<u8>> =
        sqlx::query_scalar("SELECT content FROM import_chunks WHERE import_id = $1 AND seq = $2")
            .bind(import_id)
            .bind(seq)
            .fetch_optional(&mut *conn)
            .await?;
    sealed
        .map(|s| {
            key.open(Place::new(CHUNKS, "content", seq), &s)
                .map_err(tampered)
        })
        .transpose()
}

/// The first `max` bytes of the file (or all of it when `max` is `None`).
pub async fn read_head(
    conn: &mut AnyConnection,
    key: &DataKey,
    import_id: ImportId,
    max: Option<usize>,
) -> Result<Vec<u8>, StoreError> {
    let mut out = Vec::new();
    let mut seq = 0;
    while max.is_none_or(|m| out.len() < m) {
        let Some(piece) = read_chunk(conn, key, import_id, seq).await? else {
            break;
        };
        out.extend_from_slice(&piece);
        seq += 1;
    }
    if let Some(m) = max {
        out.truncate(m);
    }
    Ok(out)
}

/// What the wizard needs to know about a stored import.
#[derive(Debug, Clone)]
pub struct Stored {
    pub id: ImportId,
    pub file_name: String,
    pub format: FileFormat,
    pub size_bytes: i64,
    pub encoding: TextEncoding,
    pub encoding_certain: bool,
    pub status: ImportStatus,
    pub settings: Option<ImportSettings>,
    pub source_id: Option<SourceId>,
    pub created_by: Option<UserId>,
    pub rows_done: i64,
    pub bytes_done: i64,
}

pub async fn stored(conn: &mut AnyConnection, import_id: ImportId) -> Result<Stored, StoreError> {
    let row = sqlx::query(
        "SELECT id, file_name, format, size_bytes, encoding, encoding_certain, status, settings, \
         source_id, created_by, rows_done, bytes_done FROM imports WHERE id = $1",
    )
    .bind(import_id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::NotFound)?;
    let settings: Option<String> = row.try_get("settings")?;
    Ok(Stored {
        id: row.try_get("id")?,
        file_name: row.try_get("file_name")?,
        format: FileFormat::parse(&row.try_get::<String, _>("format")?).unwrap_or_default(),
        size_bytes: row.try_get("size_bytes")?,
        encoding: TextEncoding::parse(&row.try_get::<String, _>("encoding")?).unwrap_or_default(),
        encoding_certain: row.try_get::<i64, _>("encoding_certain")? == 1,
        status: ImportStatus::parse(&row.try_get::<String, _>("status")?).unwrap_or_default(),
        settings: settings.and_then(|s| serde_json::from_str(&s).ok()),
        source_id: row.try_get("source_id")?,
        created_by: row.try_get("created_by")?,
        rows_done: row.try_get("rows_done")?,
        bytes_done: row.try_get("bytes_done")?,
    })
}

/// Draft → queued with its settings; refused when the import already left the draft.
pub async fn queue(
    conn: &mut AnyConnection,
    import_id: ImportId,
    settings: &ImportSettings,
    header: Option<&Vec<String>>,
) -> Result<(), StoreError> {
    let json = serde_json::to_string(settings)
        .map_err(|_| StoreError::Inconsistent("encoding import settings"))?;
    let header = header
        .map(serde_json::to_string)
        .transpose()
        .map_err(|_| StoreError::Inconsistent("encoding an import header"))?;
    let done = sqlx::query(
        "UPDATE imports SET status = 'queued', settings = $1, name = $2, description = $3, \
         file_name = $4, source_id = $5, encoding = $6, updated_at = $7, header = $9 \
         WHERE id = $8 AND status = 'draft'",
    )
    .bind(json)
    .bind(&settings.name)
    .bind(&settings.description)
    .bind(&settings.file_name)
    .bind(settings.source_id)
    .bind(settings.encoding.as_str())
    .bind(now_ms())
    .bind(import_id)
    .bind(header)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Refused(Refusal::ImportStarted));
    }
    Ok(())
}

const VIEW_COLUMNS: &str = "i.id, i.name, i.description, i.file_name, i.status, i.failure, \
     i.size_bytes, i.bytes_done, i.rows_read, i.added, i.updated, i.duplicates, i.erased_skipped, \
     i.rejected, i.phones_repaired, i.phones_flagged, i.consents, i.started_at, i.finished_at, \
     i.heartbeat_at, i.created_at, i.confirmed_at, i.wrapped_key IS NOT NULL AS has_key, \
     s.name AS source_name, u.display_name";
const VIEW_FROM: &str = "FROM imports i LEFT JOIN data_sources s ON s.id = i.source_id \
     LEFT JOIN users u ON u.id = i.created_by";

fn view_of(r: &sqlx::any::AnyRow) -> Result<ImportView, StoreError> {
    let counters = Counters {
        rows_read: r.try_get("rows_read")?,
        added: r.try_get("added")?,
        updated: r.try_get("updated")?,
        duplicates: r.try_get("duplicates")?,
        erased_skipped: r.try_get("erased_skipped")?,
        rejected: r.try_get("rejected")?,
        phones_repaired: r.try_get("phones_repaired")?,
        phones_flagged: r.try_get("phones_flagged")?,
        consents: r.try_get("consents")?,
    };
    let status = ImportStatus::parse(&r.try_get::<String, _>("status")?).unwrap_or_default();
    let started: Option<i64> = r.try_get("started_at")?;
    let finished: Option<i64> = r.try_get("finished_at")?;
    let bytes_total: i64 = r.try_get("size_bytes")?;
    let bytes_done: i64 = r.try_get("bytes_done")?;
    let elapsed_ms = match (started, finished) {
        (Some(s), Some(f)) => f - s,
        (Some(s), None) => now_ms() - s,
        _ => 0,
    };
    let rows_per_second = if elapsed_ms > 0 {
        counters.rows_read * 1000 / elapsed_ms
    } else {
        0
    };
    let seconds_left = (status == ImportStatus::Running && bytes_done > 0 && elapsed_ms > 0)
        .then(|| (bytes_total - bytes_done).max(0) * elapsed_ms / bytes_done / 1000);
    let has_key = match r.try_get::<bool, _>("has_key") {
        Ok(b) => b,
        Err(_) => r.try_get::<i64, _>("has_key")? == 1,
    };
    Ok(ImportView {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        description: r.try_get("description")?,
        file_name: r.try_get("file_name")?,
        source: r
            .try_get::<Option<String>, _>("source_name")?
            .unwrap_or_default(),
        status,
        bytes_total,
        bytes_done,
        rows_per_second,
        seconds_left,
        created_by: r
            .try_get::<Option<String>, _>("display_name")?
            .unwrap_or_default(),
        created_at: r.try_get("created_at")?,
        finished_at: finished,
        confirmed: r.try_get::<Option<i64>, _>("confirmed_at")?.is_some(),
        rejects_available: has_key && counters.rejected > 0,
        counters,
        rejections: Vec::new(),
        failure: r
            .try_get::<Option<String>, _>("failure")?
            .and_then(|k| Msg::from_key(&k)),
    })
}

pub async fn view(conn: &mut AnyConnection, import_id: ImportId) -> Result<ImportView, StoreError> {
    let row = sqlx::query(&format!(
        "SELECT {VIEW_COLUMNS} {VIEW_FROM} WHERE i.id = $1"
    ))
    .bind(import_id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::NotFound)?;
    let mut view = view_of(&row)?;
    let rows = sqlx::query(
        "SELECT row_no, column_name, reason FROM import_rejects WHERE import_id = $1 \
         ORDER BY id LIMIT $2",
    )
    .bind(import_id)
    .bind(REPORT_REJECTIONS as i64)
    .fetch_all(&mut *conn)
    .await?;
    for r in rows {
        view.rejections.push(Rejection {
            row: r.try_get("row_no")?,
            column: r.try_get("column_name")?,
            reason: Msg::from_key(&r.try_get::<String, _>("reason")?).unwrap_or(Msg::ErrBadRequest),
        });
    }
    Ok(view)
}

/// Past and running imports, newest first (drafts never queued are left out).
pub async fn list(conn: &mut AnyConnection) -> Result<Vec<ImportView>, StoreError> {
    let rows = sqlx::query(&format!(
        "SELECT {VIEW_COLUMNS} {VIEW_FROM} WHERE i.status <> 'draft' ORDER BY i.id DESC LIMIT 200"
    ))
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(view_of).collect()
}

pub async fn set_description(
    conn: &mut AnyConnection,
    import_id: ImportId,
    description: &str,
) -> Result<(), StoreError> {
    let done = sqlx::query(
        "UPDATE imports SET description = $1, updated_at = $2 WHERE id = $3 AND status <> 'draft'",
    )
    .bind(description)
    .bind(now_ms())
    .bind(import_id)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// "OK" under the report: the manager has read it.
pub async fn confirm(
    conn: &mut AnyConnection,
    import_id: ImportId,
    user_id: UserId,
) -> Result<(), StoreError> {
    let done = sqlx::query(
        "UPDATE imports SET confirmed_by = $1, confirmed_at = $2 \
         WHERE id = $3 AND status IN ('done', 'failed') AND confirmed_at IS NULL",
    )
    .bind(user_id)
    .bind(now_ms())
    .bind(import_id)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        let exists: Option<String> = sqlx::query_scalar("SELECT status FROM imports WHERE id = $1")
            .bind(import_id)
            .fetch_optional(&mut *conn)
            .await?;
        return match exists.as_deref() {
            None => Err(StoreError::NotFound),
            Some("done" | "failed") => Ok(()),
            Some(_) => Err(StoreError::Refused(Refusal::ImportNotFinished)),
        };
    }
    Ok(())
}

/// The file's header row (when it had one) and the settings it was read with.
pub async fn header_and_settings(
    conn: &mut AnyConnection,
    import_id: ImportId,
) -> Result<(Option<Vec<String>>, Option<ImportSettings>, FileFormat), StoreError> {
    let row = sqlx::query("SELECT header, settings, format FROM imports WHERE id = $1")
        .bind(import_id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    let header: Option<String> = row.try_get("header")?;
    let settings: Option<String> = row.try_get("settings")?;
    Ok((
        header.and_then(|h| serde_json::from_str(&h).ok()),
        settings.and_then(|s| serde_json::from_str(&s).ok()),
        FileFormat::parse(&row.try_get::<String, _>("format")?).unwrap_or_default(),
    ))
}

/// The rejected rows as read (sealed rows opened), in file order.
pub async fn rejected_rows(
    conn: &mut AnyConnection,
    key: &DataKey,
    import_id: ImportId,
) -> Result<Vec<(i64, String)>, StoreError> {
    let rows = sqlx::query(
        "SELECT row_no, row_ref, raw FROM import_rejects WHERE import_id = $1 AND imported = 0 \
         AND raw IS NOT NULL ORDER BY row_no, id",
    )
    .bind(import_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut out: Vec<(i64, String)> = Vec::with_capacity(rows.len());
    for r in rows {
        let row_no: i64 = r.try_get("row_no")?;
        // A row rejected for several columns is downloaded once.
        if out.last().is_some_and(|(n, _)| *n == row_no) {
            continue;
        }
        let row_ref: i64 = r.try_get("row_ref")?;
        let sealed: Vec<u8> = r.try_get("raw")?;
        let raw = key
            .open_text(Place::new(REJECTS, "raw", row_ref), &sealed)
            .map_err(tampered)?;
        out.push((row_no, raw));
    }
    Ok(out)
}

pub async fn templates(conn: &mut AnyConnection) -> Result<Vec<MappingTemplate>, StoreError> {
    let rows = sqlx::query("SELECT id, name, columns FROM import_templates ORDER BY name")
        .fetch_all(&mut *conn)
        .await?;
    let mut out = Vec::new();
    for r in rows {
        let columns: String = r.try_get("columns")?;
        out.push(MappingTemplate {
            id: r.try_get("id")?,
            name: r.try_get("name")?,
            columns: serde_json::from_str(&columns).unwrap_or_default(),
        });
    }
    Ok(out)
}

/// Saves a template under its name, replacing one of the same name.
pub async fn save_template(
    conn: &mut AnyConnection,
    user_id: UserId,
    template: &MappingTemplate,
) -> Result<i64, StoreError> {
    let columns = serde_json::to_string(&template.columns)
        .map_err(|_| StoreError::Inconsistent("encoding a template"))?;
    let existing: Option<i64> =
        sqlx::query_scalar("SELECT id FROM import_templates WHERE name = $1")
            .bind(&template.name)
            .fetch_optional(&mut *conn)
            .await?;
    if let Some(id) = existing {
        sqlx::query("UPDATE import_templates SET columns = $1 WHERE id = $2")
            .bind(columns)
            .bind(id)
            .execute(&mut *conn)
            .await?;
        return Ok(id);
    }
    Ok(sqlx::query_scalar(
        "INSERT INTO import_templates (name, columns, created_by, created_at) \
         VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(&template.name)
    .bind(columns)
    .bind(user_id)
    .bind(now_ms())
    .fetch_one(&mut *conn)
    .await?)
}

/// Rejected rows are kept for fixing and loading again, then destroyed: after this long
/// the import's key and every sealed row go (the report's counts and reasons stay).
pub const KEEP_REJECTED_DAYS: i64 = 30;

/// Crypto-shreds the rejected rows of imports finished before `before`; returns how
/// many imports were purged. Drafts not started before `drafts_before` lose their file.
pub async fn purge(db: &Db, before: i64, drafts_before: i64) -> Result<u64, StoreError> {
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "UPDATE import_rejects SET raw = NULL WHERE raw IS NOT NULL AND import_id IN \
         (SELECT id FROM imports WHERE finished_at < $1 AND wrapped_key IS NOT NULL)",
    )
    .bind(before)
    .execute(&mut **tx)
    .await?;
    let done = sqlx::query(
        "UPDATE imports SET wrapped_key = NULL, purged_at = $1 \
         WHERE finished_at < $2 AND wrapped_key IS NOT NULL",
    )
    .bind(now_ms())
    .bind(before)
    .execute(&mut **tx)
    .await?;
    // A draft whose wizard was abandoned holds a whole uploaded file.
    sqlx::query(
        "DELETE FROM import_chunks WHERE import_id IN \
         (SELECT id FROM imports WHERE status = 'draft' AND created_at < $1)",
    )
    .bind(drafts_before)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "UPDATE imports SET wrapped_key = NULL, purged_at = $1 \
         WHERE status = 'draft' AND created_at < $2 AND wrapped_key IS NOT NULL",
    )
    .bind(now_ms())
    .bind(drafts_before)
    .execute(&mut **tx)
    .await?;
    tx.commit().await?;
    Ok(done.rows_affected())
}
