//! Exports in the database: the record of each one (beside its disclosure), and for
//! background exports the claim, the progress, the sealed file and its removal.

use crate::ids::{ContactId, DisclosureId, ExportId, UserId};
use crate::store_error::StoreError;
use sqlx::{AnyConnection, Row};

use super::model::{file_name, ExportFormat, ExportJob, ExportRequest, JobStatus};
use crate::db::{now_ms, Db};
use crate::vault::store::tampered;
use crate::vault::{DataKey, KeyOwner, Place, Vault};

pub const CHUNKS: &str = "export_chunks";
/// A background export's file is kept this long after the export was made.
pub const KEEP_MS: i64 = 24 * 60 * 60 * 1000;

/// Contacts not in the active state, with their state: the few an export holds back or
/// never includes, read once instead of asking per contact.
pub async fn inactive(conn: &mut AnyConnection) -> Result<Vec<(ContactId, String)>, StoreError> {
    Ok(
        sqlx::query_as("SELECT id, state FROM contacts WHERE state <> 'active' ORDER BY id")
            .fetch_all(&mut *conn)
            .await?,
    )
}

/// The ids an export writes: erased contacts never; restricted and erasure-pending ones
/// only with the override. Returns the ids kept and how many were held back.
pub fn admissible(
    ids: Vec<ContactId>,
    inactive: &[(ContactId, String)],
    with_override: bool,
) -> (Vec<ContactId>, usize) {
    let mut held_back = 0;
    let kept = ids
        .into_iter()
        .filter(|id| {
            let Ok(i) = inactive.binary_search_by_key(id, |(c, _)| *c) else {
                return true;
            };
            match inactive[i].1.as_str() {
                "erased" => false,
                _ if with_override => true,
                _ => {
                    held_back += 1;
                    false
                }
            }
        })
        .collect();
    (kept, held_back)
}

/// The export's record; for a background export also its data key, wrapped.
pub async fn insert(
    conn: &mut AnyConnection,
    vault: &Vault,
    user_id: UserId,
    disclosure_id: DisclosureId,
    req: &ExportRequest,
    rows: usize,
    background: bool,
) -> Result<(ExportId, i64), StoreError> {
    let now = now_ms();
    let id: ExportId = sqlx::query_scalar(
        "INSERT INTO exports (disclosure_id, filter, columns, format, encoding, delimiter, \
         override_reason, row_count, status, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(disclosure_id)
    .bind(&req.filter)
    .bind(req.column_keys().join(","))
    .bind(req.format.as_str())
    .bind(req.encoding.as_str())
    .bind(req.delimiter.as_str())
    .bind(req.override_reason.as_deref())
    .bind(rows as i64)
    .bind(if background { "queued" } else { "streamed" })
    .bind(user_id)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    if background {
        let (master_id, ring) = crate::vault::store::wrapping_master(conn, vault).await?;
        let master = ring
            .master(master_id)
            .ok_or(StoreError::Inconsistent("a master key the keyring lacks"))?;
        let key = DataKey::generate(1);
        sqlx::query("UPDATE exports SET master_key_id = $1, wrapped_key = $2 WHERE id = $3")
            .bind(master_id)
            .bind(key.wrap_for(KeyOwner::Export, master, master_id, id))
            .bind(id)
            .execute(&mut *conn)
            .await?;
        crate::jobs::store::enqueue(conn, crate::jobs::JobKind::Export, Some(id.get()), now)
            .await?;
    }
    Ok((id, now))
}

/// What a queued export needs to run: its settings and the contacts its disclosure lists.
pub struct Queued {
    pub request: ExportRequest,
    pub ids: Vec<ContactId>,
}

pub async fn load_queued(conn: &mut AnyConnection, id: ExportId) -> Result<Queued, StoreError> {
    let row = sqlx::query(
        "SELECT e.disclosure_id, e.filter, e.columns, e.format, e.encoding, e.delimiter, \
         e.override_reason, d.purpose FROM exports e JOIN disclosures d ON d.id = e.disclosure_id \
         WHERE e.id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::NotFound)?;
    let disclosure: i64 = row.try_get("disclosure_id")?;
    let columns: String = row.try_get("columns")?;
    let request = ExportRequest {
        filter: row.try_get("filter")?,
        columns: columns
            .split(',')
            .filter_map(super::model::Column::parse)
            .collect(),
        format: ExportFormat::parse(&row.try_get::<String, _>("format")?).unwrap_or_default(),
        encoding: super::model::CsvEncoding::parse(&row.try_get::<String, _>("encoding")?)
            .unwrap_or_default(),
        delimiter: super::model::Delimiter::parse(&row.try_get::<String, _>("delimiter")?)
            .unwrap_or_default(),
        purpose: row.try_get("purpose")?,
        override_reason: row.try_get("override_reason")?,
    };
    // Exactly the contacts the disclosure log names, in id order.
    let ids = sqlx::query_scalar(
        "SELECT contact_id FROM disclosure_contacts WHERE disclosure_id = $1 ORDER BY contact_id",
    )
    .bind(disclosure)
    .fetch_all(&mut *conn)
    .await?;
    Ok(Queued { request, ids })
}

/// Makes `owner` the export's runner (the job queue gave it the job); false when the
/// export is no longer queued or running.
pub async fn take(db: &Db, id: ExportId, owner: &str) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE exports SET status = 'running', owner = $1, heartbeat_at = $2 WHERE id = $3 \
         AND status IN ('queued', 'running') AND purged_at IS NULL",
    )
    .bind(owner)
    .bind(now_ms())
    .bind(id)
    .execute(db.pool())
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn progress(db: &Db, id: ExportId, owner: &str, rows: usize) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE exports SET rows_done = $1, heartbeat_at = $2 WHERE id = $3 AND owner = $4",
    )
    .bind(rows as i64)
    .bind(now_ms())
    .bind(id)
    .bind(owner)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// A rerun starts the file afresh.
