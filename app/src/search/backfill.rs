//! City and postal-code tokens for contacts saved before those tokens existed. Every
//! save writes them now; this pass adds them to older contacts, a batch per
//! transaction, remembering where it stopped, so it can run at every start and be
//! interrupted at any point. Inserting a token that exists already changes nothing.

use crate::ids::ContactId;
use sqlx::Row;

use crate::contacts::store::{open, place_tokens};
use crate::db::{Backend, Db};
use crate::error::AppError;
use crate::vault::store::tampered;
use crate::vault::{Place, Vault};

pub const BATCH: i64 = 500;

/// Runs the pass to its end; returns how many contacts it looked at.
#[tracing::instrument(skip_all)]
pub async fn run(db: &Db, vault: &Vault, batch: i64) -> Result<u64, AppError> {
    let mut seen = 0;
    loop {
        match step(db, vault, batch).await? {
            Some(n) => seen += n,
            None => return Ok(seen),
        }
    }
}

/// One batch; `None` once everything up to the recorded last id is done.
async fn step(db: &Db, vault: &Vault, batch: i64) -> Result<Option<u64>, AppError> {
    let mut tx = db.begin_write().await?;
    let Some(row) = sqlx::query("SELECT next_id, last_id FROM search_backfill WHERE id = 1")
        .fetch_optional(&mut **tx)
        .await?
    else {
        return Ok(None);
    };
    let (next, last): (i64, i64) = (row.try_get("next_id")?, row.try_get("last_id")?);
    if next > last {
        return Ok(None);
    }
    let end = last.min(next.saturating_add(batch - 1));
    // On PostgreSQL the rows stay locked until the tokens are in: an edit saved
    // meanwhile rewrites the tokens after this batch, never before it (SQLite's
    // write transaction already excludes every other writer).
    let lock = match db.backend() {
        Backend::Postgres => " FOR UPDATE OF c",
        Backend::Sqlite => "",
    };
    let contacts = sqlx::query(&format!(
        "SELECT c.id, c.city, c.postal_code, k.master_key_id, k.key_version, k.wrapped_key \
         FROM contacts c JOIN contact_keys k ON k.contact_id = c.id \
         WHERE c.id >= $1 AND c.id <= $2 AND c.state <> 'erased'{lock}"
    ))
    .bind(next)
    .bind(end)
    .fetch_all(&mut **tx)
    .await?;
    let index = vault.index();
    for row in &contacts {
        let id: ContactId = row.try_get("id")?;
        let wrapped: Option<Vec<u8>> = row.try_get("wrapped_key")?;
        let key = vault
            .unwrap(
                id,
                row.try_get("master_key_id")?,
                row.try_get("key_version")?,
                wrapped.as_deref(),
            )
            .map_err(tampered)?;
        let Some(key) = key else { continue };
        let city = open(
            Some(&key),
            Place::new("contacts", "city", id),
            row.try_get("city")?,
        )
        .map_err(tampered)?;
        let postal = open(
            Some(&key),
            Place::new("contacts", "postal_code", id),
            row.try_get("postal_code")?,
        )
        .map_err(tampered)?;
        crate::contacts::tokens::add(&mut tx, id, &place_tokens(&index, &city, &postal)).await?;
    }
    sqlx::query("UPDATE search_backfill SET next_id = $1 WHERE id = 1")
        .bind(end + 1)
        .execute(&mut **tx)
        .await?;
    tx.commit().await?;
    Ok(Some(contacts.len() as u64))
}
