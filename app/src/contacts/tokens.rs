//! A contact's blind-index tokens: `contact_index` (token → contact, what lookups and
//! "Szukaj" read), `contact_tokens` (contact → its tokens, so they can be removed) and
//! `staged_tokens` (an import's tokens waiting to be moved into `contact_index`).
//!
//! A contact saved on its card gets its tokens at once. An import appends its tokens to
//! `staged_tokens` and moves them when it ends (`merge`): random tokens inserted one by
//! one touch a different page of `contact_index` each, which made the import's writer
//! rewrite most of the index at every commit (issue #19, docs/perf.md). Until then the
//! imported contacts are listed but not found by phone, e-mail or name.

use crate::ids::{ContactId, ImportId};
use crate::store_error::{Doing, StoreError};
use sqlx::AnyConnection;

use crate::db::{Backend, Db};

/// Buckets of staged tokens: the token's first byte. Each bucket is an append point while
/// an import writes, and a contiguous stretch of `contact_index` when it is moved.
pub const BUCKETS: i64 = 256;

/// The bucket a staged token belongs to.
pub fn bucket(token: &[u8]) -> i64 {
    i64::from(token.first().copied().unwrap_or(0))
}

/// Tokens moved per transaction at most (about): small enough that other writers wait
/// only a moment for their turn, large enough that few pages are written twice.
const MOVE_ROWS: i64 = 40_000;

/// Replaces the contact's tokens by `tokens` (a contact saved on its card).
pub async fn replace(
    conn: &mut AnyConnection,
    contact_id: ContactId,
    tokens: &[Vec<u8>],
) -> Result<(), StoreError> {
    remove(conn, contact_id).await?;
    add(conn, contact_id, tokens).await
}

/// Adds tokens the contact does not have yet.
pub async fn add(
    conn: &mut AnyConnection,
    contact_id: ContactId,
    tokens: &[Vec<u8>],
) -> Result<(), StoreError> {
    for token in tokens {
        sqlx::query(
            "INSERT INTO contact_index (token, contact_id) VALUES ($1, $2) \
             ON CONFLICT (token, contact_id) DO NOTHING",
        )
        .bind(token)
        .bind(contact_id)
        .execute(&mut *conn)
        .await
        .doing("adding a contact's index token")?;
        sqlx::query(
            "INSERT INTO contact_tokens (contact_id, token) VALUES ($1, $2) \
             ON CONFLICT (contact_id, token) DO NOTHING",
        )
        .bind(contact_id)
        .bind(token)
        .execute(&mut *conn)
        .await
        .doing("listing a contact's index token")?;
    }
    Ok(())
}

/// Removes every token of the contact: from `contact_index`, from its import's staged
/// tokens if they were not moved yet, and its list.
pub async fn remove(conn: &mut AnyConnection, contact_id: ContactId) -> Result<(), StoreError> {
    // PostgreSQL: the contact's row locked first, so a save, an import's update or the
    // search backfill adding tokens to it at the same time is waited for, and its tokens
    // are in the list read next. (SQLite has one writer at a time.) In token order, as
    // `merge` takes staged rows, so the two never wait for each other in a circle.
    if conn.backend_name() == "PostgreSQL" {
        sqlx::query("SELECT id FROM contacts WHERE id = $1 FOR UPDATE")
            .bind(contact_id)
            .fetch_optional(&mut *conn)
            .await
            .doing("locking a contact to remove its tokens")?;
    }
    let tokens: Vec<Vec<u8>> =
        sqlx::query_scalar("SELECT token FROM contact_tokens WHERE contact_id = $1 ORDER BY token")
            .bind(contact_id)
            .fetch_all(&mut *conn)
            .await
            .doing("reading a contact's index tokens")?;
    if tokens.is_empty() {
        return Ok(());
    }
    let import_id: Option<i64> = sqlx::query_scalar("SELECT import_id FROM contacts WHERE id = $1")
        .bind(contact_id)
        .fetch_optional(&mut *conn)
        .await
        .doing("reading a contact's import")?
        .flatten();
    for token in &tokens {
        // The staged row first: on PostgreSQL a move holding it is waited for, and the
        // token it moved is then seen (and removed) by the next statement.
        if let Some(import_id) = import_id {
            sqlx::query(
                "DELETE FROM staged_tokens WHERE import_id = $1 AND bucket = $2 \
                 AND contact_id = $3 AND token = $4",
            )
            .bind(import_id)
            .bind(bucket(token))
            .bind(contact_id)
            .bind(token)
            .execute(&mut *conn)
            .await
            .doing("removing a contact's staged token")?;
        }
        sqlx::query("DELETE FROM contact_index WHERE token = $1 AND contact_id = $2")
            .bind(token)
            .bind(contact_id)
            .execute(&mut *conn)
            .await
            .doing("removing a contact's index token")?;
    }
    sqlx::query("DELETE FROM contact_tokens WHERE contact_id = $1")
        .bind(contact_id)
        .execute(&mut *conn)
        .await
        .doing("removing a contact's token list")?;
    Ok(())
}