pub async fn clear_chunks(db: &Db, id: ExportId) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM export_chunks WHERE export_id = $1")
        .bind(id)
        .execute(db.pool())
        .await?;
    Ok(())
}

pub async fn put_chunk(
    db: &Db,
    key: &DataKey,
    id: ExportId,
    seq: i64,
    bytes: &[u8],
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO export_chunks (export_id, seq, content) VALUES ($1, $2, $3)")
        .bind(id)
        .bind(seq)
        .bind(key.seal(Place::new(CHUNKS, "content", seq), bytes))
        .execute(db.pool())
        .await?;
    Ok(())
}

pub async fn finish(
    db: &Db,
    id: ExportId,
    owner: &str,
    rows: usize,
    size: u64,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE exports SET status = 'done', rows_done = $1, file_size = $2, finished_at = $3 \
         WHERE id = $4 AND owner = $5",
    )
    .bind(rows as i64)
    .bind(size as i64)
    .bind(now_ms())
    .bind(id)
    .bind(owner)
    .execute(db.pool())
    .await?;
    Ok(())
}

pub async fn fail(db: &Db, id: ExportId) -> Result<(), StoreError> {
    clear_chunks(db, id).await?;
    sqlx::query(
        "UPDATE exports SET status = 'failed', finished_at = $1, wrapped_key = NULL WHERE id = $2",
    )
    .bind(now_ms())
    .bind(id)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// The export's file key; `None` once the file was removed.
pub async fn load_key(
    conn: &mut AnyConnection,
    vault: &Vault,
    id: ExportId,
) -> Result<Option<DataKey>, StoreError> {
    let row =
        sqlx::query("SELECT master_key_id, key_version, wrapped_key FROM exports WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or(StoreError::NotFound)?;
    crate::vault::store::unwrap_file_key(vault, KeyOwner::Export, id, &row)
}

/// One sealed piece of the file, opened; `None` past the end.
pub async fn read_chunk(
    conn: &mut AnyConnection,
    key: &DataKey,
    id: ExportId,
    seq: i64,
) -> Result<Option<Vec<u8>>, StoreError> {
    let sealed: Option<Vec<u8>> =
        sqlx::query_scalar("SELECT content FROM export_chunks WHERE export_id = $1 AND seq = $2")
            .bind(id)
            .bind(seq)
            .fetch_optional(&mut *conn)
            .await?;
    sealed
        .map(|s| key.open(Place::new(CHUNKS, "content", seq), &s))
        .transpose()
        .map_err(tampered)
}

pub async fn job(conn: &mut AnyConnection, id: ExportId) -> Result<ExportJob, StoreError> {
    let row = sqlx::query(
        "SELECT e.status, e.format, e.row_count, e.rows_done, e.created_at, e.purged_at, \
         d.purpose FROM exports e JOIN disclosures d ON d.id = e.disclosure_id WHERE e.id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::NotFound)?;
    let created_at: i64 = row.try_get("created_at")?;
    let format = ExportFormat::parse(&row.try_get::<String, _>("format")?).unwrap_or_default();
    Ok(ExportJob {
        id,
        status: JobStatus::parse(&row.try_get::<String, _>("status")?).unwrap_or_default(),
        format,
        row_count: row.try_get("row_count")?,
        rows_done: row.try_get("rows_done")?,
        created_at,
        expires_at: created_at + KEEP_MS,
        purged: row.try_get::<Option<i64>, _>("purged_at")?.is_some(),
        purpose: row.try_get("purpose")?,
        file_name: file_name(created_at, format),
    })
}

/// Removes the files of exports made before `before`: their pieces and their key.
/// Returns how many exports lost their file.
pub async fn purge(db: &Db, before: i64) -> Result<usize, StoreError> {
    let due: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM exports WHERE created_at < $1 AND purged_at IS NULL \
         AND status IN ('done', 'failed', 'queued', 'running')",
    )
    .bind(before)
    .fetch_all(db.pool())
    .await?;
    for id in &due {
        let mut tx = db.begin_write().await?;
        sqlx::query("DELETE FROM export_chunks WHERE export_id = $1")
            .bind(id)
            .execute(&mut **tx)
            .await?;
        sqlx::query(
            "UPDATE exports SET wrapped_key = NULL, purged_at = $1, \
             status = CASE WHEN status IN ('queued', 'running') THEN 'failed' ELSE status END \
             WHERE id = $2",
        )
        .bind(now_ms())
        .bind(id)
        .execute(&mut **tx)
        .await?;
        tx.commit().await?;
    }
    Ok(due.len())
}

#[cfg(test)]
mod tests {
    use super::admissible;
    use crate::ids::ContactId;

    #[test]
    fn erased_never_restricted_only_with_the_override() {
        let inactive = vec![
            (ContactId(2), "restricted".to_string()),
            (ContactId(3), "erasure_pending".to_string()),
            (ContactId(4), "erased".to_string()),
        ];
        assert_eq!(
            admissible([1, 2, 3, 4, 5].map(ContactId).to_vec(), &inactive, false),
            (vec![ContactId(1), ContactId(5)], 2)
        );
        assert_eq!(
            admissible([1, 2, 3, 4, 5].map(ContactId).to_vec(), &inactive, true),
            ([1, 2, 3, 5].map(ContactId).to_vec(), 0)
        );
    }
}
