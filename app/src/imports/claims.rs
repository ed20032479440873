//! Who works on an import. The job queue hands the import to a node (`take`), and to
//! another when that node's lease runs out; every batch moves the checkpoint only while
//! its node is still the import's owner, and only that node ends the import. So a node
//! that stalled and wakes up after another took over rolls its batch back instead of
//! writing it twice.

use crate::ids::ImportId;
use crate::store_error::{Doing, Refusal, StoreError};
use sqlx::AnyConnection;

use super::model::Counters;
use crate::db::{now_ms, Db};
use crate::i18n::Msg;

/// Makes `owner` the import's runner (the job queue gave it the job): from now on only
/// its checkpoints and its end count. False when the import is no longer queued or
/// running (finished, failed, or discarded as a draft).
pub async fn take(db: &Db, import_id: ImportId, owner: &str) -> Result<bool, StoreError> {
    let now = now_ms();
    let mut tx = db.begin_write().await.doing("taking an import")?;
    let done = sqlx::query(
        "UPDATE imports SET status = 'running', owner = $1, heartbeat_at = $2, \
         started_at = COALESCE(started_at, $2), updated_at = $2 \
         WHERE id = $3 AND status IN ('queued', 'running')",
    )
    .bind(owner)
    .bind(now)
    .bind(import_id)
    .execute(&mut **tx)
    .await?;
    tx.commit().await?;
    Ok(done.rows_affected() == 1)
}

/// The end of an import: its outcome, and the uploaded file deleted (the rejected rows
/// stay, sealed, for the report's download). Only while `owner` still holds the claim:
/// a node that stalled past the heartbeat and wakes up after another node took the
/// import over must leave the file to the node now reading it. Returns whether it did.
pub async fn finish(
    db: &Db,
    import_id: ImportId,
    owner: &str,
    failure: Option<Msg>,
) -> Result<bool, StoreError> {
    // Also after a failure: the contacts added before it stay, and must be found. Before
    // the status changes, so a failed move leaves the import running, to be retried.
    crate::contacts::tokens::merge(db, import_id).await?;
    let mut tx = db.begin_write().await.doing("finishing an import")?;
    let ended = sqlx::query(
        "UPDATE imports SET status = $1, failure = $2, finished_at = $3, updated_at = $3, \
         heartbeat_at = NULL WHERE id = $4 AND owner = $5 AND status = 'running'",
    )
    .bind(if failure.is_some() { "failed" } else { "done" })
    .bind(failure.map(Msg::key))
    .bind(now_ms())
    .bind(import_id)
    .bind(owner)
    .execute(&mut **tx)
    .await?;
    if ended.rows_affected() == 0 {
        return Ok(false);
    }
    sqlx::query("DELETE FROM import_chunks WHERE import_id = $1")
        .bind(import_id)
        .execute(&mut **tx)
        .await?;
    tx.commit().await?;
    Ok(true)
}