/// The phone and e-mail tokens an import staged, each with its contact, handed to `each`
/// as they are read (a million rows would not fit twice in memory): what a resumed import
/// needs to find duplicates within its own file.
pub async fn staged_lookups(
    conn: &mut AnyConnection,
    import_id: ImportId,
    mut each: impl FnMut(&[u8], i64),
) -> Result<(), StoreError> {
    use futures_util::TryStreamExt;
    let mut rows = sqlx::query_as::<_, (Vec<u8>, i64)>(
        "SELECT token, contact_id FROM staged_tokens WHERE import_id = $1 AND lookup = 1",
    )
    .bind(import_id)
    .fetch(&mut *conn);
    while let Some((token, contact_id)) = rows
        .try_next()
        .await
        .doing("reading an import's staged tokens")?
    {
        each(&token, contact_id);
    }
    Ok(())
}

/// One move on SQLite: one writer at a time, so the two statements see the same rows.
const MOVE_SQLITE: &[&str] = &[
    "INSERT INTO contact_index (token, contact_id) \
     SELECT token, contact_id FROM staged_tokens WHERE import_id = $1 \
     AND bucket >= $2 AND bucket < $3 ORDER BY token, contact_id \
     ON CONFLICT (token, contact_id) DO NOTHING",
    "DELETE FROM staged_tokens WHERE import_id = $1 AND bucket >= $2 AND bucket < $3",
];

/// One move on PostgreSQL: the rows are locked in token order (as `remove` takes them)
/// and taken by the DELETE, so a concurrent removal (an erasure) of one of them either
/// waits for this move or makes it skip the row.
const MOVE_POSTGRES: &[&str] = &[
    "SELECT token FROM staged_tokens WHERE import_id = $1 \
     AND bucket >= $2 AND bucket < $3 ORDER BY token, contact_id FOR UPDATE",
    "WITH moved AS (DELETE FROM staged_tokens WHERE import_id = $1 \
     AND bucket >= $2 AND bucket < $3 RETURNING token, contact_id) \
     INSERT INTO contact_index (token, contact_id) \
     SELECT token, contact_id FROM moved ORDER BY token, contact_id \
     ON CONFLICT (token, contact_id) DO NOTHING",
];

/// Moves an import's staged tokens into `contact_index`, a few buckets per transaction,
/// each in token order. Safe to run again after an interruption, and by two nodes at once.
#[tracing::instrument(skip_all, fields(import_id = import_id.get()))]
pub async fn merge(db: &Db, import_id: ImportId) -> Result<(), StoreError> {
    let started = std::time::Instant::now();
    let mut conn = db.pool().acquire().await.doing("moving staged tokens")?;
    // Where the move starts (an interrupted one left the buckets before this one done).
    let first: Option<i64> =
        sqlx::query_scalar("SELECT MIN(bucket) FROM staged_tokens WHERE import_id = $1")
            .bind(import_id)
            .fetch_one(&mut *conn)
            .await
            .doing("sizing an import's staged tokens")?;
    let Some(first) = first else {
        return Ok(());
    };
    // One bucket holds about 1/256 of the tokens: its size says how many fit a transaction.
    let sample: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM staged_tokens WHERE import_id = $1 AND bucket = $2",
    )
    .bind(import_id)
    .bind(first)
    .fetch_one(&mut *conn)
    .await
    .doing("sizing an import's staged tokens")?;
    let sqlite = db.backend() == Backend::Sqlite;
    if sqlite {
        // Each token's contact was written by the import itself, and contacts are never
        // deleted: the foreign-key check, a random read of `contacts` per token, is
        // skipped. The cache holds the stretch of the index being written.
        for pragma in ["PRAGMA foreign_keys = OFF", "PRAGMA cache_size = -65536"] {
            sqlx::query(pragma)
                .execute(&mut *conn)
                .await
                .doing("moving staged tokens")?;
        }
        // Neither setting may go back to the pool.
        conn.close_on_drop();
    }
    let width = (MOVE_ROWS / sample.max(1)).clamp(1, BUCKETS);
    let mut from = first;
    while from < BUCKETS {
        let to = (from + width).min(BUCKETS);
        let turn = db.write_turn().await;
        // As `Db::begin_write`: the write lock taken at BEGIN, so it waits its turn.
        let mut tx = if sqlite {
            sqlx::Connection::begin_with(&mut *conn, "BEGIN IMMEDIATE").await
        } else {
            sqlx::Connection::begin(&mut *conn).await
        }
        .doing("moving staged tokens")?;
        for sql in if sqlite { MOVE_SQLITE } else { MOVE_POSTGRES } {
            sqlx::query(sql)
                .bind(import_id)
                .bind(from)
                .bind(to)
                .execute(&mut *tx)
                .await
                .doing("moving staged tokens")?;
        }
        tx.commit().await.doing("moving staged tokens")?;
        drop(turn);
        from = to;
    }
    tracing::info!(
        secs = started.elapsed().as_secs_f64(),
        "staged tokens moved into the index"
    );
    Ok(())
}

/// Moves the staged tokens of imports that no longer run: left when the move failed as
/// an import was given up. The purge job calls it. Returns how many imports it moved.
pub async fn merge_leftovers(db: &Db) -> Result<u64, StoreError> {
    let imports: Vec<ImportId> = sqlx::query_scalar(
        "SELECT DISTINCT s.import_id FROM staged_tokens s JOIN imports i ON i.id = s.import_id \
         WHERE i.status NOT IN ('queued', 'running')",
    )
    .fetch_all(db.pool())
    .await
    .doing("finding staged tokens left behind")?;
    for import_id in &imports {
        merge(db, *import_id).await?;
    }
    Ok(imports.len() as u64)
}
