//! Card reads are noted in memory and written in batches, so opening a card costs no
//! extra write on the request's path.

use std::sync::Mutex;

use crate::db::{now_ms, Db};

#[derive(Debug, Default)]
pub struct ReadLog {
    pending: Mutex<Vec<(i64, i64, i64)>>,
}

impl ReadLog {
    pub fn note(&self, contact_id: i64, user_id: i64) {
        if let Ok(mut pending) = self.pending.lock() {
            pending.push((contact_id, user_id, now_ms()));
        }
    }

    /// Writes what is pending in one transaction; returns how many reads.
    pub async fn flush(&self, db: &Db) -> Result<usize, sqlx::Error> {
        let batch = match self.pending.lock() {
            Ok(mut pending) => std::mem::take(&mut *pending),
            Err(_) => return Ok(0),
        };
        if batch.is_empty() {
            return Ok(0);
        }
        let mut tx = db.begin_write().await?;
        for (contact_id, user_id, at) in &batch {
            sqlx::query(
                "INSERT INTO card_reads (contact_id, user_id, read_at) VALUES ($1, $2, $3)",
            )
            .bind(contact_id)
            .bind(user_id)
            .bind(at)
            .execute(&mut **tx)
            .await?;
        }
        tx.commit().await?;
        Ok(batch.len())
    }
}