/// An import whose job was given up (its attempts used up): failed in its report, its
/// uploaded file deleted, whoever held it last.
pub async fn abandon(db: &Db, import_id: ImportId) -> Result<(), StoreError> {
    // The contacts it added before giving up stay: their tokens must reach the index.
    // Should that fail too, the import is still marked failed; the purge job moves
    // what is left (`tokens::merge_leftovers`).
    if let Err(e) = crate::contacts::tokens::merge(db, import_id).await {
        tracing::warn!(error = %e, "staged tokens of a given-up import not moved yet");
    }
    let now = now_ms();
    let mut tx = db.begin_write().await.doing("giving an import up")?;
    let ended = sqlx::query(
        "UPDATE imports SET status = 'failed', failure = $1, finished_at = $2, updated_at = $2, \
         heartbeat_at = NULL WHERE id = $3 AND status IN ('queued', 'running')",
    )
    .bind(Msg::ErrImportFailed.key())
    .bind(now)
    .bind(import_id)
    .execute(&mut **tx)
    .await?;
    if ended.rows_affected() == 1 {
        sqlx::query("DELETE FROM import_chunks WHERE import_id = $1")
            .bind(import_id)
            .execute(&mut **tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Moves the checkpoint and counters on, if this node still owns the import; otherwise
/// the batch is rolled back (another node took over after this one stalled).
pub async fn checkpoint(
    conn: &mut AnyConnection,
    import_id: ImportId,
    owner: &str,
    rows_done: i64,
    bytes_done: i64,
    c: &Counters,
    now: i64,
) -> Result<(), StoreError> {
    let done = sqlx::query(
        "UPDATE imports SET rows_done = $1, bytes_done = $2, rows_read = rows_read + $3, \
         added = added + $4, updated = updated + $5, duplicates = duplicates + $6, \
         erased_skipped = erased_skipped + $7, rejected = rejected + $8, \
         phones_repaired = phones_repaired + $9, phones_flagged = phones_flagged + $10, \
         consents = consents + $11, heartbeat_at = $12, updated_at = $12 \
         WHERE id = $13 AND owner = $14 AND status = 'running'",
    )
    .bind(rows_done)
    .bind(bytes_done)
    .bind(c.rows_read)
    .bind(c.added)
    .bind(c.updated)
    .bind(c.duplicates)
    .bind(c.erased_skipped)
    .bind(c.rejected)
    .bind(c.phones_repaired)
    .bind(c.phones_flagged)
    .bind(c.consents)
    .bind(now)
    .bind(import_id)
    .bind(owner)
    .execute(&mut *conn)
    .await
    .doing("checkpointing an import")?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Refused(Refusal::ImportStarted));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_db::{store_test, TestDb};

    async fn queued_import(t: &TestDb) -> ImportId {
        let id: ImportId = sqlx::query_scalar(
            "INSERT INTO imports (file_name, format, encoding, master_key_id, status, created_at, \
             updated_at) VALUES ('lista.csv', 'delimited', 'utf-8', 1, 'queued', 0, 0) RETURNING id",
        )
        .fetch_one(t.db.pool())
        .await
        .unwrap();
        sqlx::query("INSERT INTO import_chunks (import_id, seq, content) VALUES ($1, 0, $2)")
            .bind(id)
            .bind(vec![0u8])
            .execute(t.db.pool())
            .await
            .unwrap();
        id
    }

    async fn row(t: &TestDb, id: ImportId) -> (String, Option<String>, i64, i64) {
        sqlx::query_as("SELECT status, owner, rows_done, added FROM imports WHERE id = $1")
            .bind(id)
            .fetch_one(t.db.pool())
            .await
            .unwrap()
    }

    async fn chunks(t: &TestDb, id: ImportId) -> i64 {
        sqlx::query_scalar("SELECT COUNT(*) FROM import_chunks WHERE import_id = $1")
            .bind(id)
            .fetch_one(t.db.pool())
            .await
            .unwrap()
    }

    async fn move_on(t: &TestDb, id: ImportId, owner: &str, rows: i64) -> Result<(), StoreError> {
        let counters = Counters {
            added: rows,
            ..Counters::default()
        };
        let mut tx = t.db.begin_write().await?;
        checkpoint(&mut tx, id, owner, rows, rows * 10, &counters, now_ms()).await?;
        tx.commit().await?;
        Ok(())
    }

    store_test!(a_given_up_import_fails_and_loses_its_file, |t| async move {
        let id = queued_import(&t).await;
        assert!(take(&t.db, id, "node-a").await.unwrap());
        abandon(&t.db, id).await.unwrap();
        assert_eq!(row(&t, id).await.0, "failed");
        assert_eq!(chunks(&t, id).await, 0);
        assert!(!take(&t.db, id, "node-b").await.unwrap());
    });

    store_test!(only_a_queued_or_running_import_is_taken, |t| async move {
        let id = queued_import(&t).await;
        assert!(take(&t.db, id, "node-a").await.unwrap());
        assert_eq!(row(&t, id).await.1.as_deref(), Some("node-a"));
        assert!(finish(&t.db, id, "node-a", None).await.unwrap());
        assert!(
            !take(&t.db, id, "node-b").await.unwrap(),
            "a finished import stays finished"
        );
        assert_eq!(row(&t, id).await.0, "done");
    });

    store_test!(
        a_node_that_stalled_cannot_checkpoint_or_finish,
        |t| async move {
            let id = queued_import(&t).await;
            assert!(take(&t.db, id, "node-a").await.unwrap());
            move_on(&t, id, "node-a", 1_000).await.unwrap();
            // Node A stalls; its job lease runs out and B is given the import.
            assert!(take(&t.db, id, "node-b").await.unwrap());
            // A wakes up with its next batch: refused, so the batch rolls back.
            let late = move_on(&t, id, "node-a", 2_000).await;
            assert!(matches!(
                late,
                Err(StoreError::Refused(Refusal::ImportStarted))
            ));
            assert_eq!(
                row(&t, id).await,
                ("running".into(), Some("node-b".into()), 1_000, 1_000)
            );
            // B goes on from the last checkpoint that was written.
            move_on(&t, id, "node-b", 2_000).await.unwrap();
            assert!(!finish(&t.db, id, "node-a", None).await.unwrap());
            assert_eq!(chunks(&t, id).await, 1, "the file B reads stays");
            assert!(finish(&t.db, id, "node-b", None).await.unwrap());
            assert_eq!(
                row(&t, id).await,
                ("done".into(), Some("node-b".into()), 2_000, 3_000)
            );
            assert_eq!(chunks(&t, id).await, 0);
        }
    );
}
